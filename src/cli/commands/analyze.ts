/** `earshot analyze [file|-]`: analyse mentions someone else collected. */
import type { Readable } from 'node:stream';
import { newestCreatedAt, openMentions } from '../../input/index.js';
import { judge } from '../../audit/analyze.js';
import { EarshotError, UsageError } from '../../core/errors.js';
import { remoteText } from '../../core/sanitize.js';
import { parseFields } from '../../report/fields.js';
import { emitReport, holdsEveryMention } from '../emit.js';
import { finishRun } from '../finish.js';
import { tuneHeapForStreaming } from '../heap.js';
import { openInput, openRereadableInput, openSink, quitOnSignal } from '../io.js';
import type { CliDeps } from '../main.js';
import { readHistory } from '../history.js';
import { cannedFrom, deadlinesFrom, previousReport, replyTargetFrom, thresholdsFrom, type Settings } from '../resolve.js';
import { commonSettings, outputChoices, parseNow } from '../settings.js';

/** Runs analyze and returns the exit code. */
export async function runAnalyze(file: string | undefined, o: Settings, deps: CliDeps): Promise<number> {
  const stop = quitOnSignal();
  try {
    return await analyzeWith(file, o, deps);
  } finally {
    stop();
  }
}

async function analyzeWith(file: string | undefined, o: Settings, deps: CliDeps): Promise<number> {
  const common = commonSettings(o, deps, o.format);
  for (const w of o.configWarnings) common.log.warn(w);
  const out = outputChoices(o, deps, common);
  const map = parseMap(o.map);
  const brandHandles = o.brandHandle ?? [];
  const fields = o.fields !== undefined ? parseFields(o.fields, out.format) : undefined;
  const thresholds = thresholdsFrom(o);
  const replyTargetMinutes = replyTargetFrom(o);
  const canned = cannedFrom(o);
  const deadlines = deadlinesFrom(o);
  const previous = await previousReport(o, common.log);
  const history = o.history !== undefined ? await readHistory(o.history, common.log) : undefined;
  // Formats that stream hold a bounded amount whatever the input length: keep V8 from growing the heap 4x past it.
  if (!holdsEveryMention(out.format, o.out !== undefined)) {
    tuneHeapForStreaming(process.execArgv, deps.env.NODE_OPTIONS);
  }
  const readOptions = { format: o.inputFormat, map, brand: o.brand, brandHandles, strict: o.strict };
  const given = o.now !== undefined ? parseNow(o.now, deps) : undefined;
  // Without --now the as-of time is the newest time in the input, so a file's analysis depends on the file alone:
  // read it once for that time (a pipe is copied first), then again to analyse.
  const twice = given === undefined ? await openRereadableInput(file, deps.stdin) : undefined;
  try {
    return await analyzeInput(twice ? { stream: twice.open(), name: twice.name } : await openInput(file, deps.stdin));
  } finally {
    twice?.close();
  }

  async function analyzeInput(input: { stream: Readable; name: string }): Promise<number> {
    let now = given;
    let asOfFrom: 'given' | 'input' | 'clock' = 'given';
    if (twice) {
      const newest = await newestCreatedAt(input.stream, { ...readOptions, fileName: input.name, log: common.log });
      input.stream = twice.open();
      asOfFrom = newest ? 'input' : 'clock';
      now = newest ?? deps.clock();
    }
    const opened = await openMentions(input.stream, { ...readOptions, fileName: input.name, log: common.log });
    common.log.debug(`${input.name}: reading as ${opened.format}`);
    const sink = await openSink(o.output, deps.stdout);
    // Replies can only be linked through parent or thread ids; say so when an input has brand posts but no links.
    // With --brand, also count the mentions that name a brand, and those that name that one (case and spaces aside).
    const seen = { brand: 0, linked: 0, labelled: 0, ofBrand: 0, labels: new Set<string>() };
    const wanted = o.brand?.trim().toLowerCase();
    const watched = (async function* () {
      for await (const m of opened.mentions) {
        if (m.fromBrand) seen.brand += 1;
        if (m.parentId !== undefined) seen.linked += 1;
        if (wanted !== undefined && m.brand !== undefined) {
          seen.labelled += 1;
          if (m.brand.trim().toLowerCase() === wanted) seen.ofBrand += 1;
          else if (seen.labels.size <= 5) seen.labels.add(m.brand);
        }
        yield m;
      }
    })();
    try {
      const { analysis, context } = judge({
        now: now!,
        timeZone: o.tz,
        businessHours: o.businessHours,
        holidays: o.holiday ?? [],
        brands: o.brand !== undefined ? [o.brand] : [],
        brandHandles,
        defaultBrand: o.brand ?? '(unspecified)',
        unansweredLimit: Math.max(out.top, 50),
        ...(replyTargetMinutes !== undefined ? { replyTargetMinutes } : {}),
        ...(canned ? { canned } : {}),
        ...(deadlines ? { deadlines } : {}),
        about: { input: input.name, asOfFrom },
        warnings: common.log.warnings,
        ...(previous ? { previous } : {}),
        ...(history ? { history } : {}),
        ...(thresholds ? { thresholds } : {}),
        ...(o.benchmarks === false ? { benchmarks: false } : {}),
      });
      const report = await emitReport(
        watched,
        analysis,
        context,
        {
          ...out,
          ...(fields ? { fields } : {}),
          keepMentions: o.out !== undefined,
          warn: (w) => common.log.warn(w),
          // An empty input is not a clean week: nothing is written (no rows means no output yet) and the run exits 3.
          beforeFinish: (r) => {
            if (o.allowEmpty) return;
            // A TWCS file is filtered by --brand as it is read. Other inputs may name each mention's brand; when they
            // do and none names --brand, that brand was not read (the unnamed rest would only be labelled with it).
            const unnamed = opened.format !== 'twcs' && seen.labelled > 0 && seen.ofBrand === 0;
            if (r.summary.overall.volume.total > 0 && !unnamed) return;
            // The input's own labels, quoted as one bounded line each (they are remote text).
            const labels = [...seen.labels].slice(0, 5).map((b) => `'${remoteText(b)}'`);
            const others = unnamed ? `, which names ${labels.join(', ')}${seen.labels.size > 5 ? ', …' : ''}` : '';
            const what = o.brand !== undefined ? `no mention of brand '${o.brand}'` : 'no mentions';
            const skipped = opened.stats.skipped > 0 ? ` (${opened.stats.skipped} malformed record(s) skipped)` : '';
            throw new EarshotError('unavailable', `${input.name}: nothing was read: ${what} in the input${others}${skipped}; nothing was written (--allow-empty to report on it anyway).`);
          },
        },
        sink,
      );
      await sink.commit();
      if (opened.stats.skipped > 0) common.log.info(`${input.name}: ${opened.stats.skipped} malformed record(s) skipped.`);
      if (report.summary.overall.volume.total === 0) common.log.warn(`${input.name}: no mentions found in the input.`);
      else if (seen.brand > 0 && seen.linked === 0) {
        common.log.warn(`${input.name}: no mention says what it replies to, so the brand's ${seen.brand} post(s) count as broadcasts, not replies; map a parent column (--map reply_to=parentId) to measure responses.`);
      }
      return await finishRun(report, o, common, deps.stderr, out);
    } catch (e) {
      await sink.abort();
      throw e;
    }
  }
}

/** Parses repeated `--map column=field` flags. */
export function parseMap(values: string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const map: Record<string, string> = {};
  for (const v of values) {
    const i = v.lastIndexOf('=');
    if (i <= 0 || i === v.length - 1) throw new UsageError(`--map '${v}' must be column=field, e.g. --map body=text.`);
    map[v.slice(0, i)] = v.slice(i + 1);
  }
  return map;
}
