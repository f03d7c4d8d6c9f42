/**
 * One working audit per source against its fixture folder, usable in-process (gather) and on the command line
 * (`earshot audit`): base URL, source options, environment. The fault suites point a source at a fixture server
 * that injects a fault and check the failure is classified and contained.
 */
import { join } from 'node:path';
import { SOURCES } from '../../src/sources/index.js';
import type { SourceQuery } from '../../src/sources/types.js';
import { serveFixtureDir, type FixtureServer } from '../helpers/fixture-server.js';
import { ROOT } from '../helpers/run-cli.js';

/** The fixture-server URL a scenario is built for. */
export interface Scenario {
  id: string;
  /** Base URL for the source (server URL plus any path prefix). */
  baseUrl(server: string): string;
  /** Source options (what `--source-option id.key=value` carries). */
  options(server: string): Record<string, unknown>;
  /** Environment the source reads (placeholder credentials where a login mode is exercised). */
  env?: Record<string, string>;
  /** The query, when not "acme cloud". */
  query?: string;
  /** Extra CLI flags (rss takes its feeds from --feed). */
  cliArgs?(server: string): string[];
}

/** The audit window every scenario uses (the fixtures were recorded for it). */
export const WINDOW = { since: new Date('2026-11-09T00:00:00Z'), now: new Date('2026-11-23T09:00:00Z') };


// rss reads its feeds from --feed / --brand-feed on the command line (its base URL is only Google News).
const CLI_ARGS: Record<string, (server: string) => string[]> = {
  rss: (s) => ['--feed', `${s}/rss/search?q=acme+cloud+when:15d&hl=en-US&gl=US&ceid=US:en`, '--brand-feed', `${s}/feed/`],
};

/** Every registered source, each with its own configuration against its fixtures (`Source.scenario`). */
export const SCENARIOS: Record<string, Scenario> = Object.fromEntries(
  Object.values(SOURCES).map((source) => {
    const { basePath = '', options, env, query } = source.scenario;
    const cliArgs = CLI_ARGS[source.id];
    const sc: Scenario = { id: source.id, baseUrl: (s) => `${s}${basePath}`, options, ...(env ? { env } : {}), ...(query ? { query } : {}), ...(cliArgs ? { cliArgs } : {}) };
    return [source.id, sc];
  }),
);

/** Source ids in registry order. */
export const SOURCE_IDS = Object.keys(SOURCES);

/** Starts one fixture server per source id (their paths overlap, so they cannot share one). */
export async function startSourceServers(ids: readonly string[]): Promise<Record<string, FixtureServer>> {
  const entries = await Promise.all(ids.map(async (id) => [id, await serveFixtureDir(join(ROOT, 'fixtures/sources', id))] as const));
  return Object.fromEntries(entries);
}

/** The SourceQuery for a scenario against a server. */
export function scenarioQuery(sc: Scenario, server: string): SourceQuery {
  return {
    query: sc.query ?? 'acme cloud',
    brand: 'acme cloud',
    brandHandles: [],
    since: WINDOW.since,
    limit: 500,
    options: sc.options(server),
  };
}

/** `earshot audit` flags that point one scenario at a server. */
export function scenarioArgs(sc: Scenario, server: string): string[] {
  const args = sc.id === 'rss' ? [] : ['--base-url', `${sc.id}=${sc.baseUrl(server)}`];
  if (sc.cliArgs) return [...args, ...sc.cliArgs(server)];
  for (const [key, value] of Object.entries(sc.options(server))) {
    args.push('--source-option', `${sc.id}.${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return args;
}
