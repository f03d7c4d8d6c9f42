/** parseFeedDate: the date shapes real feeds write (RFC 822/1123 and its variants, ISO 8601), and what it refuses. */
import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../../src/sources/shared/feed-date.js';

describe('parseFeedDate', () => {
  it.each([
    // RFC 822/1123 as the RSS 2.0 spec writes it.
    ['Wed, 18 Nov 2026 14:55:00 +0000', '2026-11-18T14:55:00.000Z'],
    ['Wed, 18 Nov 2026 14:55:00 GMT', '2026-11-18T14:55:00.000Z'],
    ['18 Nov 2026 09:55 EST', '2026-11-18T14:55:00.000Z'],
    // Localised names (a pt-BR WordPress feed), accents and dots folded.
    ['Seg, 24 Set 2018 19:42:40 -0300', '2018-09-24T22:42:40.000Z'],
    ['ter., 25 set. 2018 08:00:00 -0300', '2018-09-25T11:00:00.000Z'],
    ['Mo, 03 Dez 2018 10:00:00 +0100', '2018-12-03T09:00:00.000Z'],
    ['lun, 12 févr 2024 10:00:00 +0100', '2024-02-12T09:00:00.000Z'],
    // Two-digit years (RFC 2822 §4.3) and times without colons.
    ['03 Apr 02 1500 GMT', '2002-04-03T15:00:00.000Z'],
    ['Thu, 01 Jan 04 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
    ['Fri, 31 Dec 99 23:59:59 GMT', '1999-12-31T23:59:59.000Z'],
    // ISO 8601: with an offset, Z, and without a zone (read as UTC, never the machine's zone).
    ['2018-09-25T08:00:00-03:00', '2018-09-25T11:00:00.000Z'],
    ['2026-11-20T10:00:00Z', '2026-11-20T10:00:00.000Z'],
    ['2026-11-20T10:00:00.123+0100', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20 10:00', '2026-11-20T10:00:00.000Z'],
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
    // A date without a time is midnight in its zone.
    ['24 Sep 2018', '2018-09-24T00:00:00.000Z'],
  ])('reads %s', (raw, iso) => {
    expect(parseFeedDate(raw)).toBe(iso);
  });

  it.each([
    [''],
    ['   '],
    ['ontem à noite'],
    ['sometime last week'],
    // Impossible dates are not moved into the next month.
    ['31 Feb 2026 10:00:00 GMT'],
    ['2026-02-30T10:00:00Z'],
    ['2026-13-01T00:00:00Z'],
    // A zone nobody can place is not guessed.
    ['Wed, 18 Nov 2026 14:55:00 XYZT'],
    // A bare local time without any zone outside ISO: V8 would read it in the machine's zone.
    ['November 20, 2026 10:00'],
  ])('refuses %j', (raw) => {
    expect(parseFeedDate(raw)).toBeUndefined();
  });

  it('reads other shapes V8 knows when they name their zone', () => {
    expect(parseFeedDate('November 20, 2026 10:00 GMT')).toBe('2026-11-20T10:00:00.000Z');
  });
});
