import { BREACH_SEVERITIES, LEVELS, rankOf, SEVERITIES, sqlList } from './severity';

describe('the severity scale', () => {
  it('orders ok < warning < high < critical', () => {
    expect(LEVELS.map(rankOf)).toEqual([0, 1, 2, 3]);
    expect(rankOf('critical')).toBeGreaterThan(rankOf('high'));
  });

  it('takes alert and breach severities from the top of the same scale', () => {
    expect(SEVERITIES).toEqual(LEVELS.slice(1));
    expect(BREACH_SEVERITIES).toEqual(LEVELS.slice(2));
  });

  it('writes the list the database CHECK constraints use', () => {
    expect(`severity IN (${sqlList(BREACH_SEVERITIES)})`).toBe("severity IN ('high', 'critical')");
  });
});
