import { LocalRateWindows } from './local-rate-windows';

describe('LocalRateWindows (in-process fixed windows, the Redis script rules)', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('lets `limit` hits through in a window, blocks the next for a window, then starts afresh', () => {
    const w = new LocalRateWindows(3, 60_000, 100, clock);
    expect([1, 2, 3].map(() => w.hit('k').isBlocked)).toEqual([false, false, false]);
    now += 10_000;
    expect(w.hit('k')).toEqual({ isBlocked: true, retryAfter: 60 });
    now += 30_000;
    expect(w.hit('k')).toEqual({ isBlocked: true, retryAfter: 30 }); // blocked 60 s from the 4th hit
    now += 30_000;
    expect(w.hit('k').isBlocked).toBe(false); // the block is over: a new window with this hit
    expect(w.hit('k').isBlocked).toBe(false);
    expect(w.hit('k').isBlocked).toBe(false);
    expect(w.hit('k').isBlocked).toBe(true);
  });

  it('starts a new window when the last one has ended, and counts keys apart', () => {
    const w = new LocalRateWindows(2, 60_000, 100, clock);
    w.hit('a');
    w.hit('a');
    expect(w.hit('b').isBlocked).toBe(false);
    now += 60_000;
    expect([w.hit('a').isBlocked, w.hit('a').isBlocked, w.hit('a').isBlocked]).toEqual([false, false, true]);
  });

  it('says when the window ends in whole seconds (at least 1)', () => {
    const w = new LocalRateWindows(5, 60_000, 100, clock);
    w.hit('k');
    now += 59_500;
    expect(w.hit('k')).toEqual({ isBlocked: false, retryAfter: 1 });
  });

  it('holds at most `maxKeys` windows (any x-api-key value is counted before the key is looked up)', () => {
    const w = new LocalRateWindows(1_000, 60_000, 100, clock);
    for (let i = 0; i < 10_000; i++) w.hit(`key-${i}`);
    expect(w.size).toBe(100);
  });

  it('costs the same for the 100,000th hit of a key as for the first (a count, not a list of hits)', () => {
    const w = new LocalRateWindows(1e9, 60_000, 100, clock);
    for (let i = 0; i < 100_000; i++) w.hit('k');
    expect(w.hitsOf('k')).toBe(100_000);
  });
});
