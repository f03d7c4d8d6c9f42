import { describe, expect, it } from 'vitest';
import { mergeSettings, queryForBrand, type FlagSource } from '../../../src/config/merge.js';
import { parseConfigText } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/types.js';
import { matchesQuery, parseQuery } from '../../../src/core/query.js';

/** Flags as commander gives them with no arguments: defaults only. */
const DEFAULTS = { tz: 'UTC', businessHours: '24/7', since: '30d', limit: '500', format: 'table', source: 'reddit,hn', timeout: '30s', top: '10' };
const defaultSources = (): Record<string, FlagSource> => Object.fromEntries(Object.keys(DEFAULTS).map((k) => [k, 'default']));

const CONFIG: Config = {
  brand: 'Acme Bank',
  aliases: ['acmebank'],
  exclude: ['acme anvil'],
  handles: { all: ['@acmebank'], reddit: ['acmebank_help'] },
  competitors: [{ name: 'Globex', aliases: ['globex bank'] }],
  sources: {
    reddit: { subreddits: ['banking'], sort: 'new', rateLimit: { requestsPerMinute: 10, concurrency: 1 } },
    hn: {},
    rss: { feeds: ['https://news.example/feed'], brandFeeds: ['https://acmebank.example/blog.xml'] },
    github: { enabled: false, repos: ['acme/cli'], baseUrl: 'http://127.0.0.1:9999' },
    bluesky: { brandActor: 'acmebank.bsky.social', posts: ['at://x/y/z'], threadDepth: 5 },
  },
  businessHours: 'Mon-Fri 09:00-17:00',
  timezone: 'Europe/Berlin',
  holidays: ['2026-12-25'],
  since: '14d',
  limit: 200,
  thresholds: { responseRate: 0.8, medianReply: '4h', negativeShare: 0.3 },
  replyTarget: '1h',
  output: { format: 'json', dir: 'reports' },
};

describe('mergeSettings', () => {
  it('without config or env returns the flags untouched (plus empty structured keys)', () => {
    const out = mergeSettings({ ...DEFAULTS }, defaultSources(), undefined, {});
    expect(out).toMatchObject(DEFAULTS);
    expect(out.sourceOptions).toEqual({});
    expect(out.brand).toBeUndefined();
    expect(out.query).toBeUndefined();
    expect(out.competitors).toEqual([]);
  });

  it('config beats flag defaults', () => {
    const out = mergeSettings({ ...DEFAULTS }, defaultSources(), CONFIG, {});
    expect(out).toMatchObject({
      brand: 'Acme Bank',
      tz: 'Europe/Berlin',
      businessHours: 'Mon-Fri 09:00-17:00',
      holiday: ['2026-12-25'],
      since: '14d',
      limit: '200',
      format: 'json',
      outputDir: 'reports',
      replyTarget: '1h',
      source: 'reddit,hn,rss,bluesky', // github is listed but disabled
      feed: ['https://news.example/feed'],
      brandFeed: ['https://acmebank.example/blog.xml'],
      subreddit: ['banking'],
      baseUrl: ['github=http://127.0.0.1:9999'],
      baseUrls: { github: 'http://127.0.0.1:9999' },
      rateLimits: { reddit: { requestsPerMinute: 10, concurrency: 1 } },
      brandHandle: ['acmebank', 'acmebank_help'],
      handles: { all: ['acmebank'], reddit: ['acmebank_help'] },
      thresholds: { responseRate: 0.8, medianReply: '4h', medianReplyMs: 4 * 3600_000, negativeShare: 0.3 },
    });
    expect(out.timeout).toBe('30s'); // no config key: the default stays
  });

  it('an explicit flag beats an EARSHOT_* variable, which beats the config', () => {
    const env = { EARSHOT_TZ: 'America/New_York', EARSHOT_BUSINESS_HOURS: '24/7', EARSHOT_SINCE: '7d', EARSHOT_HOLIDAY: '2026-01-01, 2026-01-02', EARSHOT_SOURCE: 'hn' };
    const flags = { ...DEFAULTS, tz: 'Asia/Tokyo' };
    const out = mergeSettings(flags, { ...defaultSources(), tz: 'cli' }, CONFIG, env);
    expect(out.tz).toBe('Asia/Tokyo');
    expect(out.businessHours).toBe('24/7');
    expect(out.since).toBe('7d');
    expect(out.holiday).toEqual(['2026-01-01', '2026-01-02']);
    expect(out.source).toBe('hn');
    // An empty variable counts as unset.
    expect(mergeSettings({ ...DEFAULTS }, defaultSources(), CONFIG, { EARSHOT_TZ: ' ' }).tz).toBe('Europe/Berlin');
    // Without a config, a variable beats the default.
    expect(mergeSettings({ ...DEFAULTS }, defaultSources(), undefined, { EARSHOT_LIMIT: '5' }).limit).toBe('5');
  });

  it('repeatable flags replace the config list rather than adding to it', () => {
    const out = mergeSettings({ ...DEFAULTS, brandHandle: ['@other'], subreddit: ['fintech'] }, { ...defaultSources(), brandHandle: 'cli', subreddit: 'cli' }, CONFIG, {});
    expect(out.brandHandle).toEqual(['other']);
    expect(out.handles).toEqual({ all: ['other'] });
    expect(out.subreddit).toEqual(['fintech']);
    expect((out.sourceOptions as Record<string, Record<string, unknown>>).reddit?.subreddits).toEqual(['fintech']);
  });

  it('gives source options both structured and as --source-option strings collect.ts reads today', () => {
    const out = mergeSettings(
      { ...DEFAULTS, sourceOption: ['bluesky.threadDepth=2', 'github.repos=a/b', 'github.repos=c/d'], baseUrl: ['hn=http://127.0.0.1:1'] },
      { ...defaultSources(), sourceOption: 'cli', baseUrl: 'cli' },
      CONFIG,
      {},
    );
    expect(out.sourceOptions).toEqual({
      reddit: { subreddits: ['banking'], sort: 'new' },
      hn: {},
      rss: { feeds: ['https://news.example/feed'], brandFeeds: ['https://acmebank.example/blog.xml'] },
      github: { repos: ['a/b', 'c/d'] },
      bluesky: { brandActor: 'acmebank.bsky.social', posts: ['at://x/y/z'], threadDepth: 2 },
    });
    // Config options without a dedicated flag become strings; those the command line names are left to it.
    expect(out.sourceOption).toEqual([
      'reddit.sort=new',
      'bluesky.brandActor=acmebank.bsky.social',
      'bluesky.posts=["at://x/y/z"]',
      'bluesky.threadDepth=2',
      'github.repos=a/b',
      'github.repos=c/d',
    ]);
    expect(out.baseUrl).toEqual(['github=http://127.0.0.1:9999', 'hn=http://127.0.0.1:1']);
  });

  it('does not let a disabled rss source switch itself back on through its feeds', () => {
    const config: Config = { brand: 'Acme', sources: { hn: {}, rss: { enabled: false, feeds: ['https://x.example/f'] } } };
    const out = mergeSettings({ ...DEFAULTS }, defaultSources(), config, {});
    expect(out.source).toBe('hn');
    expect(out.feed).toBeUndefined();
  });

  it('builds the query from brand, aliases and exclusions, and the competitors', () => {
    const out = mergeSettings({ ...DEFAULTS }, defaultSources(), CONFIG, {});
    expect(out.query).toBe('"Acme Bank" OR acmebank -"acme anvil"');
    const q = parseQuery(out.query as string);
    expect(matchesQuery(q, 'love #AcmeBank')).toBe(true);
    expect(matchesQuery(q, 'acme bank sells the acme anvil')).toBe(false);
    expect(out.competitors).toEqual([{ name: 'Globex', aliases: ['globex bank'], query: 'Globex OR "globex bank"', handles: {} }]);
    // An explicit query still gets the exclusions; EARSHOT_QUERY is taken as written.
    expect(mergeSettings({ ...DEFAULTS }, defaultSources(), { ...CONFIG, query: 'acme (bank OR card)' }, {}).query).toBe('acme bank OR card -"acme anvil"');
    expect(mergeSettings({ ...DEFAULTS }, defaultSources(), CONFIG, { EARSHOT_QUERY: 'acme' }).query).toBe('acme');
  });

  it('uses the brand alone when the command line names another brand', () => {
    const out = mergeSettings({ ...DEFAULTS, brand: 'Globex' }, { ...defaultSources(), brand: 'cli' }, CONFIG, {});
    expect(out.brand).toBe('Globex');
    expect(out.query).toBe('Globex');
    expect(queryForBrand('acme bank', CONFIG)).toBe('"Acme Bank" OR acmebank -"acme anvil"');
  });

  it('takes what the loader produces', async () => {
    const { config } = await parseConfigText('brand: Acme\nhandles: { all: ["@acme"] }\nsources:\n  hn:\n  reddit: { subreddits: [acme] }\n', 'earshot.yml');
    const out = mergeSettings({ ...DEFAULTS }, defaultSources(), config, {});
    expect(out).toMatchObject({ brand: 'Acme', source: 'hn,reddit', subreddit: ['acme'], brandHandle: ['acme'], query: 'Acme' });
  });
});

describe('mergeSettings: benchmarks', () => {
  it('takes `benchmarks: false` from the config, and --no-benchmarks on the command line wins over `benchmarks: true`', () => {
    const off = mergeSettings({ ...DEFAULTS, benchmarks: true }, { ...defaultSources(), benchmarks: 'default' }, { ...CONFIG, benchmarks: false }, {});
    expect(off.benchmarks).toBe(false);
    const cli = mergeSettings({ ...DEFAULTS, benchmarks: false }, { ...defaultSources(), benchmarks: 'cli' }, { ...CONFIG, benchmarks: true }, {});
    expect(cli.benchmarks).toBe(false);
    const none = mergeSettings({ ...DEFAULTS, benchmarks: true }, { ...defaultSources(), benchmarks: 'default' }, CONFIG, {});
    expect(none.benchmarks).toBe(true);
  });
});
