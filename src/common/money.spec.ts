import Big from 'big.js';
import { ValidationError } from './errors';
import { Xoshiro128 } from '../math';
import { formatMoney, parseMoney, ratioOf, scaleMoney } from './money';

describe('money', () => {
  it('parses strings and numbers exactly as written', () => {
    expect(parseMoney('1000000', 'x').toFixed()).toBe('1000000');
    expect(parseMoney(0.1, 'x').toFixed()).toBe('0.1');
    expect(parseMoney('1e6', 'x').toFixed()).toBe('1000000');
    expect(parseMoney(' 12.50 ', 'x').toFixed(2)).toBe('12.50');
  });

  it('rejects non-amounts naming the field', () => {
    expect(() => parseMoney('abc', 'portfolio_value')).toThrow(/portfolio_value must be a decimal amount/);
    expect(() => parseMoney(true, 'equity')).toThrow(ValidationError);
    expect(() => parseMoney('0x10', 'equity')).toThrow(/equity/);
    expect(() => parseMoney(Number.NaN, 'equity')).toThrow(/finite/);
  });

  it('enforces sign constraints', () => {
    expect(() => parseMoney('-5', 'portfolio_value', { positive: true })).toThrow(/greater than 0/);
    expect(() => parseMoney('0', 'portfolio_value', { positive: true })).toThrow(/greater than 0/);
    expect(() => parseMoney('-0.01', 'equity', { nonNegative: true })).toThrow(/must not be negative/);
  });

  it('rounds half to even at the cent', () => {
    expect(formatMoney(new Big('0.125'))).toBe('0.12');
    expect(formatMoney(new Big('0.135'))).toBe('0.14');
    expect(formatMoney(new Big('-15655.005'))).toBe('-15655.00');
    expect(formatMoney(new Big('-0.001'))).toBe('0.00');
  });

  it('scales money by a float ratio without float money', () => {
    // 0.1 + 0.2 style error would show as ...0000000004 if done in floats
    expect(formatMoney(scaleMoney(-0.015655012, new Big('1000000')))).toBe('-15655.01');
    expect(scaleMoney(0.3, new Big('0.1')).toFixed()).toBe('0.03');
  });
});

describe('ratioOf (a book\'s weights)', () => {
  it('is Number(a.div(b)) to the bit, on 100,000 random amounts, ties at the last place and extreme scales', () => {
    const rng = new Xoshiro128(3);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rng.nextDouble() * 10)).join('');
    const amount = () => {
      const int = digits(1 + Math.floor(rng.nextDouble() * 12)).replace(/^0+(?=\d)/, '');
      const frac = rng.nextDouble() < 0.5 ? '' : `.${digits(1 + Math.floor(rng.nextDouble() * 20))}`;
      const exp = rng.nextDouble() < 0.1 ? `e${Math.floor(rng.nextDouble() * 40) - 20}` : '';
      return new Big(`${rng.nextDouble() < 0.2 ? '-' : ''}${int}${frac}${exp}`);
    };
    const pairs: Array<[Big, Big]> = [
      [new Big('5e-21'), new Big(1)], // a tie at the 21st place: half-up
      [new Big('-5e-21'), new Big(1)],
      [new Big('4.9e-21'), new Big(1)], // rounds to 0
      [new Big(1), new Big(3)],
      [new Big(2), new Big(3)],
      [new Big('125000'), new Big('1125000')],
      [new Big('1e17'), new Big('1e-20')],
      [new Big(0), new Big(7)],
    ];
    for (let i = 0; i < 100_000; i++) pairs.push([amount(), amount()]);
    let compared = 0;
    for (const [a, b] of pairs) {
      if (b.eq(0)) continue;
      compared++;
      const expected = Number(a.div(b));
      if (!Object.is(ratioOf(a, b), expected)) expect({ a: a.toString(), b: b.toString(), got: ratioOf(a, b) }).toEqual({ a: a.toString(), b: b.toString(), got: expected });
    }
    expect(compared).toBeGreaterThan(99_000);
  });

  it('follows Big.DP, and is big.js\'s division under another rounding mode', () => {
    const [dp, rm] = [Big.DP, Big.RM];
    try {
      Big.DP = 3;
      expect(ratioOf(new Big(2), new Big(3))).toBe(0.667);
      Big.RM = Big.roundDown;
      expect(ratioOf(new Big(2), new Big(3))).toBe(0.666);
    } finally {
      Big.DP = dp;
      Big.RM = rm;
    }
  });
});

describe('money grammar (hostile input)', () => {
  it.each([
    ['+1', '+1'],
    ['1e-20000', '1e-20000'],
    ['a 200,000-digit number', '1'.repeat(200_000)],
    ['1e99999', '1e99999'],
    ['--1', '--1'],
    ['1 000', '1 000'],
    ['Arabic-Indic digits', '١٢'],
    ['Infinity', 'Infinity'],
    ['1e', '1e'],
    ['.', '.'],
    ['an empty string', ''],
  ])('refuses %s with a 400 naming the field', (_label, text) => {
    expect(() => parseMoney(text, 'market_value')).toThrow(ValidationError);
    expect(() => parseMoney(text, 'market_value')).toThrow(/^market_value /);
  });

  it('refuses amounts of 10^18 and more, and more than 20 decimal places', () => {
    expect(() => parseMoney('1e18', 'value')).toThrow(/less than 10\^18/);
    expect(() => parseMoney(-1e300, 'value')).toThrow(/less than 10\^18/);
    expect(() => parseMoney('0.000000000000000000001', 'value')).toThrow(/at most 20 decimal places/);
    expect(() => parseMoney(5e-324, 'value')).toThrow(/decimal places/);
  });

  it('accepts the forms big.js reads, up to the limits', () => {
    expect(parseMoney('999999999999999999.99', 'x').toFixed(2)).toBe('999999999999999999.99');
    expect(parseMoney('-12.', 'x').toFixed()).toBe('-12');
    expect(parseMoney('.5', 'x').toFixed()).toBe('0.5');
    expect(parseMoney('1.5E+3', 'x').toFixed()).toBe('1500');
    expect(parseMoney(0.1 + 0.2, 'x').toFixed()).toBe('0.30000000000000004');
  });

  it('quotes a long value shortened in the message', () => {
    expect(() => parseMoney('9'.repeat(100), 'equity')).toThrow(/at most 40 digits .*100 characters/);
  });
});
