/**
 * The earshot.yml schema (valibot) plus the checks a type cannot express (time zones, durations, queries, source ids).
 * Loaded only when a config file exists: see load.ts.
 */
import { DEADLINE_CLASSES, type DeadlineClass } from '../analysis/deadlines.js';
import * as v from 'valibot';
import { createBusinessCalendar } from '../analysis/business-hours.js';
import { parseBusinessHours, validateTimeZone } from '../core/business-hours-spec.js';
import { parseDuration, parseTimeBound } from '../core/duration.js';
import { EarshotError } from '../core/errors.js';
import { parseQuery } from '../core/query.js';
import { suggest } from '../core/suggest.js';
import { SOURCES } from '../sources/index.js';
import { positiveInt, stringSchema, strings } from '../sources/shared/option-schema.js';
import { CONFIG_KEYS, OPTION_SPECS, type OptionName, type OptionValue } from './options.js';

type Parsed = v.InferOutput<ReturnType<typeof configSchema>>;

/** One source's settings: the common ones plus any source-specific option (subreddits, feeds, repos, ...). */
export type SourceConfig = NonNullable<NonNullable<Parsed['sources']>[string]>;

/** A validated config file (see docs/config.md), as the schema outputs it; only `brand` is required. */
export type Config = Omit<Parsed, 'sources'> & {
  /** Source id → settings; listed sources are the ones audited (`hn:` with nothing after it is `{}`). */
  sources?: Record<string, SourceConfig>;
};

/** One thing wrong (or doubtful) in the file: where, and a clause saying what. */
interface ConfigProblem {
  path: (string | number)[];
  message: string;
}

/** Result of validation: a config when there are no errors, and warnings either way. */
export interface ValidationResult {
  config?: Config;
  errors: ConfigProblem[];
  warnings: ConfigProblem[];
}

/** Describes a found value in a few words: `a string ("acme")`, `a number (3)`, `a list`, `nothing`. */
function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === 'number') return `a number (${value})`;
  if (typeof value === 'boolean') return `${value}`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping (key: value pairs)';
  return `a ${typeof value}`;
}

function unknownKey(key: string, known: readonly string[]): string {
  const hint = suggest(key, known);
  return `unknown key${hint ? ` (did you mean ${hint}?)` : ''}; expected one of ${known.join(', ')}`;
}

/** A strict mapping whose unknown keys are reported with a suggestion. */
function strict<E extends v.ObjectEntries>(entries: E, what: string) {
  const known = Object.keys(entries);
  return v.strictObject(entries, (issue) => {
    if (issue.expected === 'never') return `!${unknownKey(String(issue.input), known)}`;
    // A missing required key: valibot reports it against the object with the key quoted in `expected`.
    if (issue.path && issue.input === undefined && issue.expected?.startsWith('"')) return '!missing; it is required';
    return what;
  });
}

const fraction = (what: string) => v.pipe(v.number(what), v.minValue(0, what), v.maxValue(1, what));
const handleMap = v.record(v.string(), strings('a list of handles (strings)'), 'a mapping of source id (or all) to a list of handles');

/** A config key that holds one setting of the options table: its schema comes from the setting's kind and expected text. */
function leaf<K extends OptionName>(name: K): v.OptionalSchema<v.GenericSchema<unknown, OptionValue<K>>, undefined> {
  const spec = OPTION_SPECS[name];
  const what = spec.config?.expected ?? 'a string';
  const schema = (() => {
    switch (spec.kind) {
      case 'list':
      case 'dates':
        return strings(what);
      case 'positiveInt':
        return positiveInt(what);
      case 'ratio':
        return fraction(what);
      case 'flag':
        return v.boolean(what);
      case 'choice':
        // Case-insensitive, as the flag and the variable are: `format: CSV` is csv.
        return v.pipe(v.string(what), v.transform((s) => s.toLowerCase()), v.picklist(spec.choices ?? [], what));
      default:
        return stringSchema(what);
    }
  })();
  // The kind decides the schema, and OptionValue<K> is the same kind's value type: the one place both meet.
  return v.optional(schema) as unknown as v.OptionalSchema<v.GenericSchema<unknown, OptionValue<K>>, undefined>;
}

const rateLimit = strict(
  {
    requestsPerMinute: v.optional(v.pipe(v.number('a number of requests per minute above 0'), v.gtValue(0, 'a number of requests per minute above 0'))),
    concurrency: v.optional(positiveInt('a whole number of parallel requests, at least 1')),
  },
  'a mapping with requestsPerMinute and/or concurrency',
);

/** Each source's options as its metadata declares them (`Source.options`); any other key is passed on as it is. */
const KNOWN_SOURCE_OPTIONS: Record<string, v.ObjectEntries> = Object.fromEntries(
  Object.values(SOURCES).map((s) => [s.id, Object.fromEntries(Object.entries(s.options).map(([key, o]) => [key, v.optional(o.schema)]))]),
);

const COMMON_SOURCE_KEYS = ['enabled', 'baseUrl', 'rateLimit'];

function sourceSchema(id: string) {
  return v.looseObject(
    {
      enabled: v.optional(v.boolean('true or false')),
      baseUrl: v.optional(stringSchema('a URL such as http://127.0.0.1:8080')),
      rateLimit: v.optional(rateLimit),
      ...(KNOWN_SOURCE_OPTIONS[id] ?? {}),
    },
    'a mapping of settings (enabled, baseUrl, rateLimit and source options), or nothing',
  );
}

const competitor = strict(
  {
    name: stringSchema('the competitor name (a string)'),
    aliases: v.optional(strings()),
    query: v.optional(stringSchema('a query string')),
    handles: v.optional(handleMap),
  },
  'a mapping with name, and optionally aliases, query and handles',
);

/** The whole schema; `sourceIds` are the registered sources. */
function configSchema(sourceIds: readonly string[]) {
  // Unknown ids pass the schema and are reported by checkIds, with the list of valid ones.
  const sources = v.looseObject(
    Object.fromEntries(sourceIds.map((id) => [id, v.optional(v.nullable(sourceSchema(id)))])),
    'a mapping of source id to its settings',
  );
  const entries = {
    brand: stringSchema(OPTION_SPECS.brand.config?.expected),
    aliases: leaf('aliases'),
    query: leaf('query'),
    exclude: leaf('exclude'),
    handles: v.optional(handleMap),
    competitors: v.optional(v.array(competitor, OPTION_SPECS.competitor.config?.expected)),
    sources: v.optional(sources),
    businessHours: leaf('businessHours'),
    timezone: leaf('tz'),
    holidays: leaf('holiday'),
    since: leaf('since'),
    until: leaf('until'),
    limit: leaf('limit'),
    sourceBudget: leaf('sourceBudget'),
    thresholds: v.optional(
      strict(
        { responseRate: leaf('failUnderResponseRate'), medianReply: leaf('failOverMedianReply'), negativeShare: leaf('failOverNegativeShare'), sourceErrors: leaf('failOnSourceError') },
        'a mapping with responseRate, medianReply, negativeShare and/or sourceErrors',
      ),
    ),
    replyTarget: leaf('replyTarget'),
    triage: v.optional(
      strict(
        Object.fromEntries(DEADLINE_CLASSES.map((c) => [c, v.optional(stringSchema('a duration such as "4h"'))])) as Record<DeadlineClass, v.OptionalSchema<ReturnType<typeof stringSchema>, undefined>>,
        OPTION_SPECS.deadline.config?.expected ?? "a mapping of triage class to a duration",
      ),
    ),
    canned: v.optional(strict({ minUses: leaf('cannedMinUses'), similarity: leaf('cannedSimilarity') }, 'a mapping with minUses and/or similarity')),
    benchmarks: leaf('benchmarks'),
    output: v.optional(strict({ dir: leaf('outputDir'), format: leaf('format') }, 'a mapping with dir and/or format')),
    history: leaf('history'),
  } satisfies Record<(typeof CONFIG_KEYS)[number], unknown>;
  return strict(entries, 'a mapping of settings (key: value lines), starting with brand');
}

/** Path items of a valibot issue as plain keys and indexes. */
function issuePath(issue: v.BaseIssue<unknown>): (string | number)[] {
  return (issue.path ?? []).map((p) => (typeof p.key === 'number' ? p.key : String(p.key)));
}

/** Turns valibot issues into problems: `found …, expected …` or the unknown-key sentence. */
function fromIssues(issues: readonly v.BaseIssue<unknown>[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    const message = issue.message.startsWith('!') ? issue.message.slice(1) : `found ${describeValue(issue.input)}, expected ${issue.message}`;
    out.push({ path: issuePath(issue), message });
  }
  return out;
}

function isRealDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The part of an earshot error message after its `query: ` prefix, without the final period. */
function clause(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.replace(/^query: /, '').replace(/\.$/, '');
}

function isMapping(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Source ids under sources, handles and competitors' handles must be registered ones (checked on the raw value, with or without type errors). */
function checkIds(raw: Record<string, unknown>, sourceIds: readonly string[]): ConfigProblem[] {
  const errors: ConfigProblem[] = [];
  const check = (map: unknown, at: (string | number)[], extra: readonly string[]): void => {
    if (!isMapping(map)) return;
    for (const id of Object.keys(map)) {
      if (extra.includes(id) || sourceIds.includes(id)) continue;
      const hint = suggest(id, [...sourceIds, ...extra]);
      errors.push({ path: [...at, id], message: `unknown source "${id}"${hint ? ` (did you mean ${hint}?)` : ''}; valid ids: ${[...extra, ...sourceIds].join(', ')}` });
    }
  };
  check(raw.sources, ['sources'], []);
  check(raw.handles, ['handles'], ['all']);
  if (Array.isArray(raw.competitors)) raw.competitors.forEach((c, i) => isMapping(c) && check(c.handles, ['competitors', i, 'handles'], ['all']));
  return errors;
}

const asString = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const asList = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const asMapping = (x: unknown): Record<string, unknown> => (isMapping(x) ? x : {});

/**
 * Checks beyond types: time zones, hours, dates, durations, queries and URLs. Runs on the raw value and skips
 * anything of the wrong type (the schema reports that), so one run lists every problem.
 */
function semanticChecks(r: Record<string, unknown>, sourceIds: readonly string[], errors: ConfigProblem[], warnings: ConfigProblem[]): void {
  const checkQuery = (q: unknown, at: (string | number)[]): void => {
    if (typeof q !== 'string') return;
    try {
      parseQuery(q);
    } catch (err) {
      errors.push({ path: at, message: clause(err) });
    }
  };
  const checkDuration = (d: unknown, at: (string | number)[]): void => {
    if (typeof d !== 'string') return;
    try {
      parseDuration(d, 'x');
    } catch {
      errors.push({ path: at, message: `found ${describeValue(d)}, expected a duration such as 45m, 4h, 1h30m or 2d` });
    }
  };

  // Names become query terms, which need something to match.
  const checkName = (name: unknown, at: (string | number)[], what: string): void => {
    if (typeof name === 'string' && !/[\p{L}\p{N}]/u.test(name)) errors.push({ path: at, message: `found ${describeValue(name)}, expected ${what} with letters or digits` });
  };
  checkName(r.brand, ['brand'], 'the brand name');
  asList(r.aliases).forEach((a, i) => checkName(a, ['aliases', i], 'a name'));
  checkQuery(r.query, ['query']);
  asList(r.exclude).forEach((e, i) => checkName(e, ['exclude', i], 'a word or phrase'));
  asList(r.competitors).forEach((comp, i) => {
    const c = asMapping(comp);
    checkName(c.name, ['competitors', i, 'name'], 'the competitor name');
    asList(c.aliases).forEach((a, j) => checkName(a, ['competitors', i, 'aliases', j], 'a name'));
    checkQuery(c.query, ['competitors', i, 'query']);
  });
  for (const [id, value] of Object.entries(asMapping(r.sources))) {
    if (!sourceIds.includes(id)) continue;
    const settings = asMapping(value);
    const baseUrl = asString(settings.baseUrl);
    if (baseUrl !== undefined && !isHttpUrl(baseUrl)) {
      errors.push({ path: ['sources', id, 'baseUrl'], message: `found ${describeValue(baseUrl)}, expected an http(s) URL such as http://127.0.0.1:8080` });
    }
    const known = [...COMMON_SOURCE_KEYS, ...Object.keys(KNOWN_SOURCE_OPTIONS[id] ?? {})];
    for (const key of Object.keys(settings)) {
      if (known.includes(key)) continue;
      // Every source declares every option it reads (Source.options), so any other key is a mistake.
      errors.push({ path: ['sources', id, key], message: unknownKey(key, known) });
    }
    if (id === 'rss') {
      for (const key of ['feeds', 'brandFeeds']) {
        asList(settings[key]).forEach((u, i) => {
          if (typeof u === 'string' && !isHttpUrl(u)) errors.push({ path: ['sources', id, key, i], message: `found ${describeValue(u)}, expected an absolute http(s) feed URL` });
        });
      }
    }
  }
  const timezone = asString(r.timezone);
  if (timezone !== undefined) {
    try {
      validateTimeZone(timezone);
    } catch {
      errors.push({ path: ['timezone'], message: `found ${describeValue(timezone)}, expected an IANA time zone such as Europe/Berlin or America/New_York` });
    }
  }
  const hours = asString(r.businessHours);
  if (hours !== undefined) {
    try {
      createBusinessCalendar({ schedule: parseBusinessHours(hours), timeZone: 'UTC', holidays: [] });
    } catch {
      errors.push({ path: ['businessHours'], message: `found ${describeValue(hours)}, expected opening hours such as "Mon-Fri 09:00-17:00", "Mon-Fri 09:00-17:00, Sat 10:00-14:00" or "24/7"` });
    }
  }
  asList(r.holidays).forEach((h, i) => {
    if (typeof h === 'string' && !isRealDay(h)) errors.push({ path: ['holidays', i], message: `found ${describeValue(h)}, expected a date written YYYY-MM-DD` });
  });
  for (const key of ['since', 'until'] as const) {
    const value = asString(r[key]);
    if (value === undefined) continue;
    try {
      parseTimeBound(value, new Date(), key);
    } catch {
      errors.push({ path: [key], message: `found ${describeValue(value)}, expected a time bound such as 30d, 12h, 2026-11-01 or 2026-11-01T09:00:00Z` });
    }
  }
  checkDuration(r.replyTarget, ['replyTarget']);
  for (const c of DEADLINE_CLASSES) checkDuration(asMapping(r.triage)[c], ['triage', c]);
  const budget = asString(r.sourceBudget);
  if (budget !== undefined) {
    let ms = 0;
    try {
      ms = parseDuration(budget, 'x');
    } catch {
      // Reported below with the rest: not a duration, or zero.
    }
    if (ms <= 0) errors.push({ path: ['sourceBudget'], message: `found ${describeValue(budget)}, expected ${OPTION_SPECS.sourceBudget.config?.expected}` });
  }
  checkDuration(asMapping(r.thresholds).medianReply, ['thresholds', 'medianReply']);
}

/** Validates a parsed YAML value; `sourceIds` are the registered sources (SOURCES keys). */
export function validateConfig(raw: unknown, sourceIds: readonly string[]): ValidationResult {
  if (raw === null || raw === undefined) return { errors: [{ path: [], message: 'the file is empty; it needs at least a brand, e.g. brand: Acme Cloud' }], warnings: [] };
  if (!isMapping(raw)) return { errors: [{ path: [], message: `found ${describeValue(raw)}, expected a mapping of settings (key: value lines), starting with brand` }], warnings: [] };
  const result = v.safeParse(configSchema(sourceIds), raw, { abortEarly: false });
  const errors = result.success ? [] : fromIssues(result.issues);
  errors.push(...checkIds(raw, sourceIds));
  const warnings: ConfigProblem[] = [];
  semanticChecks(raw, sourceIds, errors, warnings);
  if (!result.success || errors.length > 0) return { errors: sortProblems(errors), warnings };
  const { sources: parsedSources, ...rest } = result.output;
  const config: Config = rest;
  // File order (the schema lists known ids first), and `hn:` with nothing after it means "use hn with its defaults".
  if (parsedSources) config.sources = Object.fromEntries(Object.keys(asMapping(raw.sources)).map((id) => [id, parsedSources[id] ?? {}]));
  return { config, errors, warnings };
}

/** Problems in file order is not known here; key order of CONFIG_KEYS is the next best. */
function sortProblems(list: ConfigProblem[]): ConfigProblem[] {
  const rank = (p: ConfigProblem): number => {
    const i = (CONFIG_KEYS as readonly string[]).indexOf(String(p.path[0]));
    return i < 0 ? CONFIG_KEYS.length : i;
  };
  return list.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map(({ p }) => p);
}

/** The dotted path of a problem: `sources.reddit.subreddits`, `holidays[2]`. */
export function pathText(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc === '' ? keyText(p) : `${acc}.${keyText(p)}`), '');
}

/** A key as shown in messages: quoted and escaped when it holds invisible or unusual characters (a BOM, a space). */
function keyText(key: string): string {
  return /^[\p{L}\p{N}_-]+$/u.test(key) ? key : JSON.stringify(key).replace(/\uFEFF/gi, '\\uFEFF');
}

/** The `config` error a caller throws for a list of problem lines. */
export function configError(lines: readonly string[]): EarshotError {
  return new EarshotError('config', lines.length === 1 ? lines[0]! : `the config file has ${lines.length} problems:\n${lines.join('\n')}`);
}
