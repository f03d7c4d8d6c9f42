import { describe, expect, it } from 'vitest';
import { fullId, normaliseNativeId, parseBoolean, parseDate, parseNumber } from '../../../src/input/values.js';

describe('parseDate', () => {
  it.each([
    ['Tue Oct 31 22:10:47 +0000 2017', '2017-10-31T22:10:47.000Z'],
    ['Tue Oct 31 22:10:47 -0500 2017', '2017-11-01T03:10:47.000Z'],
    ['2017-10-31T22:10:47Z', '2017-10-31T22:10:47.000Z'],
    ['2017-10-31T22:10:47.123+02:00', '2017-10-31T20:10:47.123Z'],
    ['2017-10-31T22:10:47+0200', '2017-10-31T20:10:47.000Z'],
    ['2017-10-31 22:10', '2017-10-31T22:10:00.000Z'],
    ['2017-10-31', '2017-10-31T00:00:00.000Z'],
    ['Tue, 31 Oct 2017 22:10:47 +0000', '2017-10-31T22:10:47.000Z'],
    ['31 Oct 2017 22:10:47 GMT', '2017-10-31T22:10:47.000Z'],
    ['Tue, 31 Oct 2017 17:10:47 EST', '2017-10-31T22:10:47.000Z'],
    ['1509487847', '2017-10-31T22:10:47.000Z'],
    ['1509487847123', '2017-10-31T22:10:47.123Z'],
    ['2/24/2015 11:35', '2015-02-24T11:35:00.000Z'],
    ['2/24/2015 11:35 pm', '2015-02-24T23:35:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it('reads a zone-less date-time as UTC whatever the process time zone', () => {
    // vitest runs with TZ=UTC; this pins the rule itself, not the environment.
    expect(parseDate('2024-06-01T12:00:00')).toBe('2024-06-01T12:00:00.000Z');
  });

  it('takes numbers as epoch seconds or milliseconds', () => {
    expect(parseDate(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(parseDate(1509487847)).toBe('2017-10-31T22:10:47.000Z');
    expect(parseDate(1509487847000)).toBe('2017-10-31T22:10:47.000Z');
  });

  it('refuses epochs past the range of JS dates instead of throwing', () => {
    // Found by the input-reader fuzz test: 8.64e15 ms is the last representable instant (year 275760).
    expect(parseDate(8640000000000001)).toBeUndefined();
    expect(parseDate('8640000000000001')).toBeUndefined();
    expect(parseDate(-8640000000000001)).toBeUndefined();
  });

  it.each(['', 'yesterday', '2017-02-30', '2017-13-01T00:00:00Z', 'Tue Foo 31 22:10:47 +0000 2017', '31/11/2017 10:07', '-5', 'NaN', '2017-10-31T25:00:00Z'])(
    'refuses %j',
    (input) => {
      expect(parseDate(input)).toBeUndefined();
    },
  );
});

describe('parseBoolean / parseNumber / ids', () => {
  it('reads the usual spellings of booleans', () => {
    for (const t of ['true', 'True', 'TRUE', '1', 'yes', 'Yes']) expect(parseBoolean(t)).toBe(true);
    for (const f of ['false', 'False', '0', 'no', 'NO']) expect(parseBoolean(f)).toBe(false);
    expect(parseBoolean('')).toBeUndefined();
    expect(parseBoolean('maybe')).toBeNull();
  });

  it('reads numbers with thousands separators and refuses text', () => {
    expect(parseNumber('1,234')).toBe(1234);
    expect(parseNumber(' 42 ')).toBe(42);
    expect(parseNumber('-3.5')).toBe(-3.5);
    expect(parseNumber('')).toBeUndefined();
    expect(parseNumber('12abc')).toBeNull();
    expect(parseNumber('1e999')).toBeNull();
  });

  it('prefixes native ids with the source and drops pandas float suffixes', () => {
    expect(fullId('123', 'reddit')).toBe('reddit:123');
    expect(fullId('hn:9', 'reddit')).toBe('hn:9');
    expect(normaliseNativeId('300101.0')).toBe('300101');
  });
});
