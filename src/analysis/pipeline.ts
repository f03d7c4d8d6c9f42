/** The analysis stage end to end: mentions in, analysed mentions and a summary out. */
import { normaliseAccount } from '../core/handles.js';
import type { Mention } from '../core/mention.js';
import { analyzeThread, type ThreadContext } from './respond.js';
import type { BusinessCalendar } from './business-hours.js';
import { deadlinesWith, type Deadlines } from './deadlines.js';
import type { SentimentScorer } from './sentiment.js';
import { SummaryAccumulator } from './summary.js';
import type { CannedOptions } from './canned.js';
import { ThreadWindow } from './thread-window.js';
import type { AnalyzedMention } from './types.js';

/** Settings for one analysis run. */
export interface AnalysisSettings {
  scorer: SentimentScorer;
  calendar: BusinessCalendar;
  timeZone: string;
  /** The as-of time: a mention created after it is not counted, so a reply after it answers nothing. */
  now: Date;
  brandHandles: readonly string[];
  /** Brand label for mentions that carry none. */
  defaultBrand: string;
  unansweredLimit: number;
  /** Mentions held while waiting for the rest of their thread. */
  windowSize?: number;
  /** --reply-target in minutes. */
  replyTargetMinutes?: number;
  /** Reply deadlines per triage class in minutes, over the defaults (`triage:` in earshot.yml, `--deadline`). */
  deadlines?: Partial<Deadlines>;
  /** Brands reported even when no mention of them came back (audited brands whose sources failed). */
  expectBrands?: readonly string[];
  /** How canned replies are told apart (docs/metrics.md "Canned replies"). */
  canned?: CannedOptions;
}

/** A running analysis: feed mentions, read analysed ones back, then finish for the summary. */
export interface Analysis {
  summary: SummaryAccumulator;
  /** Mentions left out because they were created after the as-of time (`now`); final once `run` has finished. */
  readonly afterAsOf: number;
  /** Analysed mentions, thread by thread, as threads complete. */
  run(mentions: AsyncIterable<Mention> | Iterable<Mention>): AsyncGenerator<AnalyzedMention>;
}

/** Creates an analysis with its own summary accumulator. */
export function createAnalysis(settings: AnalysisSettings): Analysis {
  const deadlines = deadlinesWith(settings.deadlines);
  const ctx: ThreadContext = {
    deadlines,
    scorer: settings.scorer,
    calendar: settings.calendar,
    now: settings.now,
    brandHandles: new Set(settings.brandHandles.map(normaliseAccount)),
  };
  const summary = new SummaryAccumulator({
    timeZone: settings.timeZone,
    now: settings.now,
    unansweredLimit: settings.unansweredLimit,
    deadlines,
    defaultBrand: settings.defaultBrand,
    ...(settings.replyTargetMinutes !== undefined ? { replyTargetMinutes: settings.replyTargetMinutes } : {}),
    ...(settings.expectBrands ? { expectBrands: settings.expectBrands } : {}),
    ...(settings.canned ? { canned: settings.canned } : {}),
  });
  const window = new ThreadWindow(settings.windowSize);

  function* emit(threads: Mention[][]): Generator<AnalyzedMention> {
    for (const thread of threads) {
      thread.sort(chronological);
      const analysed = analyzeThread(thread, ctx);
      summary.addThread(analysed);
      yield* analysed;
    }
  }

  const asOf = settings.now.getTime();
  let afterAsOf = 0;
  return {
    summary,
    get afterAsOf() {
      return afterAsOf;
    },
    async *run(mentions) {
      for await (const m of mentions) {
        // The report is as of `now`: what came later did not exist yet, so it is neither counted nor an answer.
        if (Date.parse(m.createdAt) > asOf) {
          afterAsOf += 1;
          continue;
        }
        // Most pushes complete no thread: skip building a generator for nothing.
        const done = window.push(m);
        if (done.length > 0) yield* emit(done);
      }
      yield* emit(window.flush());
    },
  };
}

function chronological(a: Mention, b: Mention): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
