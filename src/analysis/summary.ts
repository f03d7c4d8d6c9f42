/** Streaming summary: per-brand figures computed in one pass with bounded memory. */
import { DEADLINE_CLASSES, DEFAULT_DEADLINES, hasDeadline, type DeadlineClass, type Deadlines } from './deadlines.js';
import { COMPLAINT_INTENTS, INTENTS, type Intent } from './intent.js';
import { NumberList, ratio, ValueCounts } from './stats.js';
import type { AnalyzedMention, BrandSummary, RateFigure, ReachFigure, SourceFigure, UnansweredItem } from './types.js';
import { detectSpikes } from './trends.js';
import { localDay } from '../core/local-day.js';
import { mentionWording } from './reading.js';
import { DEFAULT_CANNED, maskReply, TemplateBook, type CannedOptions } from './canned.js';
import { SpikeDays } from './spike-explain.js';

/** Options for the summary. */
export interface SummaryOptions {
  timeZone: string;
  now: Date;
  /** How many unanswered items each brand keeps (furthest past its deadline first, then severity). */
  unansweredLimit: number;
  /** Reply deadline per triage class, in minutes, as the report states them; the defaults when absent. */
  deadlines?: Deadlines;
  /** Brand label for mentions that carry none. */
  defaultBrand: string;
  /** --reply-target in minutes: report the share answered within it. */
  replyTargetMinutes?: number;
  /** Brands that get figures even with no mention (an audited competitor whose sources all failed is shown, not dropped). */
  expectBrands?: readonly string[];
  /** How canned replies are told (docs/metrics.md "Canned replies"); default DEFAULT_CANNED. */
  canned?: CannedOptions;
}

/** The label used for all brands together. */
const ALL_BRANDS = '(all)';

/** Collects figures as analysed mentions stream past. */
export class SummaryAccumulator {
  private readonly brands = new Map<string, BrandAccumulator>();
  private readonly overall: BrandAccumulator;
  private readonly dayOf: (ms: number) => string;

  constructor(private readonly options: SummaryOptions) {
    this.dayOf = localDay(options.timeZone);
    this.overall = new BrandAccumulator(ALL_BRANDS, options, this.dayOf);
    for (const name of options.expectBrands ?? []) if (!this.brands.has(name)) this.brands.set(name, new BrandAccumulator(name, options, this.dayOf));
  }

  /** Adds one analysed mention (a thread's replies are read as templates only through addThread). */
  add(m: AnalyzedMention): void {
    const acc = this.brandOf(m);
    acc.add(m);
    this.overall.add(m);
  }

  /** Adds one analysed thread: each mention, then its brand replies as possible templates. */
  addThread(thread: readonly AnalyzedMention[]): void {
    for (const m of thread) this.add(m);
    // Most threads hold no brand reply: nothing to index for them (this runs on every thread).
    if (!thread.some((m) => m.fromBrand && m.parentId !== undefined)) return;
    const byId = new Map<string, AnalyzedMention>();
    for (const m of thread) byId.set(m.id, m);
    // How many mentions needing a reply each brand reply was the first answer to.
    const firstFor = new Map<string, number>();
    for (const m of thread) {
      const id = m.needsReply && m.response.status === 'answered' ? m.response.firstReplyId : undefined;
      if (id !== undefined) firstFor.set(id, (firstFor.get(id) ?? 0) + 1);
    }
    for (const m of thread) {
      if (!m.fromBrand || m.parentId === undefined) continue;
      const parent = byId.get(m.parentId);
      const names = parent ? [parent.author.handle, parent.author.name].filter((n): n is string => n !== undefined) : [];
      const n = firstFor.get(m.id) ?? 0;
      const masked = maskReply(m.text, names);
      this.brandOf(m).addReply(m, masked, n);
      this.overall.addReply(m, masked, n);
    }
  }

  private brandOf(m: AnalyzedMention): BrandAccumulator {
    const name = m.brand ?? this.options.defaultBrand;
    let acc = this.brands.get(name);
    if (!acc) {
      acc = new BrandAccumulator(name, this.options, this.dayOf);
      this.brands.set(name, acc);
    }
    return acc;
  }

  /** Final figures: all brands together, then each brand by volume (ties by name). */
  finish(): { overall: BrandSummary; brands: BrandSummary[] } {
    const brands = [...this.brands.values()].map((b) => b.finish());
    brands.sort((a, b) => b.volume.total - a.volume.total || byCodeUnit(a.brand, b.brand));
    const overall = this.overall.finish();
    const all = brands.reduce((n, b) => n + b.volume.customer, 0);
    for (const b of brands) b.shareOfVoice = ratio(b.volume.customer, all);
    overall.shareOfVoice = all > 0 ? 1 : null;
    return { overall, brands };
  }
}

class BrandAccumulator {
  private total = 0;
  private customer = 0;
  private fromBrand = 0;
  private readonly bySource = new Map<string, { count: number; negative: number; needing: number; answered: number; unobservable: number }>();
  private readonly byDay = new Map<string, { count: number; positive: number; negative: number }>();
  private readonly sentiment = { positive: 0, neutral: 0, negative: 0, unscored: 0 };
  private readonly intents = Object.fromEntries(INTENTS.map((i) => [i, 0])) as Record<Intent, number>;
  private needingReply = 0;
  private readonly overdue = Object.fromEntries(DEADLINE_CLASSES.map((c) => [c, 0])) as Record<DeadlineClass, number>;
  private answered = 0;
  private deflections = 0;
  // Counts per distinct reply time, not every reply time: exact quantiles in memory that does not grow with input.
  private readonly minutes = new ValueCounts();
  private readonly businessMinutes = new ValueCounts();
  private readonly inHours = { needing: 0, answered: 0, minutes: new ValueCounts() };
  private readonly offHours = { needing: 0, answered: 0, minutes: new ValueCounts() };
  private broadcasts = 0;
  private replies = 0;
  private readonly broadcastTimes = new NumberList();
  private readonly waiting: WaitingIntervals;
  private unanswered: UnansweredItem[] = [];
  /** Last item of the queue when it was last trimmed to full length: anything ranking below it is never listed. */
  private cutoff: UnansweredItem | undefined;
  private withinCalendar = 0;
  private withinBusiness = 0;
  private readonly reach = new Map<string, { needing: number; answered: number; minutes: ValueCounts }>();
  private readonly templates: TemplateBook;
  private followUps = 0;
  private readonly resolution = { resolved: 0, unresolved: 0, unknown: 0 };
  private readonly reviews = { needingReply: 0, answered: 0, withinDays2: 0 };
  private readonly spikeDays: SpikeDays;

  constructor(
    private readonly name: string,
    private readonly options: SummaryOptions,
    private readonly dayOf: (ms: number) => string,
  ) {
    this.waiting = new WaitingIntervals(options.now.getTime());
    this.templates = new TemplateBook(options.canned ?? DEFAULT_CANNED);
    this.spikeDays = new SpikeDays();
  }

  /** A brand reply, already masked, for the templates; see SummaryAccumulator.addThread. */
  addReply(m: AnalyzedMention, masked: string, firstFor: number): void {
    this.templates.addMasked(m, masked, firstFor);
  }

  add(m: AnalyzedMention): void {
    const created = Date.parse(m.createdAt);
    this.total += 1;
    let src = this.bySource.get(m.source);
    if (!src) {
      src = { count: 0, negative: 0, needing: 0, answered: 0, unobservable: 0 };
      this.bySource.set(m.source, src);
    }
    src.count += 1;
    const day = this.dayOf(created);
    const d = this.byDay.get(day) ?? { count: 0, positive: 0, negative: 0 };
    d.count += 1;
    if (m.fromBrand) {
      this.fromBrand += 1;
      if (m.parentId === undefined) {
        this.broadcasts += 1;
        this.broadcastTimes.push(created);
      } else {
        this.replies += 1;
      }
      this.byDay.set(day, d);
      return;
    }
    this.customer += 1;
    if (!m.sentiment.scored) this.sentiment.unscored += 1;
    else this.sentiment[m.sentiment.label] += 1;
    if (m.sentiment.scored && m.sentiment.label === 'positive') d.positive += 1;
    if (m.sentiment.scored && m.sentiment.label === 'negative') {
      d.negative += 1;
      src.negative += 1;
    }
    this.byDay.set(day, d);
    this.spikeDays.add(m, day);
    this.intents[m.intent] += 1;
    if (m.response.status === 'unobservable') src.unobservable += 1;
    if (m.response.cameBack) {
      this.followUps += 1;
      // Back after the brand's reply, with no answer since: listed with the unanswered even when not a complaint or question.
      if (!m.needsReply && this.mightRank(m)) this.pushItem(m);
    }
    if (!m.needsReply) return;

    this.needingReply += 1;
    src.needing += 1;
    const tier = reachTier(m.engagement.followers);
    let reach = this.reach.get(tier);
    if (!reach) {
      reach = { needing: 0, answered: 0, minutes: new ValueCounts() };
      this.reach.set(tier, reach);
    }
    reach.needing += 1;
    const bucket = m.response.postedInHours ? this.inHours : this.offHours;
    bucket.needing += 1;
    const r = m.response;
    if (m.rating !== undefined) {
      this.reviews.needingReply += 1;
      if (r.status === 'answered') this.reviews.answered += 1;
      if (r.status === 'answered' && (r.replyMinutes ?? Infinity) <= TWO_DAYS) this.reviews.withinDays2 += 1;
    }
    if (r.status === 'answered') {
      this.answered += 1;
      src.answered += 1;
      bucket.answered += 1;
      if (r.replyMinutes !== undefined) {
        this.minutes.push(r.replyMinutes);
        bucket.minutes.push(r.replyMinutes);
      }
      if (r.replyBusinessMinutes !== undefined) this.businessMinutes.push(r.replyBusinessMinutes);
      if (r.deflection) this.deflections += 1;
      this.resolution[r.resolution?.outcome ?? 'unknown'] += 1;
      reach.answered += 1;
      if (r.replyMinutes !== undefined) reach.minutes.push(r.replyMinutes);
      const target = this.options.replyTargetMinutes;
      if (target !== undefined) {
        if ((r.replyMinutes ?? Infinity) <= target) this.withinCalendar += 1;
        if ((r.replyBusinessMinutes ?? Infinity) <= target) this.withinBusiness += 1;
      }
    } else {
      if ((r.overdueMinutes ?? 0) > 0 && hasDeadline(m.intent)) this.overdue[m.intent] += 1;
      if (this.mightRank(m)) this.pushItem(m);
    }
    if (COMPLAINT_INTENTS.has(m.intent)) {
      this.waiting.add(created, r.firstReplyAt !== undefined ? Math.max(created, Date.parse(r.firstReplyAt)) : this.options.now.getTime());
    }
  }

  private pushItem(m: AnalyzedMention): void {
    this.unanswered.push(toItem(m));
    if (this.unanswered.length > this.options.unansweredLimit * 2) this.trimQueue();
  }

  finish(): BrandSummary {
    this.trimQueue();
    const summary = this.build();
    // Each spike carries what drove its day; both kinds on one day share the one explanation.
    summary.spikes = detectSpikes(summary.volume.byDay).map((sp) => {
      const explanation = this.spikeDays.explain(sp.date);
      return explanation ? { ...sp, explanation } : sp;
    });
    return summary;
  }

  private build(): BrandSummary {
    const scored = this.sentiment.positive + this.sentiment.neutral + this.sentiment.negative;
    const canned = this.templates.finish();
    return {
      brand: this.name,
      volume: {
        total: this.total,
        customer: this.customer,
        fromBrand: this.fromBrand,
        bySource: [...this.bySource]
          .map(([source, v]): SourceFigure => ({ source, count: v.count, negative: v.negative, needingReply: v.needing, answered: v.answered, rate: ratio(v.answered, v.needing), unobservable: v.unobservable }))
          .sort((a, b) => b.count - a.count || byCodeUnit(a.source, b.source)),
        byDay: [...this.byDay].map(([date, v]) => ({ date, ...v })).sort((a, b) => byCodeUnit(a.date, b.date)),
      },
      sentiment: {
        ...this.sentiment,
        positiveShare: ratio(this.sentiment.positive, scored),
        negativeShare: ratio(this.sentiment.negative, scored),
      },
      intents: { ...this.intents },
      response: {
        needingReply: this.needingReply,
        answered: this.answered,
        unanswered: this.needingReply - this.answered,
        rate: ratio(this.answered, this.needingReply),
        medianMinutes: this.minutes.quantile(0.5),
        p90Minutes: this.minutes.quantile(0.9),
        medianBusinessMinutes: this.businessMinutes.quantile(0.5),
        p90BusinessMinutes: this.businessMinutes.quantile(0.9),
        deflections: this.deflections,
        deflectionShare: ratio(this.deflections, this.answered),
        cannedFirstReplies: canned.cannedFirstReplies,
        cannedShare: ratio(canned.cannedFirstReplies, this.answered),
        substantive: canned.substantive,
        substantiveRate: ratio(canned.substantive, this.needingReply),
        followUpsUnanswered: this.followUps,
        resolved: this.resolution.resolved,
        unresolved: this.resolution.unresolved,
        resolutionUnknown: this.resolution.unknown,
        resolvedShare: ratio(this.resolution.resolved, this.answered),
        unresolvedShare: ratio(this.resolution.unresolved, this.answered),
        templates: canned.templates,
        distribution: distribution(this.minutes),
        answeredWithin: answeredWithin(this.minutes),
        reviews: { ...this.reviews },
        ...(this.options.replyTargetMinutes !== undefined
          ? { withinTarget: { targetMinutes: this.options.replyTargetMinutes, calendarShare: ratio(this.withinCalendar, this.needingReply), businessShare: ratio(this.withinBusiness, this.needingReply) } }
          : {}),
      },
      byReach: REACH_TIERS.filter((t) => this.reach.has(t)).map((tier): ReachFigure => ({ tier, ...rateFigure(this.reach.get(tier)!) })),
      shareOfVoice: null,
      spikes: [],
      offHours: { inHours: rateFigure(this.inHours), offHours: rateFigure(this.offHours) },
      brandActivity: {
        broadcasts: this.broadcasts,
        replies: this.replies,
        broadcastShare: ratio(this.broadcasts, this.broadcasts + this.replies),
        broadcastsWhileComplaintWaiting: this.waiting.countWhileWaiting(this.broadcastTimes.values()),
      },
      overdue: { total: DEADLINE_CLASSES.reduce((n, c) => n + this.overdue[c], 0), byClass: { ...this.overdue }, deadlineMinutes: { ...(this.options.deadlines ?? DEFAULT_DEADLINES) } },
      unanswered: this.unanswered,
    };
  }

  private trimQueue(): void {
    this.unanswered.sort(byUrgency);
    this.unanswered.length = Math.min(this.unanswered.length, this.options.unansweredLimit);
    if (this.unanswered.length === this.options.unansweredLimit) this.cutoff = this.unanswered[this.unanswered.length - 1];
  }

  /** False when a full queue's last item already outranks `m`: it could never be listed, so no item is built. */
  private mightRank(m: AnalyzedMention): boolean {
    const last = this.cutoff;
    if (last === undefined) return true;
    const overdue = m.response.overdueMinutes ?? 0;
    if (overdue !== last.overdueMinutes) return overdue > last.overdueMinutes;
    const severity = m.response.severity ?? 0;
    if (severity !== last.severity) return severity > last.severity;
    // The same comparisons as byUrgency (code units), so skipping never changes which items are listed.
    const byDate = byCodeUnit(m.createdAt, last.createdAt);
    if (byDate !== 0) return byDate < 0;
    return byCodeUnit(m.id, last.id) < 0;
  }
}

/** Follower tiers, smallest first; 'unknown' where the source gives no follower count. */
const REACH_TIERS = ['unknown', '<1k', '1k–10k', '10k–100k', '100k+'];

function reachTier(followers: number | undefined): string {
  if (followers === undefined) return 'unknown';
  return followers < 1_000 ? '<1k' : followers < 10_000 ? '1k–10k' : followers < 100_000 ? '10k–100k' : '100k+';
}

/** Helpdesk-style buckets of time to first reply (upper bounds in minutes, exclusive). */
const BUCKETS: [string, number][] = [
  ['0–1h', 60],
  ['1–4h', 240],
  ['4–8h', 480],
  ['8–24h', 1440],
  ['24h+', Infinity],
];

function distribution(minutes: ValueCounts): { label: string; count: number }[] {
  const counts = BUCKETS.map(([label]) => ({ label, count: 0 }));
  for (const [m, n] of minutes.entries()) {
    const i = BUCKETS.findIndex(([, upper]) => m < upper);
    counts[i]!.count += n;
  }
  return counts;
}

const TWO_DAYS = 2 * 24 * 60;

/** How many answered mentions got their first reply within 15 minutes, 1 hour and 2 days (inclusive). */
function answeredWithin(minutes: ValueCounts): { minutes15: number; hour1: number; days2: number } {
  const out = { minutes15: 0, hour1: 0, days2: 0 };
  for (const [m, n] of minutes.entries()) {
    if (m <= 15) out.minutes15 += n;
    if (m <= 60) out.hour1 += n;
    if (m <= TWO_DAYS) out.days2 += n;
  }
  return out;
}

function rateFigure(b: { needing: number; answered: number; minutes: ValueCounts }): RateFigure {
  return { needingReply: b.needing, answered: b.answered, rate: ratio(b.answered, b.needing), medianMinutes: b.minutes.quantile(0.5) };
}

/**
 * Compares by UTF-16 code units, never by locale: collation follows the machine's language (sv-SE sorts "Å" after
 * "Z", en-US before), and the same input must give the same bytes everywhere.
 */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders the unanswered queue: furthest past its class's deadline first (an outage two hours late before a question
 * two hours late), then severity, then oldest first, then id, so reruns list the same items.
 */
function byUrgency(a: UnansweredItem, b: UnansweredItem): number {
  return b.overdueMinutes - a.overdueMinutes || b.severity - a.severity || byCodeUnit(a.createdAt, b.createdAt) || byCodeUnit(a.id, b.id);
}

function toItem(m: AnalyzedMention): UnansweredItem {
  // The title leads on every source that has one (a review's headline says what it is about).
  const { wording, body } = mentionWording(m);
  const text = (body !== undefined ? `${m.title!.trim()} — ${body}` : wording).replace(/\s+/g, ' ').trim();
  const item: UnansweredItem = {
    id: m.id,
    source: m.source,
    createdAt: m.createdAt,
    openMinutes: m.response.openMinutes ?? 0,
    severity: m.response.severity ?? 0,
    intent: m.intent,
    sentiment: m.sentiment.scored ? m.sentiment.label : 'unscored',
    excerpt: text.length > 140 ? `${text.slice(0, 139)}…` : text,
    deadlineMinutes: m.response.deadlineMinutes ?? 0,
    overdueMinutes: m.response.overdueMinutes ?? 0,
  };
  if (m.brand !== undefined) item.brand = m.brand;
  if (m.url !== undefined) item.url = m.url;
  if (m.response.cameBack) {
    item.cameBack = true;
    item.sinceBrandMinutes = m.response.sinceBrandMinutes ?? 0;
  }
  const author = m.author.handle ?? m.author.name ?? m.author.id;
  if (author !== undefined) item.author = author;
  return item;
}

/** How many broadcasts went out while at least one complaint was waiting (start ≤ t < end). */
export function countWhileWaiting(broadcasts: Float64Array, starts: Float64Array, ends: Float64Array): number {
  const s = Float64Array.from(starts).sort();
  const e = Float64Array.from(ends).sort();
  let count = 0;
  for (const t of broadcasts) {
    const waiting = upperBound(s, t) - upperBound(e, t);
    if (waiting > 0) count += 1;
  }
  return count;
}

/**
 * Complaint waiting intervals [start, end), kept so that `countWhileWaiting` over them gives exactly what it gives
 * over every interval, in memory that does not grow with the input. Intervals that end by `now` (all of them when
 * the audit clock is after the data) only ever add to the waiting count, so only their union matters: it is kept
 * merged, usually a handful of intervals. Anything else (a reply after `now`; a complaint after `now`, whose
 * unanswered interval runs backwards to `now` and subtracts after `now`, where no union interval reaches) is kept
 * as it is and counted the list way.
 */
export class WaitingIntervals {
  /** The union, as sorted disjoint intervals. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly otherStarts = new NumberList();
  private readonly otherEnds = new NumberList();

  constructor(private readonly now: number) {}

  /** Adds one complaint's interval. */
  add(start: number, end: number): void {
    if (start < end && end <= this.now) this.merge(start, end);
    // An empty interval counts nowhere: start ≤ t and end ≤ t together.
    else if (start !== end) {
      this.otherStarts.push(start);
      this.otherEnds.push(end);
    }
  }

  /** How many of `broadcasts` went out while at least one complaint was waiting (start ≤ t < end). */
  countWhileWaiting(broadcasts: Float64Array): number {
    const s = Float64Array.from(this.otherStarts.values()).sort();
    const e = Float64Array.from(this.otherEnds.values()).sort();
    let count = 0;
    for (const t of broadcasts) {
      // Union intervals lie before `now`, where the others never subtract: covered means waiting.
      if (this.covers(t) || upperBound(s, t) - upperBound(e, t) > 0) count += 1;
    }
    return count;
  }

  /** How many disjoint intervals the union holds (for tests). */
  get unionSize(): number {
    return this.starts.length;
  }

  private merge(start: number, end: number): void {
    const { starts, ends } = this;
    const last = ends.length - 1;
    // Complaints arrive nearly in time order: most intervals extend or follow the last one.
    if (last < 0 || start > ends[last]!) {
      starts.push(start);
      ends.push(end);
      return;
    }
    // First interval that reaches start (touching counts: [a, b) and [b, c) are [a, c)).
    let i = 0;
    let hi = ends.length;
    while (i < hi) {
      const mid = (i + hi) >>> 1;
      if (ends[mid]! < start) i = mid + 1;
      else hi = mid;
    }
    let j = i;
    while (j < starts.length && starts[j]! <= end) j += 1;
    if (i === j) {
      starts.splice(i, 0, start);
      ends.splice(i, 0, end);
      return;
    }
    const mergedStart = Math.min(start, starts[i]!);
    const mergedEnd = Math.max(end, ends[j - 1]!);
    starts.splice(i, j - i, mergedStart);
    ends.splice(i, j - i, mergedEnd);
  }

  private covers(t: number): boolean {
    const { starts, ends } = this;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && t < ends[lo - 1]!;
  }
}

function upperBound(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
