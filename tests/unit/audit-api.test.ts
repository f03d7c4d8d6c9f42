/** The library's `audit(plan, deps)` in process, with an injected HTTP client serving hn's recorded fixtures. */
import { describe, expect, it } from 'vitest';
import { audit, planAudit } from '../../src/index.js';
import { NetworkError } from '../../src/core/errors.js';
import type { HttpClient } from '../../src/http/types.js';
import { routesClient, sourceFixtureDir, type SeenRequest } from '../helpers/source-harness.js';

const NOW = new Date('2026-11-23T09:00:00Z');
const hnPlan = (over: Partial<Parameters<typeof planAudit>[0]> = {}) =>
  planAudit({ brand: 'acme cloud', sources: ['hn'], options: { hn: { hitsPerPage: 4 } }, baseUrls: { hn: 'http://hn.test/' }, since: '2026-11-09', now: NOW, ...over });

describe('audit(plan, deps) with an injected HTTP client', () => {
  it('fetches through the injected client and resolves to the report', async () => {
    const requests: SeenRequest[] = [];
    const http = routesClient(sourceFixtureDir('hn'), requests, { status: 404, body: '{}' });
    const report = await audit(hnPlan(), { http, env: {} });
    expect(requests.length).toBeGreaterThan(1);
    // The base URL's trailing slash is dropped, as the CLI's --base-url does.
    expect(requests.every((r) => r.url.startsWith('http://hn.test/api/v1/'))).toBe(true);
    expect(report.generatedAt).toBe(NOW.toISOString());
    expect(report.settings).toMatchObject({ brands: ['acme cloud'], since: '2026-11-09T00:00:00.000Z', queries: { 'acme cloud': '"acme cloud"' }, timeZone: 'UTC' });
    expect(report.coverage).toEqual([{ source: 'hn', status: 'ok', mentions: expect.any(Number), warnings: [] }]);
    expect(report.coverage[0]!.mentions).toBeGreaterThan(3);
    expect(report.mentions.length).toBe(report.summary.overall.volume.total);
    expect(report.mentions.every((m) => m.source === 'hn' && m.brand === 'acme cloud')).toBe(true);
  });

  it('a source that fails is a coverage row, not a rejection', async () => {
    const http: HttpClient = {
      get: (url) => Promise.reject(new NetworkError(`hn: could not connect to ${new URL(url).host}`, { sourceId: 'hn' })),
      post: () => Promise.reject(new Error('no POST')),
      close: () => Promise.resolve(),
    };
    const report = await audit(hnPlan(), { http, env: {} });
    expect(report.coverage).toEqual([{ source: 'hn', status: 'failed', mentions: 0, warnings: [], error: { code: 'network', message: 'could not connect to hn.test' } }]);
    expect(report.summary.overall.volume.total).toBe(0);
    expect(report.warnings).toEqual(['hn: could not connect to hn.test']);
  });

  it('reads the window against the injected clock when the plan has no now', async () => {
    const requests: SeenRequest[] = [];
    const http = routesClient(sourceFixtureDir('hn'), requests, { status: 404, body: '{}' });
    const { now: _drop, ...plan } = hnPlan({ since: '14d' });
    void _drop;
    const report = await audit(plan, { http, env: {}, clock: () => NOW });
    expect(report.generatedAt).toBe(NOW.toISOString());
    expect(report.settings.since).toBe('2026-11-09T09:00:00.000Z');
  });

  it('refuses a plan naming an unknown source or a brand twice', () => {
    expect(() => planAudit({ brand: 'acme', sources: ['nope'] })).toThrow(/Unknown source 'nope'/);
    expect(() => planAudit({ brand: 'acme', sources: ['hn'], competitors: ['ACME'] })).toThrow(/both the brand and a competitor/);
  });
});
