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
import { SELECTORS_FIXTURE_OPTIONS } from '../helpers/source-harness.js';

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


/** Every registered source, each with a configuration that finds mentions in its fixtures. */
export const SCENARIOS: Record<string, Scenario> = {
  reddit: { id: 'reddit', baseUrl: (s) => s, options: () => ({}) },
  hn: { id: 'hn', baseUrl: (s) => s, options: () => ({ hitsPerPage: 4 }) },
  rss: {
    id: 'rss',
    baseUrl: (s) => s,
    options: (s) => ({ feeds: [`${s}/rss/search?q=acme+cloud+when:15d&hl=en-US&gl=US&ceid=US:en`, `${s}/feed/`], brandFeeds: [`${s}/feed/`] }),
    cliArgs: (s) => ['--feed', `${s}/rss/search?q=acme+cloud+when:15d&hl=en-US&gl=US&ceid=US:en`, '--brand-feed', `${s}/feed/`],
  },
  bluesky: {
    id: 'bluesky',
    baseUrl: (s) => s,
    options: (s) => ({ authBaseUrl: s, brandActor: 'acmecloud.bsky.social' }),
    env: { BLUESKY_HANDLE: 'fault.bsky.social', BLUESKY_APP_PASSWORD: 'fault-app-password' },
  },
  mastodon: { id: 'mastodon', baseUrl: (s) => s, options: () => ({ brandAccounts: 'https://mastodon.social/@acmecloud' }) },
  github: { id: 'github', baseUrl: (s) => s, options: () => ({ brandOrgs: 'acmecloud' }) },
  discourse: { id: 'discourse', baseUrl: (s) => s, options: () => ({ brandGroups: 'acme_staff' }) },
  stackexchange: { id: 'stackexchange', baseUrl: (s) => `${s}/2.3`, options: () => ({ brandUserIds: 4401877 }) },
  trustpilot: { id: 'trustpilot', baseUrl: (s) => s, options: () => ({ domain: 'acmecloud.example' }) },
  appstore: { id: 'appstore', baseUrl: (s) => s, options: () => ({ appId: 6449012345 }) },
  googleplay: { id: 'googleplay', baseUrl: (s) => s, options: () => ({ appId: 'example.acmecloud.mobile' }) },
  wordpress: { id: 'wordpress', baseUrl: (s) => s, options: () => ({ brandBlog: true, perPage: 2, commentsPerPage: 4 }) },
  blogger: { id: 'blogger', baseUrl: (s) => s, options: () => ({ brandBlog: true, perPage: 2, commentsPerPage: 4 }) },
  selectors: { id: 'selectors', baseUrl: (s) => s, options: () => ({ ...SELECTORS_FIXTURE_OPTIONS }) },
};

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
