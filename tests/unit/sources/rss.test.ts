import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SourceError, SourceSkippedError } from '../../../src/core/errors.js';
import { memoryLogger, silentLogger } from '../../../src/core/log.js';
import type { Mention } from '../../../src/core/mention.js';
import type { EarshotHttpClient } from '../../../src/http/index.js';
import { htmlToText } from '../../../src/sources/shared/html-text.js';
import { ALERTS_ENV, feedTargets, fetchRss, googleNewsUrl } from '../../../src/sources/rss/fetch.js';
import { rssSource } from '../../../src/sources/rss/index.js';
import { matchesQuery, parseFeed, rssMentionId, unwrapGoogleRedirect } from '../../../src/sources/rss/parse.js';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { collectOrThrow, fixtureReader, realHttp, sourceContext, sourceFixtureDir, sourceQuery, TEST_NOW, type FixtureServer } from '../../helpers/source-harness.js';

const dir = sourceFixtureDir('rss');
const fixture = fixtureReader(dir);

const query: SourceQuery = sourceQuery({ brandHandles: ['acmecloud'], until: new Date(TEST_NOW), limit: 1000 });
const plain = { feedLabel: 'test', fromBrandFeed: false };

const byTitle = (ms: Mention[], title: string): Mention => {
  const m = ms.find((x) => x.title === title);
  if (m === undefined) throw new Error(`no mention titled ${title}`);
  return m;
};

describe('htmlToText', () => {
  it('keeps paragraph breaks, list lines and decodes entities', () => {
    expect(htmlToText('<p>One &amp; two</p><p>Three&nbsp;four</p><ul>\n<li>a</li>\n<li>b</li>\n</ul>x<br>y<br><br>z')).toBe(
      'One & two\n\nThree four\n\na\nb\n\nx\ny\n\nz',
    );
    expect(htmlToText('Hi &#x27;there&#x27;<p>Second <script>alert(1)</script>line')).toBe("Hi 'there'\n\nSecond line");
    expect(htmlToText(null)).toBe('');
  });
});

describe('parseFeed: Google News search RSS', () => {
  const res = parseFeed(fixture('google-news-search.xml'), query, plain);

  it('reads every item with the publisher split out of the title', () => {
    expect(res.format).toBe('rss');
    expect(res.title).toBe('acme cloud when:15d - Google News');
    expect(res.warnings).toEqual([]);
    expect(res.mentions).toHaveLength(6);
    const m = byTitle(res.mentions, 'Acme Cloud outage knocks small online shops offline for two hours');
    expect(m).toMatchObject({
      source: 'rss',
      kind: 'post',
      author: { name: 'Hosting Herald', handle: 'hostingherald.example' },
      createdAt: '2026-11-10T18:45:00.000Z',
      fromBrand: false,
      brand: 'Acme Cloud',
      language: 'en',
      // The description is the headline and the publisher again: the title holds it once.
      text: '',
    });
    expect(m.url).toMatch(/^https:\/\/news\.google\.com\/rss\/articles\/CBMi[\w-]+\?oc=5$/);
    expect(m.threadId).toBe(m.id);
  });

  it('decodes entities in titles and derives ids from the guid', () => {
    const m = byTitle(res.mentions, 'Acme Cloud rolls out database branching & 20% launch discount');
    const guid = /<guid isPermaLink="false">([^<]+)<\/guid><pubDate>Wed, 18 Nov 2026 16:05/.exec(fixture('google-news-search.xml'))?.[1];
    expect(m.id).toBe(rssMentionId(guid!));
    expect(m.id).toMatch(/^rss:[0-9a-f]{16}$/);
  });
});

describe('parseFeed: Google Alerts Atom', () => {
  const res = parseFeed(fixture('google-alerts.xml'), query, plain);

  it('unwraps google.com/url links and reduces the HTML title and content', () => {
    expect(res.format).toBe('atom');
    expect(res.mentions).toHaveLength(4);
    const m = byTitle(res.mentions, 'My weekend with Acme Cloud support: 3 tickets, 0 replies');
    expect(m.url).toBe('https://ops-diary.example/2026/11/22/weekend-acme-cloud-support/');
    expect(m.createdAt).toBe('2026-11-22T15:40:00.000Z');
    expect(m.text).toBe(
      'Saturday 2am: our Acme Cloud Postgres primary fails over and never comes back. Three tickets later, still no human reply & the status page is green ...',
    );
    expect(m.author).toEqual({});
    expect(m.id).toBe(rssMentionId('tag:google.com,2013:googlealerts/feed:8841203367755120934'));
  });

  it('keeps emoji, double-escaped entities and French text', () => {
    expect(res.mentions.map((m) => m.title)).toContain("5 reasons we ❤️ Acme Cloud's managed Postgres");
    const fr = byTitle(res.mentions, 'Acme Cloud : la facturation en euros fait grincer des dents');
    expect(fr.text).toContain("Les clients européens d'Acme Cloud se plaignent");
    expect(fr.text).toContain('« sous 72 heures »');
  });
});

describe('parseFeed: WordPress RSS 2.0', () => {
  it('reads dc:creator, content:encoded, RFC 822 dates and comment counts; brand feed items are the brand', () => {
    const res = parseFeed(fixture('acme-blog.xml'), query, { feedLabel: 'blog', fromBrandFeed: true });
    expect(res.title).toBe('Acme Cloud Blog');
    expect(res.mentions.map((m) => m.createdAt)).toEqual([
      '2026-11-21T22:00:00.000Z',
      '2026-11-20T14:00:00.000Z',
      '2026-11-18T14:55:00.000Z',
    ]);
    const promo = byTitle(res.mentions, 'Black Friday: 40% off managed Postgres for 12 months');
    expect(promo).toMatchObject({
      author: { name: 'Maya Chen' },
      fromBrand: true,
      engagement: { replies: 4 },
      url: 'https://blog.acmecloud.example/2026/11/20/black-friday-managed-postgres/',
    });
    expect(promo.text).toBe(
      'Our biggest sale ever: 40% off every managed Postgres plan on Acme Cloud for your first 12 months – use code BF2026 at checkout.\n\nDaily backups & point-in-time restore\nDatabase branching included\n\nThe offer ends Monday, November 30 at 23:59 PT. 🎉',
    );
    expect(promo.id).toBe(rssMentionId('https://blog.acmecloud.example/?p=1174'));
  });

  it('marks an item by a brand handle as the brand even outside a brand feed', () => {
    const body = fixture('acme-blog.xml').replace('<![CDATA[Maya Chen]]>', '<![CDATA[@AcmeCloud]]>');
    const res = parseFeed(body, query, plain);
    expect(res.mentions.filter((m) => m.fromBrand).map((m) => m.title)).toEqual(['Black Friday: 40% off managed Postgres for 12 months']);
  });
});

describe('parseFeed: forgiving and strict', () => {
  it('a missing link is undefined plus a warning; an unreadable date keeps the item with the feed\'s date, marked dateEstimated', () => {
    const body = fixture('acme-blog.xml')
      .replace('<link>https://blog.acmecloud.example/2026/11/20/black-friday-managed-postgres/</link>', '')
      .replace('<pubDate>Wed, 18 Nov 2026 14:55:00 +0000</pubDate>', '<pubDate>sometime last week</pubDate>');
    const res = parseFeed(body, query, { feedLabel: 'blog', fromBrandFeed: true });
    expect(res.mentions).toHaveLength(3);
    expect(byTitle(res.mentions, 'Black Friday: 40% off managed Postgres for 12 months').url).toBeUndefined();
    const undated = byTitle(res.mentions, 'Introducing database branching for Acme Cloud Postgres');
    // The channel's lastBuildDate, Sat, 21 Nov 2026 22:00:41 +0000.
    expect(undated.createdAt).toBe('2026-11-21T22:00:41.000Z');
    expect(undated.dateEstimated).toBe(true);
    expect(res.mentions.filter((m) => m.dateEstimated)).toHaveLength(1);
    expect(res.warnings).toEqual([
      'rss: feed blog item #2 ("Black Friday: 40% off managed Postgres for 12 months") has no link',
      'rss: feed blog: 1 item(s) without a readable pubDate (#3 ("sometime last week")) are kept with the feed\'s own date (2026-11-21T22:00:41.000Z) and marked dateEstimated',
    ]);
  });

  it('a feed without a date of its own dates unreadable items with the fetch time, in one warning for the feed', () => {
    const body = fixture('acme-blog.xml')
      .replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, '')
      .replace(/<pubDate>[^<]*<\/pubDate>/g, '<pubDate>n/a</pubDate>');
    const res = parseFeed(body, query, { feedLabel: 'blog', fromBrandFeed: true, fetchedAt: '2026-11-22T08:00:00.000Z' });
    expect(res.mentions).toHaveLength(3);
    expect(res.mentions.every((m) => m.dateEstimated === true && m.createdAt === '2026-11-22T08:00:00.000Z')).toBe(true);
    expect(res.warnings).toEqual([
      'rss: feed blog: 3 item(s) without a readable pubDate (#1 ("n/a"), #2 ("n/a"), #3 ("n/a")) are kept with the time it was read (2026-11-22T08:00:00.000Z) and marked dateEstimated',
    ]);
    // Without a fetch time either (the pure parser alone), there is no honest date: the item is skipped, and said so.
    expect(parseFeed(body, query, { feedLabel: 'blog', fromBrandFeed: true }).mentions).toHaveLength(0);
  });

  it('an Atom entry with no id falls back to its link for the id', () => {
    const body = fixture('google-alerts.xml').replace('<id>tag:google.com,2013:googlealerts/feed:2267310984451238812</id>', '');
    const res = parseFeed(body, query, plain);
    expect(res.mentions).toHaveLength(4);
    expect(res.mentions[1]!.id).toBe(rssMentionId('https://buildlog.example/posts/why-we-love-acme-cloud-postgres'));
  });

  it('throws bad-response with a one-sentence reason for an HTML page, JSON, or an empty body', () => {
    const attempt = (body: string): SourceError => {
      try {
        parseFeed(body, query, { feedLabel: 'https://news.google.com/rss/search?q=acme', fromBrandFeed: false });
      } catch (err) {
        return err as SourceError;
      }
      throw new Error('expected a throw');
    };
    const html = attempt(fixture('not-a-feed.html'));
    expect(html).toBeInstanceOf(SourceError);
    expect(html.code).toBe('bad-response');
    expect(html.message).toBe(
      'Feed https://news.google.com/rss/search?q=acme: expected an RSS 2.0 or Atom feed (<rss> or <feed> root), got a <html> document.',
    );
    expect(attempt('{"items":[]}').message).toMatch(/got a body with no XML root element\.$/);
    expect(attempt('').code).toBe('bad-response');
    expect(attempt('<rss version="2.0"></rss>').message).toMatch(/got an <rss> root with no <channel>\.$/);
  });
});

describe('parseFeed: other shapes', () => {
  it('reads RSS 1.0 (RDF) items with dc:date and rdf:about, and RSS <author> as "email (Name)"', () => {
    const rdf = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://news.example/"><title>News</title><dc:language>fr-FR</dc:language></channel>
      <item rdf:about="https://news.example/a"><title>Acme Cloud augmente ses prix</title><description>Hausse de 12&amp;nbsp;%</description><dc:date>2026-11-12T10:00:00+01:00</dc:date></item>
    </rdf:RDF>`;
    const res = parseFeed(rdf, query, plain);
    expect(res.format).toBe('rdf');
    expect(res.mentions[0]).toMatchObject({
      id: rssMentionId('https://news.example/a'),
      url: 'https://news.example/a',
      createdAt: '2026-11-12T09:00:00.000Z',
      language: 'fr',
      text: 'Hausse de 12 %',
    });
    const rss = `<rss version="2.0"><channel><title>t</title><item><title>x</title><link>https://e.example/1</link><author>ops@e.example (Dana Ortiz)</author><pubDate>Mon, 16 Nov 2026 09:30:00 EST</pubDate></item></channel></rss>`;
    expect(parseFeed(rss, query, plain).mentions[0]).toMatchObject({ author: { name: 'Dana Ortiz' }, createdAt: '2026-11-16T14:30:00.000Z' });
  });

  it('does not repeat the title at the start of the text, whatever its spacing and case', () => {
    const item = (title: string, description: string): string =>
      `<rss version="2.0"><channel><title>t</title><item><title>${title}</title><link>https://e.example/1</link><description>${description}</description><pubDate>Mon, 16 Nov 2026 09:30:00 GMT</pubDate></item></channel></rss>`;
    const text = (title: string, description: string): string => parseFeed(item(title, description), query, plain).mentions[0]!.text;
    expect(text('Acme Cloud outage: shops offline', '&lt;p&gt;&lt;b&gt;Acme  Cloud&lt;/b&gt; outage: shops offline&lt;/p&gt;&lt;p&gt;Two hours without checkout.&lt;/p&gt;')).toBe('Two hours without checkout.');
    expect(text('Acme Cloud outage', 'ACME CLOUD OUTAGE — two hours without checkout.')).toBe('two hours without checkout.');
    expect(text('Acme Cloud outage', 'Acme Cloud outage')).toBe('');
    // Only a whole copy: a title that is the start of a longer word is not one.
    expect(text('Acme', 'Acmeville shops report an outage.')).toBe('Acmeville shops report an outage.');
    expect(text('Acme Cloud outage', 'Shops say the Acme Cloud outage lasted two hours.')).toBe('Shops say the Acme Cloud outage lasted two hours.');
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>urn:x:2</id><title>Acme Cloud notes</title><link href="https://e.example/n"/>
      <updated>2026-11-16T09:30:00Z</updated><summary>Acme Cloud notes. What changed this week.</summary></entry></feed>`;
    expect(parseFeed(atom, query, plain).mentions[0]).toMatchObject({ title: 'Acme Cloud notes', text: 'What changed this week.' });
  });

  it('reads Atom xhtml content and the alternate link among several', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>urn:x:1</id><title>Acme Cloud notes</title>
      <link rel="self" href="https://e.example/self"/><link rel="alternate" href="https://e.example/post"/>
      <updated>2026-11-16T09:30:00-05:00</updated><author><name>Dana</name><uri>https://e.example/dana</uri></author>
      <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One</p><p>Two &amp; three</p></div></content></entry></feed>`;
    expect(parseFeed(atom, query, plain).mentions[0]).toMatchObject({
      url: 'https://e.example/post',
      text: 'One\n\nTwo & three',
      createdAt: '2026-11-16T14:30:00.000Z',
      author: { name: 'Dana', id: 'https://e.example/dana' },
    });
  });
});

describe('matchesQuery and unwrapGoogleRedirect', () => {
  it('matches every query word as a whole word, or the words written together', () => {
    expect(matchesQuery('acme cloud', 'Outage at ACME Cloud today')).toBe(true);
    expect(matchesQuery('acme cloud', 'Loving #AcmeCloud so far')).toBe(true);
    expect(matchesQuery('acme cloud', 'see https://blog.acmecloud.example/x')).toBe(true);
    expect(matchesQuery('acme cloud', 'Acme anvil tins sell out')).toBe(false);
    expect(matchesQuery('acme cloud', 'acmes clouds')).toBe(false);
    expect(matchesQuery('"acme cloud" when:7d', 'acme cloud')).toBe(true);
    expect(matchesQuery('acme OR acmecloud', 'Acme anvil')).toBe(true);
    expect(matchesQuery('café', 'Le CAFÉ est fermé')).toBe(true);
  });

  it('unwraps only Google redirector links', () => {
    expect(unwrapGoogleRedirect('https://www.google.com/url?rct=j&sa=t&url=https://e.example/a?b=1&ct=ga')).toBe('https://e.example/a?b=1');
    expect(unwrapGoogleRedirect('https://e.example/url?url=https://x.example')).toBe('https://e.example/url?url=https://x.example');
    expect(unwrapGoogleRedirect('https://www.google.com/url?url=javascript:alert(1)')).toBe('https://www.google.com/url?url=javascript:alert(1)');
  });
});

describe('fetchRss over the fixture server', () => {
  let server: FixtureServer;
  let http: EarshotHttpClient;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ server, http, close } = await realHttp(dir, { client: { retry: { maxAttempts: 1 }, defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 }, cache: false } }));
  });
  afterAll(() => close());
  beforeEach(() => server.resetLog());

  const ctxFor = (options: Record<string, unknown>, extra: Partial<SourceContext> = {}, q: Partial<SourceQuery> = {}): SourceContext =>
    sourceContext(http, { ...query, ...q, options }, { baseUrl: server.url, log: silentLogger, ...extra });

  const collect = (ctx: SourceContext) => collectOrThrow(fetchRss, ctx);

  it('reads Google News (built from the base URL), Alerts and the brand blog; filters off-query and old items', async () => {
    const log = memoryLogger();
    const ctx = ctxFor(
      {
        googleNews: true,
        feeds: [`${server.url}/alerts/feeds/04417781234567890123/15827364501928374655`],
        brandFeeds: [`${server.url}/feed/`],
      },
      { log },
    );
    const { mentions, warnings } = await collect(ctx);
    expect(warnings).toEqual([]);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/feed/',
      '/alerts/feeds/04417781234567890123/15827364501928374655',
      '/rss/search?q=acme+cloud+when%3A15d&hl=en-US&gl=US&ceid=US%3Aen',
    ]);
    // Brand blog: all 3 (one never names the brand). Alerts: 3 of 4 (anvil tins lack "cloud").
    // Google News: 4 of 6 (pricing roundup lacks the words; Frankfurt item predates --since).
    expect(mentions).toHaveLength(10);
    expect(mentions.filter((m) => m.fromBrand).map((m) => m.title)).toEqual([
      'Scheduled maintenance: us-east-2 storage upgrade on November 24',
      'Black Friday: 40% off managed Postgres for 12 months',
      'Introducing database branching for Acme Cloud Postgres',
    ]);
    const titles = mentions.map((m) => m.title);
    expect(titles).not.toContain('Acme Anvil Co. collectible tins sell out in an hour');
    expect(titles).not.toContain('Managed database pricing compared: who is cheapest in 2027?');
    expect(titles).not.toContain('Acme Cloud opens Frankfurt region for EU customers');
    // The cartoon item names both words, so it passes the word filter: relevance is for later stages.
    expect(titles).toContain('Why the Acme anvil never misses: a cloud of dust and 80 years of cartoon physics');
    expect(server.requests.every((r) => /rss\+xml/.test(r.headers['accept'] ?? ''))).toBe(true);
    expect(log.lines).toContainEqual({
      level: 'debug',
      message: `rss: ${server.url}/rss/search?q=acme+cloud+when%3A15d&hl=en-US&gl=US&ceid=US%3Aen: 6 items, kept 4, 1 not matching the query, 1 outside the time window`,
    });
  });

  it('decodes a feed in the charset its XML declaration names when Content-Type names none (ISO-8859-1)', async () => {
    const { mentions } = await collect(ctxFor({ feeds: [`${server.url}/latin1/feed/`] }, {}, { since: new Date('2026-11-01T00:00:00Z') }));
    expect(mentions).toHaveLength(1);
    const m = mentions[0]!;
    expect(m.title).toBe('Acme Cloud: migração sem surpresas');
    expect(m.text).toBe('A migração para a Acme Cloud correu bem, mas a faturação em euros ainda não está clara.');
    expect(m.author.name).toBe('Inês Araújo');
    expect(JSON.stringify(m)).not.toContain('\uFFFD');
  });

  it('warns that the shape may have changed when a feed holds items of which none can be read', async () => {
    server.addRoute({ path: '/changed/feed/', headers: { 'content-type': 'application/rss+xml' }, body: '<rss><channel><title>x</title><item><title>a</title></item><item><title>b</title></item></channel></rss>' });
    const { mentions, warnings } = await collect(ctxFor({ feeds: [`${server.url}/changed/feed/`] }));
    expect(mentions).toEqual([]);
    expect(warnings).toContain(`rss: read 0 of the 2 entries on ${server.url}/changed/feed/; the page's shape may have changed (run with --debug and check the source's fixtures against a fresh --save-raw recording).`);
    // An empty feed is a quiet feed, not a changed one.
    server.addRoute({ path: '/empty/feed/', headers: { 'content-type': 'application/rss+xml' }, body: '<rss><channel><title>x</title></channel></rss>' });
    const empty = await collect(ctxFor({ feeds: [`${server.url}/empty/feed/`] }));
    expect(empty.warnings.some((w) => w.includes('shape may have changed'))).toBe(false);
  });

  it('stops at the limit without reading the remaining feeds', async () => {
    const { mentions } = await collect(
      ctxFor({ brandFeeds: [`${server.url}/feed/`], googleNews: true }, {}, { limit: 2 }),
    );
    expect(mentions.map((m) => m.title)).toEqual([
      'Scheduled maintenance: us-east-2 storage upgrade on November 24',
      'Black Friday: 40% off managed Postgres for 12 months',
    ]);
    expect(server.requests.map((r) => r.path)).toEqual(['/feed/']);
  });

  it('honours until: items at or after it are left out', async () => {
    const { mentions } = await collect(ctxFor({ brandFeeds: [`${server.url}/feed/`] }, {}, { until: new Date('2026-11-20T14:00:00Z') }));
    expect(mentions.map((m) => m.createdAt)).toEqual(['2026-11-18T14:55:00.000Z']);
  });

  it('warns and carries on when one feed is not a feed or is missing', async () => {
    const { mentions, warnings } = await collect(
      ctxFor({ feeds: [`${server.url}/consent`, `${server.url}/gone.xml`, `${server.url}/feed/`] }),
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toBe(
      `rss: feed ${server.url}/consent could not be read (Feed ${server.url}/consent: expected an RSS 2.0 or Atom feed (<rss> or <feed> root), got a <html> document.); skipped`,
    );
    expect(warnings[1]).toMatch(new RegExp(`^rss: feed ${server.url}/gone.xml could not be read \\(.*404.*\\); skipped$`));
    // Not a brand feed here, so only the items naming the brand are kept.
    expect(mentions.map((m) => m.title)).toEqual([
      'Black Friday: 40% off managed Postgres for 12 months',
      'Introducing database branching for Acme Cloud Postgres',
    ]);
  });

  it('reads Google Alerts feeds from the environment without quoting their URLs', async () => {
    const secret = `${server.url}/alerts/feeds/04417781234567890123/15827364501928374655`;
    const { mentions } = await collect(ctxFor({}, { env: { [ALERTS_ENV]: `${secret}, ${server.url}/alerts/feeds/0/missing` } }));
    expect(mentions).toHaveLength(3);
    // The only feed failing is a failed source (not "ok, 0 mentions"), and the error still keeps the URL out.
    const again = await collect(ctxFor({}, { env: { [ALERTS_ENV]: `${server.url}/alerts/feeds/0/missing` } })).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'not-found', sourceId: 'rss', message: `rss: the only feed could not be read (${ALERTS_ENV} #1: not-found, HTTP 404)` });
    expect((again as Error).message).not.toContain('/alerts/feeds/');
  });

  it('with nothing to read, is skipped (not "ok, 0 mentions"), saying how to give feeds', async () => {
    const warnings: string[] = [];
    const err = await (async () => {
      for await (const b of fetchRss(ctxFor({ feeds: ['feed.xml', 42] }))) warnings.push(...b.warnings);
    })().catch((e: unknown) => e);
    expect(warnings).toEqual(['rss: option feeds[0] is not an absolute http(s) URL; skipped', 'rss: option feeds[1] is not an absolute http(s) URL; skipped']);
    expect(err).toBeInstanceOf(SourceSkippedError);
    expect(err).toMatchObject({
      code: 'not-configured',
      message: `rss: no feeds to read; give feed URLs in options.feeds or ${ALERTS_ENV}, or set googleNews: true to search Google News for the query.`,
    });
    expect(server.requests).toHaveLength(0);
  });

  it('when no feed of several can be read, says so without a double negative', async () => {
    const err = await collect(ctxFor({ feeds: [`${server.url}/gone.xml`, `${server.url}/gone.xml?again`] })).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^rss: none of the 2 feeds could be read \(/);
    expect((err as Error).message).not.toMatch(/could not be read \(/);
  });
});

describe('feed targets and URLs', () => {
  const base: SourceContext = sourceContext(undefined as never, { ...query, options: {} }, { baseUrl: 'https://news.google.com/', log: silentLogger });

  it('builds the Google News search URL with a when: window from since', () => {
    expect(googleNewsUrl('https://news.google.com/', 'acme cloud', undefined, base.now)).toBe(
      'https://news.google.com/rss/search?q=acme+cloud&hl=en-US&gl=US&ceid=US%3Aen',
    );
    expect(new URL(googleNewsUrl('https://news.google.com', 'acme cloud', new Date('2026-11-22T09:00:00Z'), base.now)).searchParams.get('q')).toBe(
      'acme cloud when:1d',
    );
  });

  it('dedupes feeds, a feed in both lists staying a brand feed', () => {
    const { targets } = feedTargets({
      ...base,
      query: { ...query, options: { feeds: ['https://blog.acmecloud.example/feed/', 'https://x.example/rss'], brandFeeds: ['https://blog.acmecloud.example/feed/'] } },
    });
    expect(targets.map((t) => [t.url, t.fromBrand])).toEqual([
      ['https://blog.acmecloud.example/feed/', true],
      ['https://x.example/rss', false],
    ]);
  });

  it('describes itself', () => {
    expect(rssSource).toMatchObject({ id: 'rss', tokenEnv: [ALERTS_ENV], defaultBaseUrl: 'https://news.google.com' });
  });
});

describe('one deep item does not take the feed down', () => {
  it('reads an item whose HTML nests 5,000 tags (it overflowed the call stack) and keeps the item after it', () => {
    const deep = `${'<div><span>'.repeat(2500)}Acme Cloud is down again${'</span></div>'.repeat(2500)}`;
    const item = (n: number, body: string): string =>
      `<item><title>Item ${n}</title><link>https://news.example/${n}</link><guid>n${n}</guid><pubDate>Tue, 17 Nov 2026 10:00:00 GMT</pubDate><content:encoded><![CDATA[${body}]]></content:encoded></item>`;
    const feed = `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>${item(1, deep)}${item(2, '<p>Acme Cloud works fine</p>')}</channel></rss>`;
    const res = parseFeed(feed, query, plain);
    expect(res.mentions.map((m) => [m.title, m.text])).toEqual([
      ['Item 1', 'Acme Cloud is down again'],
      ['Item 2', 'Acme Cloud works fine'],
    ]);
    // Read flattened past 512 levels (parsing it whole costs depth × tags), and the warning names the item.
    expect(res.warnings).toEqual([
      'rss: item https://news.example/1 nests its HTML more than 512 tags deep; the tags below that depth were dropped and their text kept.',
    ]);
  });

  it('reads an Atom entry nesting 200,000 tags in seconds, naming it by its link', () => {
    const depth = 200_000;
    const deep = `${'<div>'.repeat(depth)}Acme Cloud is down again${'</div>'.repeat(depth)}`;
    const entry = (n: number, body: string): string =>
      `<entry><id>urn:n${n}</id><title>Entry ${n}</title><link href="https://news.example/e${n}"/><updated>2026-11-17T10:00:00Z</updated><content type="html">${body.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</content></entry>`;
    const feed = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>${entry(1, '<p>Acme Cloud works fine</p>')}${entry(2, deep)}</feed>`;
    const started = Date.now();
    const res = parseFeed(feed, query, plain);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(res.mentions.map((m) => [m.title, m.text])).toEqual([
      ['Entry 1', 'Acme Cloud works fine'],
      ['Entry 2', 'Acme Cloud is down again'],
    ]);
    expect(res.warnings).toEqual([
      'rss: item https://news.example/e2 nests its HTML more than 512 tags deep; the tags below that depth were dropped and their text kept.',
    ]);
  });
});
