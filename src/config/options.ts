/**
 * Every earshot setting, declared once as data: its flag, kind, default, EARSHOT_* variable, config key, help
 * text and help group. The commander flags (cli/options.ts), the variables (config/merge.ts), the config schema
 * (config/schema.ts), the typed Settings (cli/resolve.ts), `earshot init`'s starter and the tables in
 * docs/config.md (scripts/config-docs.ts) are all derived from it. Plain data with no imports, because the CLI
 * loads it on every start.
 */

/** How a setting's text is read. Each kind has one parser (option-values.ts) and one config schema (schema.ts). */
type OptionKind =
  | 'text'
  | 'list'
  | 'flag'
  | 'choice'
  | 'positiveInt'
  | 'ratio'
  | 'duration'
  | 'timeLimit'
  | 'timeBound'
  | 'timeZone'
  | 'businessHours'
  | 'dates';

/** The value each kind resolves to in Settings (durations and time bounds stay text: they are read against the audit clock). */
interface KindValue {
  text: string;
  list: string[];
  flag: boolean;
  choice: string;
  positiveInt: number;
  ratio: number;
  duration: string;
  /** A duration above zero: a limit that cannot be switched off (`--timeout`, `--source-budget`). */
  timeLimit: string;
  timeBound: string;
  timeZone: string;
  businessHours: string;
  dates: string[];
}

/** Help groups, in the order `--help` shows them. */
type OptionGroup = 'Input' | 'Brand' | 'Analysis' | 'Output' | 'Thresholds' | 'Collection' | 'Cache' | 'General';

/** Where a setting lives in earshot.yml, and how the docs and the schema describe it. */
interface ConfigSpec {
  /** Dotted key path, e.g. `timezone`, `output.format`, `thresholds.responseRate`. */
  path: string;
  /** The docs' "type" column. */
  type: string;
  /** The docs' "meaning" column. */
  meaning: string;
  /** What the schema says it expected when the value has the wrong type (`found …, expected <this>`). */
  expected: string;
  /**
   * `custom`: the value is not the flag's own (a mapping, a list of records, a required key), so schema.ts and
   * merge.ts handle it by hand. Otherwise the schema entry comes from the kind and merge.ts reads it generically.
   */
  shape?: 'custom';
}

/** One setting. */
export interface OptionSpec {
  /** commander flags, e.g. `--tz <zone>`; absent for a setting with no flag (output.dir). */
  flags?: string;
  /** `--help` text (and the docs' meaning when there is no config key). */
  description: string;
  kind: OptionKind;
  /** The flag's default, as text; shown by `--help`. */
  defaultValue?: string;
  defaultDescription?: string;
  choices?: readonly string[];
  /** Repeatable: each use of the flag appends to a list; the variable is a comma-separated list. */
  repeatable?: boolean;
  /** The EARSHOT_* variable, when one may set it. */
  env?: string;
  /** How the variable is described in the docs when not simply as the flag (EARSHOT_BASE_URL: `list of id=url`). */
  envNote?: string;
  config?: ConfigSpec;
  group: OptionGroup;
}

const FORMATS = ['table', 'csv', 'json', 'ndjson', 'html'] as const;

/** The options table. Keys are the camelCase names commander produces (and the Settings keys). */
export const OPTIONS = {
  inputFormat: { flags: '--input-format <format>', description: 'input format; auto-detected from the first bytes by default', kind: 'choice', choices: ['auto', 'ndjson', 'json', 'csv', 'twcs'], defaultValue: 'auto', group: 'Input' },
  map: { flags: '--map <column=field>', description: 'map a CSV column to a Mention field, e.g. --map body=text (repeatable)', kind: 'list', repeatable: true, group: 'Input' },
  allowEmpty: { flags: '--allow-empty', description: 'report on an input with no mentions (exit 0) instead of exit 3', kind: 'flag', group: 'Input' },
  strict: { flags: '--strict', description: 'stop at the first malformed record instead of skipping it', kind: 'flag', group: 'Input' },
  brand: {
    flags: '--brand <name>', description: 'brand name (multi-brand inputs: keep only this brand)', kind: 'text', env: 'EARSHOT_BRAND', group: 'Brand',
    config: { path: 'brand', type: 'string', meaning: 'the brand audited; stamped on every mention', expected: 'the brand name (a string)', shape: 'custom' },
  },
  aliases: {
    description: 'other names for the brand', kind: 'list', group: 'Brand',
    config: { path: 'aliases', type: 'list of strings', meaning: 'other names; the default query is brand OR aliases', expected: 'a list of strings' },
  },
  competitor: {
    flags: '--competitor <name>', description: 'also audit a competitor, side by side (repeatable)', kind: 'list', repeatable: true, group: 'Brand',
    config: { path: 'competitors', type: 'list of `{name, aliases?, query?, handles?}`', meaning: 'other brands audited alongside, same meanings as above', expected: 'a list of competitors (each with a name)', shape: 'custom' },
  },
  query: {
    flags: '--query <query>', description: 'search query: "acme bank" OR acmebank -"acme anvil" (default: the brand name)', kind: 'text', env: 'EARSHOT_QUERY', envNote: 'taken as written: no aliases or exclusions added', group: 'Brand',
    config: { path: 'query', type: 'string', meaning: 'the search in [the query syntax](query.md); default built from `brand` and `aliases`', expected: 'a query string, e.g. \'"acme bank" OR acmebank -"acme anvil"\'' },
  },
  exclude: {
    description: 'words or phrases that mark a mention as not about the brand', kind: 'list', group: 'Brand',
    config: { path: 'exclude', type: 'list of strings', meaning: 'words or phrases that mark a mention as not about the brand; always added to the query as `-"…"`', expected: 'a list of words or phrases to leave out' },
  },
  brandHandle: {
    flags: '--brand-handle <handle>', description: "an account whose posts are the brand's (repeatable)", kind: 'list', repeatable: true, env: 'EARSHOT_BRAND_HANDLE', group: 'Brand',
    config: { path: 'handles', type: 'mapping: source id or `all` → list of strings', meaning: 'the brand\'s own accounts (a leading `@` is dropped); their posts are brand posts and replies', expected: 'a mapping of source id (or all) to a list of handles', shape: 'custom' },
  },
  tz: {
    flags: '--tz <zone>', description: 'IANA time zone for business hours and days', kind: 'timeZone', defaultValue: 'UTC', env: 'EARSHOT_TZ', group: 'Analysis',
    config: { path: 'timezone', type: 'string', meaning: 'IANA zone for hours and days, e.g. `Europe/Berlin`', expected: 'an IANA time zone such as Europe/Berlin' },
  },
  businessHours: {
    flags: '--business-hours <spec>', description: 'opening hours, e.g. "Mon-Fri 09:00-17:00"', kind: 'businessHours', defaultValue: '24/7', env: 'EARSHOT_BUSINESS_HOURS', group: 'Analysis',
    config: { path: 'businessHours', type: 'string', meaning: 'opening hours, e.g. `Mon-Fri 09:00-17:00` or `24/7` ([business-hours.md](business-hours.md))', expected: 'opening hours such as "Mon-Fri 09:00-17:00" (a string)' },
  },
  holiday: {
    flags: '--holiday <date>', description: 'a closed day, YYYY-MM-DD (repeatable)', kind: 'dates', repeatable: true, env: 'EARSHOT_HOLIDAY', group: 'Analysis',
    config: { path: 'holidays', type: 'list of `YYYY-MM-DD`', meaning: 'closed days', expected: 'a list of dates (YYYY-MM-DD)' },
  },
  replyTarget: {
    flags: '--reply-target <duration>', description: 'report the share answered within this time, e.g. 1h', kind: 'duration', env: 'EARSHOT_REPLY_TARGET', group: 'Analysis',
    config: { path: 'replyTarget', type: 'duration', meaning: 'the reply time the brand aims for, e.g. `1h`, `1h30m`, `2d`', expected: 'a duration such as "1h"' },
  },
  deadline: {
    flags: '--deadline <class=duration>', description: 'reply deadline for a triage class, e.g. outage=30m (repeatable; defaults: outage 1h, churn 2h, complaint 4h, purchase 8h, question 24h)', kind: 'list', repeatable: true, group: 'Analysis',
    config: { path: 'triage', type: 'mapping: `outage`, `churn`, `complaint`, `purchase`, `question` → duration', meaning: 'how long each triage class may wait for a reply before it is overdue, e.g. `{ outage: 1h, complaint: 4h, question: 24h }`; classes left out keep their defaults ([metrics.md](metrics.md))', expected: 'a mapping of triage class (outage, churn, complaint, purchase, question) to a duration such as "4h"', shape: 'custom' },
  },
  cannedMinUses: {
    flags: '--canned-min-uses <n>', description: 'uses from which near-identical brand replies count as a template (canned), at least 2', kind: 'positiveInt', defaultDescription: '2', env: 'EARSHOT_CANNED_MIN_USES', group: 'Analysis',
    config: { path: 'canned.minUses', type: 'whole number ≥ 2', meaning: 'uses (by one brand, in the audit) from which near-identical replies are a template; a reply used once is never canned (default 2)', expected: 'a whole number of uses, at least 2' },
  },
  cannedSimilarity: {
    flags: '--canned-similarity <ratio>', description: 'share of words two masked replies must share to be one template, e.g. 0.85', kind: 'ratio', defaultDescription: '0.85', env: 'EARSHOT_CANNED_SIMILARITY', group: 'Analysis',
    config: { path: 'canned.similarity', type: 'number 0–1', meaning: 'word overlap (Jaccard) from which two masked replies are the same template; 1 means identical only (default 0.85)', expected: 'a share from 0 to 1, e.g. 0.85' },
  },
  now: { flags: '--now <time>', description: 'the as-of time (ISO time): nothing created after it is counted, and "open for" runs to it', kind: 'timeBound', defaultDescription: 'analyze: the newest time in the input; audit: the current time (a replay: the recorded time)', env: 'EARSHOT_NOW', group: 'Analysis' },
  rating: { flags: '--rating <stars>', description: "explain: the review's star rating, 1-5 (1-2 is a complaint, 4-5 is not, 3 follows the text)", kind: 'choice', choices: ['1', '2', '3', '4', '5'], group: 'Analysis' },
  title: { flags: '--title <text>', description: "explain: the post's or review's title, read with the text", kind: 'text', group: 'Analysis' },
  domain: { flags: '--domain <domain>', description: 'explain: what the text is, which picks the sentiment model (tweet and unknown: the tweet model)', kind: 'choice', choices: ['tweet', 'comment', 'review', 'forum', 'issue'], group: 'Analysis' },
  format: {
    flags: '-f, --format <format>', description: 'output format (html: the self-contained report)', kind: 'choice', choices: FORMATS, defaultValue: 'table', env: 'EARSHOT_FORMAT', group: 'Output',
    config: { path: 'output.format', type: '`table`, `csv`, `json`, `ndjson`, `html`', meaning: 'report format', expected: 'one of table, csv, json, ndjson, html' },
  },
  out: { flags: '--out <dir>', description: 'also write a report folder: mentions/unanswered/daily/summary CSV, report.json, report.html ({date} and {brand} are filled in)', kind: 'text', group: 'Output' },
  outputDir: {
    description: 'the report folder when --out is not given', kind: 'text', env: 'EARSHOT_OUTPUT_DIR', group: 'Output',
    config: { path: 'output.dir', type: 'string', meaning: 'folder for reports (as `--out`)', expected: 'a folder path' },
  },
  fields: { flags: '--fields <list>', description: 'only these fields, e.g. id,url,sentiment.label (json, ndjson) or CSV column names (csv)', kind: 'text', group: 'Output' },
  compare: { flags: '--compare <report.json>', description: 'show changes against a previous run', kind: 'text', group: 'Output' },
  history: {
    flags: '--history <dir>', description: 'add trend lines from the earlier report.json files in this folder (the last 12 reports)', kind: 'text', group: 'Output',
    config: { path: 'history', type: 'string', meaning: 'folder of earlier report.json files (or report folders) for trend lines (as `--history`)', expected: 'a folder path' },
  },
  failUnderResponseRate: {
    flags: '--fail-under-response-rate <ratio>', description: 'exit 1 when the response rate is below this, e.g. 0.8', kind: 'ratio', group: 'Thresholds',
    config: { path: 'thresholds.responseRate', type: 'number 0–1', meaning: 'least acceptable share of complaints and questions answered', expected: 'a share from 0 to 1, e.g. 0.8' },
  },
  failOverMedianReply: {
    flags: '--fail-over-median-reply <duration>', description: 'exit 1 when the median first reply is slower, e.g. 4h', kind: 'duration', group: 'Thresholds',
    config: { path: 'thresholds.medianReply', type: 'duration', meaning: 'longest acceptable median time to the first brand reply, e.g. `4h`', expected: 'a duration such as "4h"' },
  },
  failOverNegativeShare: {
    flags: '--fail-over-negative-share <ratio>', description: 'exit 1 when the negative share is above this, e.g. 0.3', kind: 'ratio', group: 'Thresholds',
    config: { path: 'thresholds.negativeShare', type: 'number 0–1', meaning: 'largest acceptable share of negative mentions', expected: 'a share from 0 to 1, e.g. 0.25' },
  },
  failOnSourceError: {
    flags: '--fail-on-source-error', description: 'exit 1 when any source failed, so a cron job notices a broken source', kind: 'flag', group: 'Thresholds',
    config: { path: 'thresholds.sourceErrors', type: 'boolean', meaning: 'exit 1 when any source failed (network, blocked, auth, bad answers); skipped sources do not count', expected: 'true or false' },
  },
  output: { flags: '-o, --output <file>', description: 'write to this file (atomically) instead of stdout', kind: 'text', env: 'EARSHOT_OUTPUT', group: 'Output' },
  top: { flags: '--top <n>', description: 'unanswered items listed in the table', kind: 'positiveInt', defaultValue: '10', env: 'EARSHOT_TOP', group: 'Output' },
  rawCsv: { flags: '--raw-csv', description: 'do not neutralise spreadsheet formulas in CSV cells', kind: 'flag', group: 'Output' },
  benchmarks: {
    flags: '--no-benchmarks', description: "leave out the published benchmarks the brand's figures are set against (docs/benchmarks.md)", kind: 'flag', group: 'Output',
    config: { path: 'benchmarks', type: 'boolean', meaning: "`false` leaves out the published benchmarks the brand's figures are set against ([benchmarks.md](benchmarks.md))", expected: 'true or false' },
  },
  source: {
    flags: '-s, --source <ids>', description: 'comma-separated source ids (see `earshot sources`)', kind: 'text', defaultValue: 'reddit,hn', env: 'EARSHOT_SOURCE', group: 'Collection',
    config: { path: 'sources', type: 'mapping: source id → settings', meaning: 'the sources to audit, those not `enabled: false` (see below)', expected: 'a mapping of source id to its settings', shape: 'custom' },
  },
  feed: { flags: '--feed <url>', description: 'an RSS/Atom feed to read (repeatable; enables the rss source)', kind: 'list', repeatable: true, env: 'EARSHOT_FEED', group: 'Collection', config: { path: 'sources.rss.feeds', type: 'list of URLs', meaning: 'feeds to search', expected: 'a list of feed URLs', shape: 'custom' } },
  brandFeed: { flags: '--brand-feed <url>', description: "a feed that is the brand's own (its items are broadcasts; repeatable)", kind: 'list', repeatable: true, env: 'EARSHOT_BRAND_FEED', group: 'Collection', config: { path: 'sources.rss.brandFeeds', type: 'list of URLs', meaning: "the brand's own feeds", expected: 'a list of feed URLs', shape: 'custom' } },
  subreddit: { flags: '--subreddit <name>', description: 'search only this subreddit (repeatable)', kind: 'list', repeatable: true, env: 'EARSHOT_SUBREDDIT', group: 'Collection', config: { path: 'sources.reddit.subreddits', type: 'list of strings', meaning: 'subreddits to search', expected: 'a list of strings', shape: 'custom' } },
  since: {
    flags: '--since <when>', description: 'oldest mention: 30d, 12h, 2026-11-01 or an ISO time', kind: 'timeBound', defaultValue: '30d', env: 'EARSHOT_SINCE', group: 'Collection',
    config: { path: 'since', type: 'string', meaning: 'start of the audit window: `30d`, `12h`, `2026-11-01` or an ISO time', expected: 'a time bound such as 30d or 2026-11-01 (a string)' },
  },
  until: {
    flags: '--until <when>', description: 'newest mention (same forms as --since)', kind: 'timeBound', defaultDescription: 'now', env: 'EARSHOT_UNTIL', group: 'Collection',
    config: { path: 'until', type: 'string', meaning: 'end of the audit window, same forms as `since`', expected: 'a time bound such as 2026-11-30 (a string)' },
  },
  limit: {
    flags: '--limit <n>', description: 'at most this many mentions per source', kind: 'positiveInt', defaultValue: '500', env: 'EARSHOT_LIMIT', group: 'Collection',
    config: { path: 'limit', type: 'whole number ≥ 1', meaning: 'most mentions per source', expected: 'a whole number of mentions per source, at least 1' },
  },
  baseUrl: { flags: '--base-url <id=url>', description: "override a source's base URL, e.g. reddit=http://127.0.0.1:8080 (repeatable)", kind: 'list', repeatable: true, env: 'EARSHOT_BASE_URL', envNote: 'list of `id=url`', group: 'Collection', config: { path: 'sources.<id>.baseUrl', type: 'http(s) URL', meaning: 'another base URL for that source', expected: 'a URL such as http://127.0.0.1:8080', shape: 'custom' } },
  fromHtml: { flags: '--from-html <dir>', description: 'Trustpilot: read review pages saved from a browser in this folder (no network)', kind: 'text', group: 'Collection' },
  sourceOption: { flags: '--source-option <id.key=value>', description: 'a source setting, e.g. github.repos=acme/cli or bluesky.brandActor=acme.bsky.social (repeatable)', kind: 'list', repeatable: true, group: 'Collection', config: { path: 'sources.<id>.<key>', type: 'per source', meaning: "the source's own options (see below)", expected: 'a source option', shape: 'custom' } },
  rateLimit: { flags: '--rate-limit <id=n>', description: "a source's requests per minute, e.g. reddit=5 (repeatable; defaults are polite, see earshot sources)", kind: 'list', repeatable: true, group: 'Collection', config: { path: 'sources.<id>.rateLimit', type: '`{ requestsPerMinute, concurrency }`', meaning: "replaces the source's polite default", expected: 'a mapping with requestsPerMinute and/or concurrency', shape: 'custom' } },
  timeout: {
    flags: '--timeout <duration>', description: 'longest wait for a server to answer or to go on sending; one round trip gets twice this in all, one request with its retries three times', kind: 'timeLimit', defaultValue: '30s', env: 'EARSHOT_TIMEOUT', group: 'Collection',
  },
  sourceBudget: {
    flags: '--source-budget <duration>', description: 'longest one source may take in all; when it is spent the source stops, keeping what it fetched (coverage: timeout)', kind: 'timeLimit', defaultValue: '10m', env: 'EARSHOT_SOURCE_BUDGET', group: 'Collection',
    config: { path: 'sourceBudget', type: 'duration', meaning: 'longest one source may take in all, e.g. `10m`; when spent, the source keeps what it fetched and is reported as `timeout`', expected: 'a duration above zero such as "10m"' },
  },
  cacheDir: { flags: '--cache-dir <dir>', description: 'HTTP cache folder', kind: 'text', defaultDescription: '$XDG_CACHE_HOME/earshot', env: 'EARSHOT_CACHE_DIR', group: 'Cache' },
  cache: { flags: '--no-cache', description: 'neither read nor write the HTTP cache', kind: 'flag', group: 'Cache' },
  refresh: { flags: '--refresh', description: 'ignore fresh cache entries (still updates the cache)', kind: 'flag', group: 'Cache' },
  saveRaw: { flags: '--save-raw <dir>', description: 'keep every raw response with a manifest (evidence)', kind: 'text', group: 'Cache' },
  fromRaw: { flags: '--from-raw <dir>', description: 're-run offline from a --save-raw folder', kind: 'text', group: 'Cache' },
  config: { flags: '-c, --config <file>', description: 'config file (default: earshot.yml in this folder, or $EARSHOT_CONFIG)', kind: 'text', env: 'EARSHOT_CONFIG', envNote: 'the config file itself', group: 'General' },
  quiet: { flags: '-q, --quiet', description: 'no progress or warnings on stderr (errors still shown)', kind: 'flag', group: 'General' },
  color: { flags: '--no-color', description: 'no colour (also NO_COLOR=1); machine formats never have colour', kind: 'flag', group: 'General' },
  debug: { flags: '--debug', description: 'show stack traces and debug logs on stderr', kind: 'flag', group: 'General' },
  force: { flags: '--force', description: 'replace an existing file', kind: 'flag', group: 'General' },
} as const satisfies Record<string, OptionSpec>;

/** A setting's name (its Settings key). */
export type OptionName = keyof typeof OPTIONS;

/** Settings that have a command-line flag. */
export type FlagName = { [K in OptionName]: (typeof OPTIONS)[K] extends { flags: string } ? K : never }[OptionName];

/** The resolved value type of one setting: its choices for a choice, else its kind's value. */
export type OptionValue<K extends OptionName> = (typeof OPTIONS)[K] extends { choices: readonly (infer C)[] } ? C : KindValue[(typeof OPTIONS)[K]['kind']];

type Defaulted = { [K in OptionName]: (typeof OPTIONS)[K] extends { defaultValue: string } | { kind: 'flag' } ? K : never }[OptionName];

/** Every setting of the table, typed: those with a default (and every on/off flag) are always present. */
export type OptionValues = { [K in Defaulted]: OptionValue<K> } & { [K in Exclude<OptionName, Defaulted>]?: OptionValue<K> };

/** Every setting's spec, as the wider interface (for code that loops over the table). */
export const OPTION_SPECS: Readonly<Record<OptionName, OptionSpec>> = OPTIONS;

/** The setting names, in table order. */
export const OPTION_NAMES = Object.keys(OPTIONS) as OptionName[];

/** The long flag of a setting (`--tz`, `--no-cache`), or undefined when it has none. */
export function longFlag(name: OptionName): string | undefined {
  const flags = OPTION_SPECS[name].flags;
  return flags === undefined ? undefined : /--[a-z][a-z-]*/.exec(flags)?.[0];
}

/** The keys a config file may have at the top level, in the order docs and `earshot init` present them. */
export const CONFIG_KEYS = [
  'brand',
  'aliases',
  'query',
  'exclude',
  'handles',
  'competitors',
  'sources',
  'businessHours',
  'timezone',
  'holidays',
  'since',
  'until',
  'limit',
  'sourceBudget',
  'thresholds',
  'replyTarget',
  'triage',
  'canned',
  'benchmarks',
  'output',
  'history',
] as const;
