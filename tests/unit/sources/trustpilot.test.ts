import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpClient } from '../../../src/http/types.js';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { SourceError } from '../../../src/core/errors.js';
import { domainOption, reviewPageUrl } from '../../../src/sources/trustpilot/fetch.js';
import { trustpilotSource } from '../../../src/sources/trustpilot/index.js';
import { detectTrustpilotWall, parseTrustpilotPage } from '../../../src/sources/trustpilot/parse.js';
import { byId, collect as collectBatches, fixtureReader, loggedContext, realHttpForSuite, sourceFixtureDir, sourceQuery } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('trustpilot');
const fixture = fixtureReader(DIR);

const query = (overrides: Partial<SourceQuery> = {}): SourceQuery =>
  sourceQuery({ options: { domain: 'acmecloud.example' }, ...overrides });

/** A copy of page 1's __NEXT_DATA__ with one review edited, re-embedded in the page. */
function editedPage(edit: (reviews: Record<string, unknown>[]) => void): string {
  const html = fixture('review-page1.html');
  const match = /(<script id="__NEXT_DATA__" type="application\/json">)(.*?)(<\/script>)/s.exec(html);
  if (!match) throw new Error('fixture has no __NEXT_DATA__');
  const data = JSON.parse(match[2]!) as { props: { pageProps: { reviews: Record<string, unknown>[] } } };
  edit(data.props.pageProps.reviews);
  return html.replace(match[2]!, JSON.stringify(data).replace(/</g, '\\u003c'));
}

describe('trustpilot parse', () => {
  it('reads reviews and company replies from __NEXT_DATA__', () => {
    const page = parseTrustpilotPage(fixture('review-page1.html'), query());
    expect(page.warnings).toEqual([]);
    expect(page.reviewCount).toBe(20);
    expect(page.removed).toBe(1);
    expect(page.pagination).toEqual({ currentPage: 1, perPage: 20, totalCount: 27, totalPages: 2 });
    expect(page.domain).toBe('acmecloud.example');
    expect(page.companyName).toBe('Acme Cloud');
    expect(page.oldest).toBe('2026-11-12T07:34:00.000Z');
    // 19 kept reviews (one removed) + 5 replies.
    expect(page.mentions.filter((m) => m.kind === 'review')).toHaveLength(19);
    expect(page.mentions.filter((m) => m.kind === 'comment')).toHaveLength(5);

    const night = byId(page.mentions, 'trustpilot:6740c3a1f2e9b80d1c7a4e01');
    expect(night).toMatchObject({
      source: 'trustpilot',
      kind: 'review',
      rating: 1,
      fromBrand: false,
      brand: 'Acme Cloud',
      createdAt: '2026-11-22T03:14:52.000Z',
      threadId: 'trustpilot:6740c3a1f2e9b80d1c7a4e01',
      title: 'Database down all Saturday night, nobody answers',
      url: 'https://www.trustpilot.com/reviews/6740c3a1f2e9b80d1c7a4e01',
      language: 'en',
      engagement: { likes: 3, replies: 0 },
      author: { name: 'Dana Whitfield' },
    });
    // Next.js escapes & as \u0026 inside __NEXT_DATA__; the text comes back with a plain ampersand.
    expect(night.text).toContain('"Pro" plan & getting hobby-tier support.');
    expect(night.author.id).toMatch(/^65[0-9a-f]{22}$/);
    expect(page.mentions.some((m) => m.parentId === night.id)).toBe(false);
  });

  it('makes each company reply a brand comment under its review, dated by the reply', () => {
    const page = parseTrustpilotPage(fixture('review-page1.html'), query());
    const reply = byId(page.mentions, 'trustpilot:673b9c1d2e3f4a5b6c7d8e06:reply');
    expect(reply).toMatchObject({
      kind: 'comment',
      fromBrand: true,
      parentId: 'trustpilot:673b9c1d2e3f4a5b6c7d8e06',
      threadId: 'trustpilot:673b9c1d2e3f4a5b6c7d8e06',
      createdAt: '2026-11-17T15:48:03.000Z',
      author: { name: 'Acme Cloud' },
      brand: 'Acme Cloud',
    });
    expect(reply.text).toMatch(/^Hi Hannah, we are sorry/);
    expect(byId(page.mentions, 'trustpilot:673b9c1d2e3f4a5b6c7d8e06').engagement.replies).toBe(1);
    const deflection = byId(page.mentions, 'trustpilot:673d0f9a8b7c6d5e4f3a2b05:reply');
    expect(deflection.text).toContain('with your account email');
  });

  it('keeps paragraphs, emoji, non-ASCII text and the review language', () => {
    const page = parseTrustpilotPage(fixture('review-page1.html'), query());
    const billing = byId(page.mentions, 'trustpilot:6740a8e7c1d2f3a4b5c6d702');
    expect(billing.text).toContain('bot just loops.\n\nPlease refund the duplicate charge.');
    const promo = byId(page.mentions, 'trustpilot:673f1b2ce8a9d0f1a2b3c403');
    expect(promo.title).toBe('Black Friday deal is real 🎉');
    const french = byId(page.mentions, 'trustpilot:673a7e6f5d4c3b2a1f0e9d07');
    expect(french.language).toBe('fr');
    expect(french.text).toContain('Hébergement rapide et fiable');
    expect(byId(page.mentions, 'trustpilot:6738f1e2d3c4b5a6978a6b09').text).toContain('<no surprises>');
  });

  it('drops a removed review but keeps a [deleted] placeholder when the company replied to it', () => {
    const page = parseTrustpilotPage(fixture('review-page1.html'), query());
    expect(page.mentions.find((m) => m.id === 'trustpilot:6737c0b1a2f3e4d5c6b7a810')).toBeUndefined();
    const placeholder = byId(page.mentions, 'trustpilot:6736b9a8c7d6e5f4a3b2c111');
    expect(placeholder.text).toBe('[deleted]');
    expect(placeholder.rating).toBe(2);
    expect(byId(page.mentions, 'trustpilot:6736b9a8c7d6e5f4a3b2c111:reply').createdAt).toBe('2026-11-13T14:02:00.000Z');
  });

  it('uses the site URL in force for permalinks', () => {
    const page = parseTrustpilotPage(fixture('review-page2.html'), query(), { siteUrl: 'http://127.0.0.1:9/' });
    expect(page.mentions[0]!.url).toBe('http://127.0.0.1:9/reviews/6733d4c5b6a7980f1e2d3c21');
  });

  it('marks a reviewer whose name is a configured brand handle', () => {
    const page = parseTrustpilotPage(fixture('review-page1.html'), query({ brandHandles: ['@priya n.'] }));
    expect(byId(page.mentions, 'trustpilot:673f1b2ce8a9d0f1a2b3c403').fromBrand).toBe(true);
  });

  it('turns a missing rating into undefined plus a warning, and a missing id into a skipped item', () => {
    const html = editedPage((reviews) => {
      delete reviews[0]!['rating'];
      delete reviews[1]!['id'];
    });
    const page = parseTrustpilotPage(html, query());
    expect(byId(page.mentions, 'trustpilot:6740c3a1f2e9b80d1c7a4e01').rating).toBeUndefined();
    expect(page.warnings).toContain('trustpilot: review 6740c3a1f2e9b80d1c7a4e01 has no readable "rating" (1-5).');
    expect(page.warnings).toContain('trustpilot: review #2 on the page has no "id"; skipped.');
    expect(page.mentions.find((m) => m.id === 'trustpilot:6740a8e7c1d2f3a4b5c6d702')).toBeUndefined();
  });

  it('ignores a reply it cannot date, with a warning, instead of inventing a response time', () => {
    const html = editedPage((reviews) => {
      (reviews[2]!['reply'] as Record<string, unknown>)['publishedDate'] = 'soon';
    });
    const page = parseTrustpilotPage(html, query());
    expect(page.mentions.find((m) => m.id === 'trustpilot:673f1b2ce8a9d0f1a2b3c403:reply')).toBeUndefined();
    expect(page.warnings[0]).toMatch(/reply to review 673f1b2ce8a9d0f1a2b3c403 has no readable "publishedDate"/);
  });

  it('throws bad-response when the page has no __NEXT_DATA__ (layout changed)', () => {
    expect(() => parseTrustpilotPage(fixture('layout-changed.html'), query())).toThrowError(
      expect.objectContaining({ code: 'bad-response', message: expect.stringContaining('__NEXT_DATA__') }),
    );
    const noReviews = '<html><script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"categories":[]}}}</script></html>';
    expect(() => parseTrustpilotPage(noReviews, query())).toThrowError(expect.objectContaining({ code: 'bad-response' }));
    const broken = '<html><script id="__NEXT_DATA__" type="application/json">{"props":</script></html>';
    expect(() => parseTrustpilotPage(broken, query())).toThrowError(/not valid JSON/);
  });

  it('recognises the AWS WAF wall and throws blocked with advice', () => {
    expect(detectTrustpilotWall(fixture('wall-aws-waf.html'))).toBe('AWS WAF challenge');
    expect(detectTrustpilotWall(fixture('review-page1.html'))).toBeUndefined();
    expect(detectTrustpilotWall('<html><head><title>Just a moment...</title></head></html>')).toBe('Cloudflare challenge');
    expect(detectTrustpilotWall('<script src="https://ct.captcha-delivery.com/c.js"></script>')).toBe('DataDome CAPTCHA');
    try {
      parseTrustpilotPage(fixture('wall-aws-waf.html'), query());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).code).toBe('blocked');
      expect((error as SourceError).message).toContain('--from-html DIR');
      expect((error as SourceError).message).toContain('TRUSTPILOT_COOKIE');
    }
  });
});

describe('trustpilot options and URLs', () => {
  it('builds review-page URLs on the base URL in force', () => {
    expect(reviewPageUrl('https://www.trustpilot.com', 'acmecloud.example', 2)).toBe(
      'https://www.trustpilot.com/review/acmecloud.example?page=2&sort=recency',
    );
    expect(reviewPageUrl('http://127.0.0.1:5000/', 'acmecloud.example', 1)).toBe(
      'http://127.0.0.1:5000/review/acmecloud.example?page=1&sort=recency',
    );
  });

  it('accepts a bare domain or a pasted Trustpilot URL', () => {
    expect(domainOption({ domain: 'AcmeCloud.example' })).toBe('acmecloud.example');
    expect(domainOption({ domain: 'https://www.trustpilot.com/review/acmecloud.example?page=3' })).toBe('acmecloud.example');
    expect(domainOption({})).toBeUndefined();
    expect(() => domainOption({ domain: 7 })).toThrowError(expect.objectContaining({ code: 'config' }));
  });
});

describe('trustpilot fetch over real HTTP', () => {
  const real = realHttpForSuite(DIR);

  const context = (q: SourceQuery, env: Record<string, string | undefined> = {}) => loggedContext(real.http, q, { baseUrl: real.server.url, env });

  const collect = (ctx: SourceContext) => collectBatches(trustpilotSource, ctx);

  it('pages until the last page, keeps the window and sends the cookie only as a header', async () => {
    real.server.resetLog();
    const { ctx, log } = context(query(), { TRUSTPILOT_COOKIE: 'aws-waf-token=abc123:secret' });
    const { mentions, warnings, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(real.server.requests.map((r) => r.url)).toEqual([
      '/review/acmecloud.example?page=1&sort=recency',
      '/review/acmecloud.example?page=2&sort=recency',
    ]);
    expect(real.server.requests[0]!.headers['cookie']).toBe('aws-waf-token=abc123:secret');
    // Page 1: 19 reviews + 5 replies; page 2: the two November reviews (October ones are before since).
    expect(mentions).toHaveLength(26);
    expect(mentions.map((m) => m.id)).toContain('trustpilot:6732a1b2c3d4e5f6a7b8c922');
    expect(mentions.map((m) => m.id)).not.toContain('trustpilot:672f7e8d9c0b1a2f3e4d5c23');
    expect(mentions[0]!.url).toBe(`${real.server.url}/reviews/6740c3a1f2e9b80d1c7a4e01`);
    expect(warnings).toEqual([]);
    expect(log.lines).toContainEqual({ level: 'debug', message: 'trustpilot: 1 removed reviews left out.' });
    expect(JSON.stringify(log.lines)).not.toContain('abc123');
  });

  it('stops paging once a page reaches back past since', async () => {
    real.server.resetLog();
    const { ctx } = context(query({ since: new Date('2026-11-15T00:00:00Z') }), { TRUSTPILOT_COOKIE: 'x=1' });
    const { mentions, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(real.server.requests).toHaveLength(1);
    expect(mentions.filter((m) => m.kind === 'review').map((m) => m.createdAt.slice(0, 10))).toEqual([
      '2026-11-22', '2026-11-21', '2026-11-20', '2026-11-19', '2026-11-18', '2026-11-17', '2026-11-16', '2026-11-15',
    ]);
  });

  it('stops at the limit', async () => {
    real.server.resetLog();
    const { ctx } = context(query({ limit: 4 }), { TRUSTPILOT_COOKIE: 'x=1' });
    const { mentions } = await collect(ctx);
    expect(mentions).toHaveLength(4);
    expect(real.server.requests).toHaveLength(1);
  });

  it('warns once that TRUSTPILOT_COOKIE is missing and still tries', async () => {
    real.server.resetLog();
    const { ctx } = context(query());
    const { warnings, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/TRUSTPILOT_COOKIE is not set.*--from-html DIR/);
    expect(real.server.requests[0]!.headers['cookie']).toBeUndefined();
  });

  it.each([
    ['blocked.example', 'AWS WAF challenge (HTTP 202)'],
    ['refused.example', 'HTTP 403'],
    ['captcha.example', 'AWS WAF CAPTCHA (HTTP 405)'],
    ['wall200.example', 'challenge page served with HTTP 200'],
  ])('classifies the wall at %s as blocked with advice (%s)', async (domain) => {
    const { ctx } = context(query({ options: { domain } }));
    const { batches, error } = await collect(ctx);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('blocked');
    expect((error as SourceError).message).toContain(`trustpilot.com/review/${domain}`);
    expect((error as SourceError).message).toContain('--from-html DIR');
    expect(batches.flatMap((b) => b.mentions)).toEqual([]);
  });

  it('says a refused cookie should be refreshed', async () => {
    const { ctx } = context(query({ options: { domain: 'blocked.example' } }), { TRUSTPILOT_COOKIE: 'aws-waf-token=old' });
    const { error } = await collect(ctx);
    expect((error as SourceError).message).toContain('TRUSTPILOT_COOKIE was sent but refused');
    expect((error as SourceError).message).not.toContain('aws-waf-token=old');
  });

  it('throws bad-response on a changed layout and keeps the pages read before it', async () => {
    const changed = await collect(context(query({ options: { domain: 'changed.example' } }), { TRUSTPILOT_COOKIE: 'x=1' }).ctx);
    expect((changed.error as SourceError).code).toBe('bad-response');
    const partial = await collect(context(query({ options: { domain: 'partial.example' } }), { TRUSTPILOT_COOKIE: 'x=1' }).ctx);
    expect((partial.error as SourceError).code).toBe('bad-response');
    expect(partial.mentions).toHaveLength(24);
  });

  it('needs a domain unless fromHtml is given', async () => {
    const { error } = await collect(context(query({ options: {} })).ctx);
    expect(error).toMatchObject({ code: 'config' });
    expect((error as Error).message).toContain('"domain" is required');
  });

  it('reads saved pages from a folder with no network, skipping a saved wall page with a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-tp-'));
    writeFileSync(join(dir, 'acme-1.html'), fixture('review-page1.html'));
    writeFileSync(join(dir, 'acme-2.html'), fixture('review-page2.html'));
    writeFileSync(join(dir, 'acme-3.html'), fixture('wall-aws-waf.html'));
    writeFileSync(join(dir, 'notes.txt'), 'not a page');
    const noNetwork: HttpClient = {
      get: () => Promise.reject(new Error('network used')),
      post: () => Promise.reject(new Error('network used')),
      close: () => Promise.resolve(),
    };
    const { ctx } = context(query({ options: { fromHtml: dir } }));
    const { mentions, warnings, error } = await collect({ ...ctx, http: noNetwork });
    expect(error).toBeUndefined();
    expect(mentions).toHaveLength(26);
    expect(mentions[0]!.url).toBe('https://www.trustpilot.com/reviews/6740c3a1f2e9b80d1c7a4e01');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^trustpilot: acme-3\.html skipped: .*bot wall/);
  });

  it('fails from saved pages when none of them is a review page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-tp-'));
    writeFileSync(join(dir, 'page.html'), fixture('layout-changed.html'));
    const { error } = await collect(context(query({ options: { fromHtml: dir } })).ctx);
    expect(error).toMatchObject({ code: 'bad-response' });
    const empty = mkdtempSync(join(tmpdir(), 'earshot-tp-'));
    const none = await collect(context(query({ options: { fromHtml: empty } })).ctx);
    expect(none.error).toMatchObject({ code: 'config' });
  });
});
