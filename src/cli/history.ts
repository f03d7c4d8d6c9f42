/** `--history DIR`: reads the earlier report.json files for trend lines, each streamed without its mentions. */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SCHEMA_VERSION, type Report } from '../core/report.js';
import { readMembersExcept, ReportShapeError } from '../input/report-json.js';
import type { HistoryReport } from '../report/history.js';
import { reason } from './io.js';

/**
 * The earlier reports in `dir`: its `*.json` files and the `report.json` of each folder in it (a `--out
 * reports/{date}` layout), in name order. A file that cannot be read, is not an earshot report or is from a newer
 * earshot is named with its reason in a warning and skipped: a bad week never stops this week's report.
 */
export async function readHistory(dir: string, log: { warn(m: string): void }): Promise<HistoryReport[]> {
  let names: { name: string; folder: boolean }[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).map((e) => ({ name: e.name, folder: e.isDirectory() }));
  } catch (e) {
    log.warn(`--history '${dir}' cannot be read (${reason(e)}); reporting without trends.`);
    return [];
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const { name, folder } of names) {
    if (name.startsWith('.')) continue;
    if (folder) {
      const inner = join(name, 'report.json');
      try {
        if ((await stat(join(dir, inner))).isFile()) files.push(inner);
      } catch {
        log.warn(`--history '${join(dir, name)}' has no report.json; skipped.`);
      }
    } else if (name.endsWith('.json')) files.push(name);
  }
  const out: HistoryReport[] = [];
  for (const file of files) {
    const path = join(dir, file);
    try {
      out.push({ file, report: await readOne(path) });
    } catch (e) {
      log.warn(`--history '${path}' skipped: ${e instanceof Error ? e.message : String(e)}.`);
    }
  }
  if (out.length === 0) log.warn(`--history '${dir}' holds no earlier earshot report.json; reporting without trends.`);
  return out;
}

/** One report's members but its mentions, checked to be an earshot report this version reads; throws the reason. */
async function readOne(path: string): Promise<Pick<Report, 'generatedAt' | 'summary'>> {
  let members: Record<string, unknown>;
  try {
    members = await readMembersExcept(createReadStream(path), ['mentions']);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== undefined) throw new Error(`cannot be read (${reason(e)})`, { cause: e });
    if (e instanceof ReportShapeError) throw new Error(`line ${e.line}: not an earshot report.json (${e.message})`, { cause: e });
    throw new Error('not valid JSON', { cause: e });
  }
  const r = members as Partial<Report>;
  if (typeof r.schemaVersion !== 'number' || !r.summary || typeof r.summary !== 'object' || !r.summary.overall || !Array.isArray(r.summary.brands)) {
    throw new Error('not an earshot report.json (no schemaVersion or summary)');
  }
  if (r.schemaVersion > SCHEMA_VERSION) throw new Error(`schemaVersion ${r.schemaVersion} is newer than this earshot understands (${SCHEMA_VERSION})`);
  if (typeof r.generatedAt !== 'string' || Number.isNaN(Date.parse(r.generatedAt))) throw new Error('no readable generatedAt');
  return { generatedAt: r.generatedAt, summary: r.summary };
}
