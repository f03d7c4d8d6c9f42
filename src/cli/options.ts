/** Every command-line option, declared once as data; commands pick theirs by name. */
import { Option } from 'commander';

/** One option: commander flags, help text, and an optional default/parser/choices. */
export interface OptionSpec {
  flags: string;
  description: string;
  defaultValue?: unknown;
  defaultDescription?: string;
  choices?: readonly string[];
  /** Repeatable: each use appends to a list. */
  repeatable?: boolean;
  /** Shown only with `--help` of the command, in this group. */
  group: 'Input' | 'Brand' | 'Analysis' | 'Output' | 'Thresholds' | 'Collection' | 'Cache' | 'General';
}

/** The options table. Keys are the camelCase names commander produces. */
export const OPTIONS = {
  inputFormat: { flags: '--input-format <format>', description: 'input format; auto-detected from the first bytes by default', choices: ['auto', 'ndjson', 'json', 'csv', 'twcs'], defaultValue: 'auto', group: 'Input' },
  map: { flags: '--map <column=field>', description: 'map a CSV column to a Mention field, e.g. --map body=text (repeatable)', repeatable: true, group: 'Input' },
  strict: { flags: '--strict', description: 'stop at the first malformed record instead of skipping it', group: 'Input' },
  brand: { flags: '--brand <name>', description: 'brand name (multi-brand inputs: keep only this brand)', group: 'Brand' },
  competitor: { flags: '--competitor <name>', description: 'also audit a competitor, side by side (repeatable)', repeatable: true, group: 'Brand' },
  query: { flags: '--query <query>', description: 'search query: "acme bank" OR acmebank -"acme anvil" (default: the brand name)', group: 'Brand' },
  brandHandle: { flags: '--brand-handle <handle>', description: "an account whose posts are the brand's (repeatable)", repeatable: true, group: 'Brand' },
  tz: { flags: '--tz <zone>', description: 'IANA time zone for business hours and days', defaultValue: 'UTC', group: 'Analysis' },
  businessHours: { flags: '--business-hours <spec>', description: 'opening hours, e.g. "Mon-Fri 09:00-17:00"', defaultValue: '24/7', group: 'Analysis' },
  holiday: { flags: '--holiday <date>', description: 'a closed day, YYYY-MM-DD (repeatable)', repeatable: true, group: 'Analysis' },
  replyTarget: { flags: '--reply-target <duration>', description: 'report the share answered within this time, e.g. 1h', group: 'Analysis' },
  now: { flags: '--now <time>', description: 'the audit clock (ISO time) for reproducible reports', defaultDescription: 'the current time', group: 'Analysis' },
  format: { flags: '-f, --format <format>', description: 'output format (html: the self-contained report)', choices: ['table', 'csv', 'json', 'ndjson', 'html'], defaultValue: 'table', group: 'Output' },
  out: { flags: '--out <dir>', description: 'also write a report folder: mentions/unanswered/daily/summary CSV, report.json, report.html ({date} and {brand} are filled in)', group: 'Output' },
  fields: { flags: '--fields <list>', description: 'only these fields, e.g. id,url,sentiment.label (json, ndjson) or CSV column names (csv)', group: 'Output' },
  compare: { flags: '--compare <report.json>', description: 'show changes against a previous run', group: 'Output' },
  failUnderResponseRate: { flags: '--fail-under-response-rate <ratio>', description: 'exit 1 when the response rate is below this, e.g. 0.8', group: 'Thresholds' },
  failOverMedianReply: { flags: '--fail-over-median-reply <duration>', description: 'exit 1 when the median first reply is slower, e.g. 4h', group: 'Thresholds' },
  failOverNegativeShare: { flags: '--fail-over-negative-share <ratio>', description: 'exit 1 when the negative share is above this, e.g. 0.3', group: 'Thresholds' },
  output: { flags: '-o, --output <file>', description: 'write to this file (atomically) instead of stdout', group: 'Output' },
  top: { flags: '--top <n>', description: 'unanswered items listed in the table', defaultValue: '10', group: 'Output' },
  rawCsv: { flags: '--raw-csv', description: 'do not neutralise spreadsheet formulas in CSV cells', group: 'Output' },
  source: { flags: '-s, --source <ids>', description: 'comma-separated source ids (see `earshot sources`)', defaultValue: 'reddit,hn', group: 'Collection' },
  feed: { flags: '--feed <url>', description: 'an RSS/Atom feed to read (repeatable; enables the rss source)', repeatable: true, group: 'Collection' },
  brandFeed: { flags: '--brand-feed <url>', description: "a feed that is the brand's own (its items are broadcasts; repeatable)", repeatable: true, group: 'Collection' },
  subreddit: { flags: '--subreddit <name>', description: 'search only this subreddit (repeatable)', repeatable: true, group: 'Collection' },
  since: { flags: '--since <when>', description: 'oldest mention: 30d, 12h, 2026-11-01 or an ISO time', defaultValue: '30d', group: 'Collection' },
  until: { flags: '--until <when>', description: 'newest mention (same forms as --since)', defaultDescription: 'now', group: 'Collection' },
  limit: { flags: '--limit <n>', description: 'at most this many mentions per source', defaultValue: '500', group: 'Collection' },
  baseUrl: { flags: '--base-url <id=url>', description: "override a source's base URL, e.g. reddit=http://127.0.0.1:8080 (repeatable)", repeatable: true, group: 'Collection' },
  fromHtml: { flags: '--from-html <dir>', description: 'Trustpilot: read review pages saved from a browser in this folder (no network)', group: 'Collection' },
  sourceOption: { flags: '--source-option <id.key=value>', description: 'a source setting, e.g. github.repos=acme/cli or bluesky.brandActor=acme.bsky.social (repeatable)', repeatable: true, group: 'Collection' },
  rateLimit: { flags: '--rate-limit <id=n>', description: "a source's requests per minute, e.g. reddit=5 (repeatable; defaults are polite, see earshot sources)", repeatable: true, group: 'Collection' },
  timeout: { flags: '--timeout <duration>', description: 'per-request timeout', defaultValue: '30s', group: 'Collection' },
  cacheDir: { flags: '--cache-dir <dir>', description: 'HTTP cache folder', defaultDescription: '$XDG_CACHE_HOME/earshot', group: 'Cache' },
  cache: { flags: '--no-cache', description: 'neither read nor write the HTTP cache', group: 'Cache' },
  refresh: { flags: '--refresh', description: 'ignore fresh cache entries (still updates the cache)', group: 'Cache' },
  saveRaw: { flags: '--save-raw <dir>', description: 'keep every raw response with a manifest (evidence)', group: 'Cache' },
  fromRaw: { flags: '--from-raw <dir>', description: 're-run offline from a --save-raw folder', group: 'Cache' },
  config: { flags: '-c, --config <file>', description: 'config file (default: earshot.yml in this folder, or $EARSHOT_CONFIG)', group: 'General' },
  quiet: { flags: '-q, --quiet', description: 'no progress or warnings on stderr (errors still shown)', group: 'General' },
  color: { flags: '--no-color', description: 'no colour (also NO_COLOR=1); machine formats never have colour', group: 'General' },
  debug: { flags: '--debug', description: 'show stack traces and debug logs on stderr', group: 'General' },
  force: { flags: '--force', description: 'replace an existing file', group: 'General' },
} as const satisfies Record<string, OptionSpec>;

/** An option name from the table. */
export type OptionName = keyof typeof OPTIONS;

/** Builds commander Options for the named specs. */
export function buildOptions(names: readonly OptionName[]): Option[] {
  return names.map((name) => {
    const spec: OptionSpec = OPTIONS[name];
    const opt = new Option(spec.flags, spec.description);
    if (spec.choices) opt.choices(spec.choices);
    if (spec.repeatable) opt.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    if (spec.defaultValue !== undefined) opt.default(spec.defaultValue, spec.defaultDescription);
    else if (spec.defaultDescription) opt.default(undefined, spec.defaultDescription);
    opt.helpGroup(`${spec.group}:`);
    return opt;
  });
}
