/** Settings from flags, EARSHOT_* variables and the config file, merged once per run (flags win). */
import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import type { FlagSource, MergedCompetitor, MergedThresholds } from '../config/merge.js';
import { checkOptionText, positiveInt, ratio } from '../config/option-values.js';
import { longFlag, OPTION_NAMES, OPTION_SPECS, type OptionName, type OptionValues } from '../config/options.js';
import type { ConfigRateLimit } from '../config/types.js';
import { parseDuration } from '../core/duration.js';
import { InputError, UsageError } from '../core/errors.js';
import { DEADLINE_CLASSES, type DeadlineClass, type Deadlines } from '../analysis/deadlines.js';
import type { Thresholds } from '../analysis/thresholds.js';
import { DEFAULT_CANNED, type CannedOptions } from '../analysis/canned.js';
import { readMembersExcept, ReportShapeError } from '../input/report-json.js';
import { asPreviousReport } from '../report/compare.js';
import type { Report } from '../core/report.js';
import { reason } from './io.js';
import type { CliDeps } from './main.js';

/** The settings a command runs with: every setting of the table, typed, plus what the config adds in structured form. */
export type Settings = OptionValues & {
  /** Source id (or `all`) → brand handles. */
  handles: Record<string, string[]>;
  /** Source id → base URL (config `baseUrl` and `--base-url`). */
  baseUrls: Record<string, string>;
  /** Source id → the config's rate limit. */
  rateLimits: Record<string, Partial<ConfigRateLimit>>;
  /** Source id → its options (config, dedicated flags, `--source-option`). */
  sourceOptions: Record<string, Record<string, unknown>>;
  competitors: MergedCompetitor[];
  /** The config's thresholds (the `--fail-*` flags are read over them by thresholdsFrom). */
  thresholds: MergedThresholds;
  /** The config's `triage:` reply deadlines, as written (`--deadline` is read over them by deadlinesFrom). */
  triage: Partial<Record<DeadlineClass, string>>;
  /** Config warnings, as sentences, for the command to log. */
  configWarnings: string[];
  /** The config file used, as shown in messages. */
  configFile?: string;
};

/**
 * Loads the config (if any), merges it under the flags and EARSHOT_* variables, and checks and types every setting
 * (errors name the flag, or the variable the value came from). `alsoTakes`: settings the command reads that have no
 * flag of its own (audit's [brand] argument).
 */
export async function resolveSettings(command: Command, deps: CliDeps, extra: { brandArg?: string; sourceIds?: readonly string[]; alsoTakes?: readonly OptionName[] } = {}): Promise<Settings> {
  const flags: Record<string, unknown> = { ...command.opts() };
  const flagSources: Record<string, FlagSource> = {};
  for (const key of Object.keys(flags)) flagSources[key] = command.getOptionValueSource(key);
  if (extra.brandArg !== undefined) {
    flags.brand = extra.brandArg;
    flagSources.brand = 'cli';
  }
  const accepted = new Set<string>([...command.options.map((o) => o.attributeName()), ...(extra.alsoTakes ?? [])]);
  if (accepted.has('out')) accepted.add('outputDir');
  const { loadConfig } = await import('../config/load.js');
  const configPath = flags.config;
  const loaded = await loadConfig({ ...(typeof configPath === 'string' ? { path: configPath } : {}), cwd: deps.cwd ?? process.cwd(), env: deps.env, ...(extra.sourceIds ? { sourceIds: extra.sourceIds } : {}) });
  const { mergeSettings } = await import('../config/merge.js');
  const merged = mergeSettings(flags, flagSources, loaded?.config, deps.env, accepted);
  if (flagSources.query === 'cli') merged.query = flags.query;
  if (merged.out === undefined && merged.outputDir !== undefined) merged.out = merged.outputDir;

  /** One setting as its kind says, checked under its flag's name (values from variables and the config are checked already). */
  const typed = (name: OptionName): unknown => {
    const spec = OPTION_SPECS[name];
    const what = longFlag(name) ?? name;
    const value = merged[name] ?? spec.defaultValue;
    if (spec.kind === 'flag') return typeof value === 'boolean' ? value : spec.flags?.startsWith('--no-') === true;
    if (value === undefined) return undefined;
    if (spec.repeatable || spec.kind === 'list' || spec.kind === 'dates') {
      const items = Array.isArray(value) ? value.map(String) : [String(value)];
      return items.map((item) => checkOptionText(name, item, what));
    }
    const text = checkOptionText(name, String(value), what);
    if (spec.kind === 'positiveInt') return positiveInt(text, what);
    if (spec.kind === 'ratio') return ratio(text, what);
    return text;
  };
  const values: Record<string, unknown> = {};
  for (const name of OPTION_NAMES) {
    const value = typed(name);
    if (value !== undefined) values[name] = value;
  }
  const record = <T>(x: unknown, fallback: T): T => (x !== undefined && x !== null && typeof x === 'object' ? (x as T) : fallback);
  const settings = {
    ...values,
    handles: record(merged.handles, {}),
    baseUrls: record(merged.baseUrls, {}),
    rateLimits: record(merged.rateLimits, {}),
    sourceOptions: record(merged.sourceOptions, {}),
    competitors: record<MergedCompetitor[]>(merged.competitors, []),
    thresholds: record(merged.thresholds, {}),
    triage: record(merged.triage, {}),
    configWarnings: loaded?.warnings ?? [],
    ...(loaded?.path !== undefined ? { configFile: loaded.path } : {}),
  };
  // The one place the table's kinds meet the Settings type: `typed` returns each setting as OptionValue<name>.
  return settings as Settings;
}

/** Threshold flags over the config's `thresholds`; undefined when none is set. */
export function thresholdsFrom(o: Pick<Settings, 'thresholds' | 'failUnderResponseRate' | 'failOverMedianReply' | 'failOverNegativeShare' | 'failOnSourceError'>): Thresholds | undefined {
  const cfg = o.thresholds;
  const t: Thresholds = {};
  const rate = o.failUnderResponseRate ?? cfg.responseRate;
  if (rate !== undefined) t.responseRate = rate;
  const median = o.failOverMedianReply !== undefined ? parseDuration(o.failOverMedianReply, '--fail-over-median-reply') : cfg.medianReplyMs;
  if (median !== undefined) t.medianReplyMinutes = median / 60_000;
  const neg = o.failOverNegativeShare ?? cfg.negativeShare;
  if (neg !== undefined) t.negativeShare = neg;
  // The flag can only switch it on; the config may say either.
  if (o.failOnSourceError || cfg.sourceErrors === true) t.sourceErrors = true;
  return Object.keys(t).length > 0 ? t : undefined;
}

/** --canned-min-uses and --canned-similarity over the defaults; undefined when neither is set. */
export function cannedFrom(o: Pick<Settings, 'cannedMinUses' | 'cannedSimilarity'>): CannedOptions | undefined {
  if (o.cannedMinUses === undefined && o.cannedSimilarity === undefined) return undefined;
  const minUses = o.cannedMinUses ?? DEFAULT_CANNED.minUses;
  // One use is the customer's own answer, whatever the threshold says: the rule in docs/metrics.md.
  if (minUses < 2) throw new UsageError(`The canned-reply threshold (--canned-min-uses, EARSHOT_CANNED_MIN_USES or canned.minUses in earshot.yml) must be at least 2, not ${minUses}: a reply used once is never a template.`);
  return { minUses, similarity: o.cannedSimilarity ?? DEFAULT_CANNED.similarity };
}

/** --reply-target in minutes, or undefined. */
export function replyTargetFrom(o: Pick<Settings, 'replyTarget'>): number | undefined {
  return o.replyTarget === undefined ? undefined : parseDuration(o.replyTarget, '--reply-target') / 60_000;
}

/**
 * Reply deadlines in minutes: `--deadline class=duration` entries over the config's `triage:` mapping; undefined when
 * neither sets one (the analysis then uses its defaults).
 */
export function deadlinesFrom(o: Pick<Settings, 'triage' | 'deadline'>): Partial<Deadlines> | undefined {
  const out: Partial<Deadlines> = {};
  for (const [c, text] of Object.entries(o.triage) as [DeadlineClass, string | undefined][]) {
    if (text !== undefined) out[c] = parseDuration(text, `triage.${c}`) / 60_000;
  }
  for (const entry of o.deadline ?? []) {
    const m = /^\s*([a-z]+)\s*=\s*(\S.*)$/.exec(entry);
    const c = m?.[1] as DeadlineClass | undefined;
    if (m === null || c === undefined || !DEADLINE_CLASSES.includes(c)) {
      throw new UsageError(`--deadline: found "${entry}", expected class=duration with class one of ${DEADLINE_CLASSES.join(', ')}, e.g. --deadline outage=30m.`);
    }
    out[c] = parseDuration(m[2] as string, `--deadline ${c}`) / 60_000;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Reads the --compare report; a missing file (the first run of a weekly job) is a warning, not an error. */
export async function previousReport(o: Pick<Settings, 'compare'>, log?: { warn(m: string): void }): Promise<Report | undefined> {
  if (o.compare === undefined) return undefined;
  const file = o.compare;
  let members: Record<string, unknown>;
  try {
    // Everything but the mentions: a report of a million mentions is larger than one string may hold.
    members = await readMembersExcept(createReadStream(file), ['mentions']);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && log) {
      log.warn(`--compare '${file}' does not exist yet (a first run?); reporting without changes.`);
      return undefined;
    }
    if (code !== undefined) throw new UsageError(`Cannot read --compare '${file}': ${reason(e)}; give the report.json of an earlier run.`);
    if (e instanceof ReportShapeError) throw new InputError(`--compare '${file}', line ${e.line}: not an earshot report.json: ${e.message}; give the report.json of an earlier run.`);
    throw new InputError(`--compare '${file}' is not valid JSON; give the report.json of an earlier run.`);
  }
  return asPreviousReport(members, file);
}
