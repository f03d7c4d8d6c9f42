/**
 * Golden pairs of a source's page parsers: fixtures/sources/<id>/golden/<label>/<case>.<ext> is a recorded page,
 * <case>.context.json the URL it came from (and, optionally, the source options to parse it with), and
 * <case>.expected.json what `source.parsers[label]` returns for it. The folder sits beside the files the fixture
 * server serves (fixtures/sources/<id>/*, routed by routes.json), so the served paths are untouched.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParseContext, Source } from '../../src/sources/types.js';
import { GOLDEN_SERVER, goldenQuery, goldenText } from '../../scripts/lib/golden-case.js';
import { ROOT } from './run-cli.js';

export { goldenText };

/** One recorded page with its context and expected parse. */
export interface GoldenCase {
  source: string;
  label: string;
  name: string;
  /** `json`, `xml`, `html`, `txt`, ... (the body's shape, for the fuzzer). */
  ext: string;
  body: string;
  ctx: ParseContext;
  expectedPath: string;
}

/** The folder of a source's golden pairs. */
function goldenDir(id: string): string {
  return join(ROOT, 'fixtures/sources', id, 'golden');
}

/** Labels that have a golden folder. */
export function goldenLabels(id: string): string[] {
  const dir = goldenDir(id);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Every golden case of a source, label by label, case by case. */
export function goldenCases(source: Source): GoldenCase[] {
  const out: GoldenCase[] = [];
  for (const label of goldenLabels(source.id)) {
    const dir = join(goldenDir(source.id), label);
    for (const file of readdirSync(dir).sort()) {
      const m = /^(.+)\.([a-z0-9]+)$/.exec(file);
      if (!m || file.endsWith('.expected.json') || file.endsWith('.context.json')) continue;
      const [, name, ext] = m as unknown as [string, string, string];
      const contextPath = join(dir, `${name}.context.json`);
      const context = existsSync(contextPath) ? (JSON.parse(readFileSync(contextPath, 'utf8')) as { url?: string; options?: Record<string, unknown> }) : {};
      out.push({
        source: source.id,
        label,
        name,
        ext,
        body: readFileSync(join(dir, file), 'utf8'),
        ctx: { query: goldenQuery(source, context.options), url: context.url ?? `${GOLDEN_SERVER}/` },
        expectedPath: join(dir, `${name}.expected.json`),
      });
    }
  }
  return out;
}
