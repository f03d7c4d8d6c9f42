/**
 * One settings object from flags, EARSHOT_* variables and the config file, with the keys commands already read.
 * Precedence, highest first: a flag given on the command line, an EARSHOT_* variable, the config file, the flag's default.
 */
import * as v from 'valibot';
import { withoutAt } from '../core/handles.js';
import { parseDuration } from '../core/duration.js';
import { brandQuery, formatQuery, parseQuery, type Query } from '../core/query.js';
import { SOURCES } from '../sources/index.js';
import { checkEnvText } from './option-values.js';
import { OPTION_NAMES, OPTION_SPECS, type OptionName, type OPTIONS } from './options.js';
import type { Config, ConfigRateLimit, SourceConfig } from './types.js';

/** Where commander says a flag value came from (`command.getOptionValueSource(key)`). */
export type FlagSource = 'cli' | 'default' | 'env' | 'implied' | 'config' | (string & Record<never, never>) | undefined;

/** Settings an EARSHOT_* variable can set (EARSHOT_CONFIG is load.ts's). */
export type EnvName = Exclude<{ [K in OptionName]: (typeof OPTIONS)[K] extends { env: string } ? K : never }[OptionName], 'config'>;

/** Settings that an environment variable can set: key → variable, and whether it is a comma-separated list. From the options table. */
export const ENV_SETTINGS: Readonly<Record<EnvName, { env: string; list?: boolean }>> = Object.fromEntries(
  OPTION_NAMES.flatMap((name) => {
    const spec = OPTION_SPECS[name];
    return spec.env === undefined || name === 'config' ? [] : [[name, { env: spec.env, ...(spec.repeatable ? { list: true } : {}) }]];
  }),
) as Record<EnvName, { env: string; list?: boolean }>;

/** Variables merged by hand below: their config side is a mapping or a source's option, not one value. */
const BY_HAND: ReadonlySet<EnvName> = new Set<EnvName>(['brandHandle', 'query', 'source', 'feed', 'brandFeed', 'subreddit', 'baseUrl']);

/** A competitor with its query worked out. */
export interface MergedCompetitor {
  name: string;
  aliases: string[];
  /** The competitor's query in the boolean syntax (its own, or built from name and aliases). */
  query: string;
  handles: Record<string, string[]>;
}

/** Thresholds with the reply time also in milliseconds. */
export interface MergedThresholds {
  responseRate?: number;
  medianReply?: string;
  medianReplyMs?: number;
  negativeShare?: number;
  sourceErrors?: boolean;
}

/** Keys of a source's config that are earshot's, not the source's own options. */
const COMMON_KEYS = new Set(['enabled', 'baseUrl', 'rateLimit']);
/** Source options that have a dedicated flag: id.key → flag key. */
const DEDICATED: Record<string, Record<string, string>> = Object.fromEntries(
  Object.values(SOURCES)
    .map((s) => [s.id, Object.fromEntries(Object.entries(s.options).flatMap(([key, o]) => (o.flag ? [[key, o.flag]] : [])))] as const)
    .filter(([, flags]) => Object.keys(flags).length > 0),
);

function splitList(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The config value at a dotted path (`output.format`), or undefined. */
function configAt(config: Config | undefined, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) node = isRecord(node) ? node[key] : undefined;
  return node;
}

/** Config values as flag text (`limit: 200` → '200'), so every source of a setting gives the resolver the same form. */
function configText(value: unknown): unknown {
  return typeof value === 'number' ? String(value) : value;
}

/** A list of strings, or undefined for anything else. */
function stringList(x: unknown): string[] | undefined {
  return Array.isArray(x) && x.every((e) => typeof e === 'string') ? x : undefined;
}

function cleanHandle(h: string): string {
  return withoutAt(h.trim());
}

/** Reads `--source-option` text values as they have always been read: true/false, numbers and JSON lists/objects. */
function parseOptionValue(raw: string): unknown {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (raw.startsWith('[') || raw.startsWith('{')) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return raw;
}

/**
 * One `--source-option id.key=value` gives a lone value where the option is a list: it is a list of one when that is
 * what the option's schema accepts. Anything else is left for cli/audit-plan.ts to check against the schema.
 */
function asDeclared(id: string, key: string, value: unknown): unknown {
  const schema = SOURCES[id]?.options[key]?.schema;
  if (!schema || Array.isArray(value) || v.safeParse(schema, value).success) return value;
  return v.safeParse(schema, [value]).success ? [value] : value;
}

/** Writes a config value as `--source-option` text that parseOptionValue reads back. */
function optionText(value: unknown): string {
  return typeof value === 'string' && parseOptionValue(value) === value ? value : JSON.stringify(value);
}

/** The query for a brand from config: its own query or brand OR aliases, always minus `exclude`. */
function configQuery(brand: string, aliases: readonly string[], query: string | undefined, exclude: readonly string[]): string {
  const base: Query = query !== undefined ? parseQuery(query) : brandQuery(brand, aliases);
  if (exclude.length === 0) return formatQuery(base);
  const drops = (brandQuery('x', [], exclude) as { items: Query[] }).items.slice(1);
  return formatQuery({ type: 'and', items: [...(base.type === 'and' ? base.items : [base]), ...drops] });
}

/**
 * The query for `brand`: the config's (with aliases and exclusions) when `brand` is the config's brand,
 * otherwise the brand name alone. For `audit <brand>` and `fetch <source> <query>` positional arguments.
 */
export function queryForBrand(brand: string, config: Config | undefined): string {
  if (config && brand.trim().toLowerCase() === config.brand.trim().toLowerCase()) {
    return configQuery(config.brand, config.aliases ?? [], config.query, config.exclude ?? []);
  }
  return formatQuery(brandQuery(brand));
}

/**
 * Merges flags (as commander parsed them, with their value sources), the environment and the config into the
 * settings commands read: the same camelCase keys as the flags, plus `sourceOptions`, `baseUrls`, `rateLimits`,
 * `handles`, `competitors`, `thresholds`, `replyTarget`, `query` and `outputDir`. Pure: reads nothing else.
 */
export function mergeSettings(
  flags: Record<string, unknown>,
  flagSources: Record<string, FlagSource>,
  config: Config | undefined,
  env: Record<string, string | undefined>,
  /** The settings the command takes; variables for others are neither read nor checked. Default: all. */
  accepted?: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...flags };
  const explicit = (key: string): boolean => flagSources[key] === 'cli' || flagSources[key] === 'env';
  /** The variable's value, checked as its flag would be (the error names the variable). */
  const fromEnv = (key: EnvName): string | string[] | undefined => {
    if (accepted !== undefined && !accepted.has(key)) return undefined;
    const spec = ENV_SETTINGS[key];
    const raw = env[spec.env]?.trim();
    if (raw === undefined || raw === '') return undefined;
    return spec.list ? splitList(raw).map((item) => checkEnvText(key, item, spec.env)) : checkEnvText(key, raw, spec.env);
  };
  /** Flag on the command line, else variable, else config, else the flag's default. */
  const pick = (key: EnvName, fromConfig: unknown): unknown => {
    if (explicit(key)) return flags[key];
    return fromEnv(key) ?? fromConfig ?? flags[key];
  };
  const set = (key: string, value: unknown): void => {
    if (value === undefined) delete out[key];
    else out[key] = value;
  };
  const sources: Record<string, SourceConfig> = config?.sources ?? {};

  // Settings with one value in each place: the table says which variable and which config key.
  for (const key of Object.keys(ENV_SETTINGS) as EnvName[]) {
    if (BY_HAND.has(key)) continue;
    const path: string | undefined = OPTION_SPECS[key].config?.path;
    set(key, pick(key, path === undefined ? undefined : configText(configAt(config, path))));
  }

  // Sources: those listed in the config unless `enabled: false`.
  const enabled = Object.entries(sources).filter(([, s]) => s.enabled !== false).map(([id]) => id);
  set('source', pick('source', enabled.length > 0 ? enabled.join(',') : undefined));

  // Handles: a flag or variable replaces the config's; the flat list serves every source.
  const configHandles: Record<string, string[]> = Object.fromEntries(Object.entries(config?.handles ?? {}).map(([id, hs]) => [id, hs.map(cleanHandle)]));
  const handleOverride = stringList(explicit('brandHandle') ? flags.brandHandle : fromEnv('brandHandle'));
  const handles = handleOverride !== undefined ? { all: handleOverride.map(cleanHandle) } : configHandles;
  const flat = [...new Set(Object.values(handles).flat())];
  set('brandHandle', flat.length > 0 ? flat : flags.brandHandle);
  set('handles', handles);

  // Options with a dedicated flag.
  // A disabled source's feeds must not switch it back on (collect adds rss whenever feeds are given).
  const dedicated = (id: string, key: string): unknown => (sources[id]?.enabled === false ? undefined : sources[id]?.[key]);
  set('feed', pick('feed', dedicated('rss', 'feeds')));
  set('brandFeed', pick('brandFeed', dedicated('rss', 'brandFeeds')));
  set('subreddit', pick('subreddit', dedicated('reddit', 'subreddits')));

  // Base URLs: per source, a flag/variable entry wins over the config's.
  const urlEntries = stringList(explicit('baseUrl') ? flags.baseUrl : fromEnv('baseUrl')) ?? [];
  const overridden = new Set(urlEntries.map((e) => e.slice(0, Math.max(0, e.indexOf('=')))));
  const configUrls = Object.entries(sources).filter(([id, s]) => s.baseUrl !== undefined && !overridden.has(id)).map(([id, s]) => `${id}=${s.baseUrl}`);
  const allUrls = [...configUrls, ...urlEntries];
  set('baseUrl', allUrls.length > 0 ? allUrls : flags.baseUrl);
  const baseUrls: Record<string, string> = {};
  for (const e of allUrls) {
    const i = e.indexOf('=');
    if (i > 0) baseUrls[e.slice(0, i)] = e.slice(i + 1);
  }
  set('baseUrls', baseUrls);

  // Source options: the config's, then dedicated flags, then --source-option (which replaces a config key it names).
  const cliOptions = explicit('sourceOption') ? (stringList(flags.sourceOption) ?? []) : [];
  const cliKeys = new Set(cliOptions.map((e) => /^([a-z0-9-]+\.[A-Za-z0-9_]+)=/.exec(e)?.[1]).filter((k) => k !== undefined));
  const sourceOptions: Record<string, Record<string, unknown>> = {};
  const optionStrings: string[] = [];
  for (const [id, s] of Object.entries(sources)) {
    const opts: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(s)) {
      if (COMMON_KEYS.has(key) || value === undefined || cliKeys.has(`${id}.${key}`)) continue;
      opts[key] = value;
      // Dedicated-flag options travel in their own keys (feed, brandFeed, subreddit), as they always have.
      if (!DEDICATED[id]?.[key]) optionStrings.push(`${id}.${key}=${optionText(value)}`);
    }
    sourceOptions[id] = opts;
  }
  for (const [id, keys] of Object.entries(DEDICATED)) {
    for (const [key, flag] of Object.entries(keys)) {
      const value = out[flag];
      if (value === undefined) continue;
      (sourceOptions[id] ??= {})[key] = value;
    }
  }
  const fromCli = new Set<string>();
  for (const entry of cliOptions) {
    const m = /^([a-z0-9-]+)\.([A-Za-z0-9_]+)=(.*)$/s.exec(entry);
    if (!m) continue; // cli/audit-plan.ts reports the malformed entry
    const [, id, key, raw] = m as unknown as [string, string, string, string];
    const opts = (sourceOptions[id] ??= {});
    const value = parseOptionValue(raw);
    const prev = fromCli.has(`${id}.${key}`) ? opts[key] : undefined;
    opts[key] = prev === undefined ? asDeclared(id, key, value) : [...(Array.isArray(prev) ? prev : [prev]), ...(Array.isArray(value) ? value : [value])];
    fromCli.add(`${id}.${key}`);
  }
  const allOptionStrings = [...optionStrings, ...cliOptions];
  set('sourceOption', allOptionStrings.length > 0 ? allOptionStrings : flags.sourceOption);
  set('sourceOptions', sourceOptions);

  const rateLimits: Record<string, Partial<ConfigRateLimit>> = {};
  for (const [id, s] of Object.entries(sources)) if (s.rateLimit) rateLimits[id] = { ...s.rateLimit };
  set('rateLimits', rateLimits);

  // Query: EARSHOT_QUERY as written; else the config's for its brand; else the brand alone.
  const brand = typeof out.brand === 'string' ? out.brand : undefined;
  const envQuery = fromEnv('query');
  set('query', envQuery ?? (brand !== undefined ? queryForBrand(brand, config) : undefined));

  set(
    'competitors',
    (config?.competitors ?? []).map<MergedCompetitor>((c) => ({
      name: c.name,
      aliases: c.aliases ?? [],
      query: configQuery(c.name, c.aliases ?? [], c.query, []),
      handles: Object.fromEntries(Object.entries(c.handles ?? {}).map(([id, hs]) => [id, hs.map(cleanHandle)])),
    })),
  );
  const t = config?.thresholds;
  const thresholds: MergedThresholds = {
    ...(t?.responseRate !== undefined ? { responseRate: t.responseRate } : {}),
    ...(t?.medianReply !== undefined ? { medianReply: t.medianReply, medianReplyMs: parseDuration(t.medianReply, 'thresholds.medianReply') } : {}),
    ...(t?.negativeShare !== undefined ? { negativeShare: t.negativeShare } : {}),
    ...(t?.sourceErrors !== undefined ? { sourceErrors: t.sourceErrors } : {}),
  };
  set('thresholds', thresholds);
  // An on/off flag with no variable: the command line's --no-benchmarks, else the config's `benchmarks`.
  if (flagSources.benchmarks !== 'cli' && typeof config?.benchmarks === 'boolean') set('benchmarks', config.benchmarks);
  // Reply deadlines: the config's mapping; --deadline entries are read over it by deadlinesFrom.
  set('triage', { ...(config?.triage ?? {}) });
  return out;
}
