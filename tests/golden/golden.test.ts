/**
 * Golden output: each sample report rendered to every format (and the report folder's own CSV files), compared
 * byte for byte with tests/golden/<sample>/. After a deliberate output change: UPDATE_GOLDEN=1, then read the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { plainStyle, renderReport, RENDERERS, type OutputFormat, type RenderOptions } from '../../src/report/index.js';
import { renderDailyCsv, renderSummaryCsv, renderUnansweredCsv } from '../../src/report/summary-csv.js';
import { terminalStyle } from '../../src/cli/style.js';
import { SAMPLES, sampleReport } from './sample.js';

const DIR = fileURLToPath(new URL('./', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const EXT: Record<OutputFormat, string> = { table: 'txt', csv: 'csv', json: 'json', ndjson: 'ndjson', html: 'html' };
const OPTS: RenderOptions = { style: plainStyle, width: 100, top: 5, rawCsv: false };

function golden(sample: string, file: string, actual: string): void {
  const path = `${DIR}${sample}/${file}`;
  if (UPDATE || !existsSync(path)) {
    mkdirSync(`${DIR}${sample}`, { recursive: true });
    writeFileSync(path, actual);
    if (!UPDATE) throw new Error(`${path} was missing and has been written: read it, then rerun.`);
  }
  expect(actual, `${sample}/${file}`).toBe(readFileSync(path, 'utf8'));
}

for (const name of Object.keys(SAMPLES)) {
  describe(`golden sample '${name}'`, () => {
    let report: Report;
    beforeAll(async () => {
      report = await sampleReport(name);
    });

    it.each(Object.keys(RENDERERS) as OutputFormat[])('renders %s exactly as the golden file', (format) => {
      golden(name, `report.${EXT[format]}`, [...renderReport(format, report, OPTS)].join(''));
    });

    it('renders the report folder CSV files exactly as the golden files', () => {
      golden(name, 'summary.csv', renderSummaryCsv(report, report.comparison));
      golden(name, 'daily.csv', renderDailyCsv(report));
      golden(name, 'unanswered.csv', renderUnansweredCsv(report));
    });

    it('colours the table only through the style: without escape codes it is the plain golden table', () => {
      const coloured = [...renderReport('table', report, { ...OPTS, style: terminalStyle(true) })].join('');
      expect(coloured).toMatch(/\u001b\[/);
      expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(readFileSync(`${DIR}${name}/report.txt`, 'utf8'));
    });

    it('streams the same bytes mention by mention as it renders at the end', () => {
      for (const format of ['csv', 'ndjson'] as const) {
        const stream = RENDERERS[format].open({ ...OPTS, fields: ['id', 'source'] });
        const text = report.mentions.map((m) => stream.mention(m)).join('') + [...stream.finish(report)].join('');
        const lines = text.split('\n');
        expect(lines, format).toHaveLength(report.mentions.length + (format === 'csv' ? 2 : 1));
        expect(lines[format === 'csv' ? 1 : 0]).toContain(report.mentions[0]!.id);
      }
    });
  });
}
