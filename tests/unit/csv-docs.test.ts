import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvColumns } from '../../src/report/csv.js';
import { summaryCsvHeader } from '../../src/report/summary-csv.js';

const doc = readFileSync(new URL('../../docs/csv.md', import.meta.url), 'utf8');

/** The column names of one paragraph of docs/csv.md, from `from` to the next blank line. */
function namesIn(from: string): string[] {
  const start = doc.indexOf(from);
  expect(start, `docs/csv.md has no "${from}"`).toBeGreaterThanOrEqual(0);
  const rest = doc.slice(start + from.length);
  const end = rest.indexOf('\n\n');
  // The doc writes each list as one backquoted, comma-separated span that may wrap across lines.
  return [...rest.slice(0, end < 0 ? undefined : end).matchAll(/`([^`]+)`/g)].flatMap((m) => m[1]!.split(/[\s,]+/).filter((w) => /^[a-z][a-z_0-9]*$/.test(w)));
}

describe('docs/csv.md matches the columns earshot writes (update the doc when a column is added)', () => {
  it('lists mentions.csv columns in order', () => {
    const table = [...doc.matchAll(/^\| (\d+) \| `([a-z_]+)` \|/gm)].map((m) => m[2]!);
    expect(table).toEqual(csvColumns());
  });

  it('lists summary.csv columns, then the --compare change columns, in order', () => {
    const names = namesIn('when there are several): ');
    const split = names.indexOf(summaryCsvHeader(false).at(-1)!) + 1;
    expect(names.slice(0, split)).toEqual(summaryCsvHeader(false));
    expect(names).toEqual(summaryCsvHeader(true));
  });
});
