import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { analyzeThread, type ThreadContext } from '../../src/analysis/respond.js';
import { createSentimentScorer } from '../../src/analysis/sentiment.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';
import { csvColumns, csvRow, renderCsvParts } from '../../src/report/csv.js';
import { alwaysOpen, mention } from '../helpers/make-mention.js';

const ctx: ThreadContext = { scorer: createSentimentScorer(loadSentimentInputs()), calendar: alwaysOpen, now: new Date('2026-01-10T00:00:00Z'), brandHandles: new Set() };

describe('renderCsvParts', () => {
  it('joins to the one-string CSV of every row, across its 1,000-row pieces, header once', () => {
    const mentions = Array.from({ length: 2500 }, (_, i) =>
      mention(`m${i}`, '2026-01-01T10:00:00Z', i % 7 === 0 ? '=HYPERLINK("x") "quoted", with comma\nand a line' : `my order ${i} never arrived`),
    ).flatMap((m) => analyzeThread([m], ctx));
    const parts = [...renderCsvParts(mentions)];
    expect(parts).toHaveLength(3);
    const whole = stringify(mentions.map((m) => csvRow(m)), { header: true, columns: csvColumns(), record_delimiter: '\n' });
    expect(parts.join('')).toBe(whole);
  });

  it('gives the header alone for no mentions', () => {
    expect([...renderCsvParts([])].join('')).toBe(`${csvColumns().join(',')}\n`);
  });
});
