/** Settings from flags, EARSHOT_* variables and the config file, merged once per run (flags win). */
import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import type { FlagSource } from '../config/merge.js';
import { parseDuration } from '../core/duration.js';
import { InputError, UsageError } from '../core/errors.js';
import type { Thresholds } from '../analysis/thresholds.js';
import { readMembersExcept, ReportShapeError } from '../input/report-json.js';
import { asPreviousReport } from '../report/compare.js';
import type { Report } from '../core/report.js';
import { reason } from './io.js';
import type { CliDeps } from './main.js';

/** Loads the config (if any) and merges it under the flags; returns the options commands read. */
export async function resolveSettings(command: Command, deps: CliDeps, extra: { brandArg?: string; sourceIds?: readonly string[] } = {}): Promise<Record<string, unknown>> {
  const flags: Record<string, unknown> = { ...command.opts() };
  const flagSources: Record<string, FlagSource> = {};
  for (const key of Object.keys(flags)) flagSources[key] = command.getOptionValueSource(key) as FlagSource;
  if (extra.brandArg !== undefined) {
    flags.brand = extra.brandArg;
    flagSources.brand = 'cli';
  }
  const { loadConfig } = await import('../config/load.js');
  const loaded = await loadConfig({ ...(typeof flags.config === 'string' ? { path: flags.config } : {}), cwd: deps.cwd ?? process.cwd(), env: deps.env, ...(extra.sourceIds ? { sourceIds: extra.sourceIds } : {}) });
  const { mergeSettings } = await import('../config/merge.js');
  const merged = mergeSettings(flags, flagSources, loaded?.config, deps.env);
  if (flagSources.query === 'cli') merged.query = flags.query;
  if (merged.out === undefined && merged.outputDir !== undefined) merged.out = merged.outputDir;
  merged.configWarnings = loaded?.warnings ?? [];
  merged.configFile = loaded?.path;
  return merged;
}

/** Threshold flags over the config's `thresholds`; undefined when none is set. */
export function thresholdsFrom(o: Record<string, unknown>): Thresholds | undefined {
  const cfg = (o.thresholds ?? {}) as { responseRate?: number; medianReplyMs?: number; negativeShare?: number };
  const t: Thresholds = {};
  const rate = o.failUnderResponseRate !== undefined ? ratioFlag(o.failUnderResponseRate, '--fail-under-response-rate') : cfg.responseRate;
  if (rate !== undefined) t.responseRate = rate;
  const median = o.failOverMedianReply !== undefined ? parseDuration(String(o.failOverMedianReply), '--fail-over-median-reply') : cfg.medianReplyMs;
  if (median !== undefined) t.medianReplyMinutes = median / 60_000;
  const neg = o.failOverNegativeShare !== undefined ? ratioFlag(o.failOverNegativeShare, '--fail-over-negative-share') : cfg.negativeShare;
  if (neg !== undefined) t.negativeShare = neg;
  return Object.keys(t).length > 0 ? t : undefined;
}

/** --reply-target in minutes, or undefined. */
export function replyTargetFrom(o: Record<string, unknown>): number | undefined {
  return o.replyTarget === undefined ? undefined : parseDuration(String(o.replyTarget), '--reply-target') / 60_000;
}

/** Reads the --compare report; a missing file (the first run of a weekly job) is a warning, not an error. */
export async function previousReport(o: Record<string, unknown>, log?: { warn(m: string): void }): Promise<Report | undefined> {
  if (o.compare === undefined) return undefined;
  const file = String(o.compare);
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

function ratioFlag(value: unknown, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`${flag} '${String(value)}' must be a ratio between 0 and 1, e.g. 0.8.`);
  return n;
}
