/**
 * Spreadsheet formulas in any column: an input file sets every field of a mention, `source` and `language` included,
 * so every text cell of every CSV earshot writes (the -f csv output and the report folder's mentions.csv and
 * unanswered.csv) is formula-neutralised, and `--raw-csv` still writes them as they came.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const FORMULA = /^[=+\-@\t\r]/;
// Each record puts a formula in the columns only an input file can set; the texts are complaints, so they wait
// unanswered and reach unanswered.csv too.
const RECORDS = [
  { id: 'f:1', source: '=HYPERLINK("http://evil.example","open")', language: '+SUM(1,1)', text: 'Acme Cloud is down again, why no answer?' },
  { id: 'f:2', source: '@cmd', language: '-1+2', text: 'Acme Cloud billing is broken, please help?' },
  { id: 'f:3', source: '\tforum', language: '\ren', text: 'Why is Acme Cloud so slow?' },
].map((r) => ({ createdAt: '2026-11-20T10:00:00Z', brand: 'Acme Cloud', author: { handle: 'someone' }, ...r }));
const NOW = ['--now', '2026-11-23T09:00:00Z'];

let dir = '';
let input = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-csv-formulas-'));
  input = join(dir, 'mentions.ndjson');
  writeFileSync(input, `${RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rowsOf = (csv: string): Record<string, string>[] => parse(csv, { columns: true }) as Record<string, string>[];
/** `file: column` for every text cell that starts like a formula (a negative number is a number, not a formula). */
const formulaCells = (name: string, rows: Record<string, string>[]): string[] =>
  rows.flatMap((row) => Object.entries(row).filter(([, v]) => FORMULA.test(v) && !/^-\d+(\.\d+)?$/.test(v)).map(([col, v]) => `${name} ${row['id']}.${col}: ${JSON.stringify(v)}`));

describe('CSV formulas in any column', () => {
  it('-f csv and the report folder neutralise source and language (and every other column)', async () => {
    const out = join(dir, 'folder');
    const r = await runCli(['analyze', input, ...NOW, '-f', 'csv', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = rowsOf(r.stdout);
    expect(rows).toHaveLength(3);
    const byId = new Map(rows.map((row) => [row['id'], row]));
    expect(byId.get('f:1')).toMatchObject({ source: '\'=HYPERLINK("http://evil.example","open")', language: "'+SUM(1,1)" });
    expect(byId.get('f:2')).toMatchObject({ source: "'@cmd", language: "'-1+2" });
    expect(byId.get('f:3')).toMatchObject({ source: "'\tforum", language: "'\ren" });
    const unanswered = rowsOf(readFileSync(join(out, 'unanswered.csv'), 'utf8'));
    expect(unanswered.map((u) => u['source']).sort()).toEqual(["'=HYPERLINK(\"http://evil.example\",\"open\")", "'@cmd", "'\tforum"].sort());
    expect(formulaCells('stdout', rows)).toEqual([]);
    for (const name of ['mentions.csv', 'unanswered.csv', 'daily.csv', 'summary.csv']) {
      expect(formulaCells(name, rowsOf(readFileSync(join(out, name), 'utf8')))).toEqual([]);
    }
  });

  it('--raw-csv writes them as they came', async () => {
    const r = await runCli(['analyze', input, ...NOW, '-f', 'csv', '--raw-csv']);
    expect(r.code, r.stderr).toBe(0);
    const byId = new Map(rowsOf(r.stdout).map((row) => [row['id'], row]));
    for (const rec of RECORDS) expect(byId.get(rec.id)).toMatchObject({ source: rec.source, language: rec.language });
  });

  it('earshot reads its own neutralised CSV back to the original values', async () => {
    const csv = join(dir, 'own.csv');
    const first = await runCli(['analyze', input, ...NOW, '-f', 'csv', '-o', csv]);
    expect(first.code, first.stderr).toBe(0);
    const again = await runCli(['analyze', csv, ...NOW, '-f', 'json']);
    expect(again.code, again.stderr).toBe(0);
    const mentions = (JSON.parse(again.stdout) as { mentions: { id: string; source: string; language?: string }[] }).mentions;
    // (The CSV reader trims cells, so f:3's leading tab and CR do not come back; the prefix is removed either way.)
    for (const rec of RECORDS.slice(0, 2)) expect(mentions.find((m) => m.id === rec.id)).toMatchObject({ source: rec.source, language: rec.language });
  });
});
