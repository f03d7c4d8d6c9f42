/**
 * What a golden pair is parsed with, shared by the registry test (tests/helpers/golden.ts) and
 * `npm run fixture:from-raw`, so an expected file the script writes is the one the test holds the parser to.
 */
import type { Source, SourceQuery } from '../../src/sources/types.js';

/** The fixture server URL the golden contexts and scenario options are written for. */
export const GOLDEN_SERVER = 'http://fixtures.test';

/** The query every golden case is parsed with: the source's scenario options unless the case names its own. */
export function goldenQuery(source: Source, options?: Record<string, unknown>): SourceQuery {
  return {
    query: source.scenario.query ?? 'acme cloud',
    brand: 'Acme Cloud',
    brandHandles: ['acmecloud', 'AcmeCloudSupport'],
    since: new Date('2026-11-09T00:00:00Z'),
    limit: 500,
    options: options ?? source.scenario.options(GOLDEN_SERVER),
  };
}

/** A parse result as the expected file holds it: two-space JSON and a final newline. */
export function goldenText(result: unknown): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
