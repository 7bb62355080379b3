import Big from 'big.js';
import { ValidationError } from './errors';
import { formatMoney, parseMoney, scaleMoney } from './money';

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
