import { IsOptional, validateSync } from 'class-validator';
import { IsIsoDateArray, isIsoDate } from './date-array';

class Body {
  @IsOptional() @IsIsoDateArray()
  dates?: unknown;
}

const problems = (dates: unknown) => validateSync(Object.assign(new Body(), { dates })).flatMap((e) => Object.values(e.constraints ?? {}));

describe('IsIsoDateArray', () => {
  it('accepts calendar dates written YYYY-MM-DD', () => {
    expect(problems(['2024-02-29', '1991-07-02'])).toEqual([]);
    expect(problems([])).toEqual([]);
  });

  it.each([
    [['2024-02-30'], 'dates[0] must be a YYYY-MM-DD calendar date (got "2024-02-30")'],
    [['2024-01-02', '2024-1-3'], 'dates[1] must be a YYYY-MM-DD calendar date (got "2024-1-3")'],
    [['2024-01-02T00:00:00Z'], 'dates[0] must be a YYYY-MM-DD calendar date (got "2024-01-02T00:00:00Z")'],
    [[20240102], 'dates[0] must be a YYYY-MM-DD calendar date (got 20240102)'],
    ['2024-01-02', 'dates must be an array of YYYY-MM-DD dates'],
  ])('refuses %p, naming the first bad element', (dates, message) => {
    expect(problems(dates)).toEqual([message]);
  });

  it('tells a date from a non-date', () => {
    expect([isIsoDate('2023-02-29'), isIsoDate('2000-02-29'), isIsoDate(' 2000-01-01'), isIsoDate(null)]).toEqual([false, true, false, false]);
  });
});
