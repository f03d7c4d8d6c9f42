/**
 * Seeded synthetic mentions for benchmarks: customer posts, comments and reviews of tweet-to-paragraph length,
 * threads of 1–8 items written contiguously, brand replies after random delays (some at night or at the
 * weekend), several sources and engagement numbers. The same seed always gives the same bytes.
 */
import { seededRandom } from '../../src/core/random.js';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Mention } from '../../src/core/mention.js';

/** Generator settings; everything but `count` has a default. */
export interface SynthOptions {
  /** Number of mentions to produce (the last thread is cut short to hit it exactly). */
  count: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** First thread start (default 2024-01-01T00:00:00Z). */
  start?: Date;
  /** Time the threads are spread over, in days (default 90). */
  spanDays?: number;
}


const BRANDS = [
  { name: 'Acme Cloud', handle: 'acmecloud' },
  { name: 'Globex', handle: 'globexhelp' },
  { name: 'Initech', handle: 'initech' },
];

/** Sources with their share of threads and what their items look like. */
const SOURCES = [
  { id: 'twitter', share: 0.45, kind: 'post' as const, reviews: false },
  { id: 'reddit', share: 0.2, kind: 'post' as const, reviews: false },
  { id: 'mastodon', share: 0.1, kind: 'post' as const, reviews: false },
  { id: 'hn', share: 0.1, kind: 'post' as const, reviews: false },
  { id: 'trustpilot', share: 0.15, kind: 'review' as const, reviews: true },
];

const COMPLAINT = [
  'my order still has not arrived and nobody answers the phone',
  'the app keeps crashing every time I try to log in',
  'been on hold for 45 minutes, this is ridiculous',
  'you charged me twice for the same subscription',
  'the service has been down all morning and the status page says everything is fine',
  'worst customer support I have ever dealt with',
  'my refund was promised two weeks ago and I still have nothing',
  'the new update broke syncing on all my devices',
  'cancelled my flight with no notice and no rebooking offered',
  'your website will not let me reset my password',
  'delivery was late again, third time this month',
  'I was overcharged and the chat bot just loops',
  'terrible experience, the package arrived damaged',
  'the outage cost us a full day of work',
  'this is the second time my account got locked for no reason',
];
const QUESTION = [
  'how do I change the billing address on my account?',
  'does anyone know if the premium plan includes backups?',
  'is there a way to export my data before I cancel?',
  'when will the outage be fixed?',
  'can I get a refund if I downgrade mid month?',
  'what is the phone number for support in Canada?',
  'is the API down for everyone or just me?',
  'why did my invoice go up this month?',
  'how long does shipping to Germany usually take?',
  'any idea when the Android app gets dark mode?',
];
const PRAISE = [
  'thanks for the quick fix, support was great',
  'love the new dashboard, so much faster',
  'shout out to the team for sorting my issue in minutes',
  'honestly the best service I have used in years',
  'five stars, would buy again',
  'really impressed with how easy the setup was',
  'great job on the latest release',
  'the support agent was friendly and helpful',
];
const NEUTRAL = [
  'just switched my team over to the new plan',
  'reading the announcement about the pricing change',
  'trying out the beta this weekend',
  'moving our files over from the old provider',
  'saw the keynote today',
  'setting this up for a client project',
  'the office is migrating next week',
];
const FILLER = ['honestly', 'again', 'seriously', 'as usual', 'today', 'ugh', 'lol', 'fyi', 'update:', 'still'];
const TAGS = ['#fail', '#customerservice', '#help', '#outage', '#thanks', '#support'];
const EMOJI = ['😡', '🙄', '😊', '👍', '🙏', '😤', '❤️', '😂'];
const BRAND_REPLIES = [
  'Hi there, sorry to hear that. Please DM us your order number and we will take a look.',
  'Thanks for reaching out! We are looking into this now and will update you shortly.',
  'We are sorry for the trouble. Our team has fixed the issue, could you try again and let us know?',
  'Thanks for the kind words, we will pass them on to the team!',
  'Sorry about the wait. You can change this under Settings > Billing; happy to help if it does not work.',
  'We hear you. A refund has been issued and should show within 3-5 business days.',
  'Please send us a direct message with your account email so we can check.',
];
const FOLLOW_UPS = [
  'still waiting on this',
  'any update?',
  'ok that worked, thanks',
  'sent you a DM',
  'no, it still does not work',
  'this is not acceptable',
  'thanks, appreciate it',
];
const NAMES = ['alex', 'sam', 'jordan', 'casey', 'riley', 'morgan', 'taylor', 'jamie', 'drew', 'quinn', 'avery', 'blake'];

const MINUTE = 60_000;

/** A seeded mention generator: call `next()` for mentions in stream order (threads contiguous). */
export function synthMentions(options: SynthOptions): Generator<Mention> {
  return generate(options);
}

function* generate(options: SynthOptions): Generator<Mention> {
  const rnd = seededRandom(options.seed ?? 1);
  const start = (options.start ?? new Date('2024-01-01T00:00:00Z')).getTime();
  const span = (options.spanDays ?? 90) * 24 * 60 * MINUTE;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const nativeIds = new Map<string, number>();
  const nextId = (source: string): string => {
    const n = (nativeIds.get(source) ?? 1_000_000) + 1;
    nativeIds.set(source, n);
    return `${source}:${n}`;
  };
  // Threads start in time order, evenly on average; steps are random so some land at night or the weekend.
  const threadsEstimate = Math.max(1, options.count / 3);
  const meanStep = span / threadsEstimate;
  let t = start;
  let produced = 0;

  const sentence = (brandHandle: string): string => {
    const r = rnd();
    let body = r < 0.35 ? pick(COMPLAINT) : r < 0.6 ? pick(QUESTION) : r < 0.8 ? pick(PRAISE) : pick(NEUTRAL);
    if (rnd() < 0.2) body = `${pick(FILLER)} ${body}`;
    if (rnd() < 0.25) body = `@${brandHandle} ${body}`;
    if (rnd() < 0.15) body += ` ${pick(TAGS)}`;
    if (rnd() < 0.15) body += ` ${pick(EMOJI)}`;
    return body;
  };
  const customerText = (brandHandle: string): string => {
    // Mostly tweet length, some paragraphs: 1 sentence half the time, up to 12.
    const r = rnd();
    const n = r < 0.5 ? 1 : r < 0.75 ? 2 : r < 0.95 ? 3 + Math.floor(rnd() * 4) : 7 + Math.floor(rnd() * 6);
    const parts: string[] = [];
    for (let i = 0; i < n; i += 1) parts.push(sentence(brandHandle));
    let text = parts.join('. ');
    if (rnd() < 0.08) text += ` https://example.com/t/${Math.floor(rnd() * 1e6)}`;
    return text;
  };
  const engagement = (): Mention['engagement'] => {
    const e: Mention['engagement'] = { likes: Math.floor(-Math.log(1 - rnd()) * 4) };
    if (rnd() < 0.6) e.replies = Math.floor(-Math.log(1 - rnd()) * 1.5);
    if (rnd() < 0.5) e.followers = Math.floor(Math.exp(rnd() * 9));
    return e;
  };

  while (produced < options.count) {
    t += -Math.log(1 - rnd()) * meanStep;
    const source = pickSource(rnd());
    const brand = pick(BRANDS);
    const size = Math.min(options.count - produced, 1 + Math.floor(rnd() * rnd() * 8));
    const rootId = nextId(source.id);
    const customer = `${pick(NAMES)}${Math.floor(rnd() * 10_000)}`;
    const root: Mention = {
      id: rootId,
      source: source.id,
      kind: source.kind,
      url: `https://${source.id}.example/${rootId.slice(source.id.length + 1)}`,
      author: { handle: customer },
      fromBrand: false,
      brand: brand.name,
      text: customerText(brand.handle),
      createdAt: new Date(t).toISOString(),
      engagement: engagement(),
    };
    if (source.id === 'reddit' && rnd() < 0.7) root.title = pick([...COMPLAINT, ...QUESTION]).slice(0, 60);
    if (source.reviews) root.rating = 1 + Math.floor(rnd() * 5);
    // Brand broadcasts are rare roots of their own.
    if (rnd() < 0.02) {
      root.fromBrand = true;
      root.author = { handle: brand.handle, name: brand.name };
      root.text = `${pick(NEUTRAL)} - new features are live today! ${pick(EMOJI)}`;
    }
    yield root;
    produced += 1;
    let parent = root;
    let at = t;
    for (let i = 1; i < size; i += 1) {
      const fromBrand = !root.fromBrand && (i % 2 === 1 ? rnd() < 0.75 : rnd() < 0.15);
      // Brand replies: lognormal-ish delay from minutes to days; customer follow-ups: minutes to hours.
      at += fromBrand ? Math.exp(2 + rnd() * 6) * MINUTE : Math.exp(1 + rnd() * 4) * MINUTE;
      const id = nextId(source.id);
      const m: Mention = {
        id,
        source: source.id,
        kind: 'comment',
        url: `https://${source.id}.example/${id.slice(source.id.length + 1)}`,
        author: fromBrand ? { handle: brand.handle, name: brand.name } : i % 2 === 0 ? root.author : { handle: `${pick(NAMES)}${Math.floor(rnd() * 10_000)}` },
        fromBrand,
        brand: brand.name,
        text: fromBrand ? pick(BRAND_REPLIES) : rnd() < 0.5 ? pick(FOLLOW_UPS) : customerText(brand.handle),
        createdAt: new Date(Math.round(at)).toISOString(),
        parentId: rnd() < 0.8 ? parent.id : rootId,
        threadId: rootId,
        engagement: engagement(),
      };
      yield m;
      produced += 1;
      parent = m;
    }
  }
}

function pickSource(r: number): (typeof SOURCES)[number] {
  let acc = 0;
  for (const s of SOURCES) {
    acc += s.share;
    if (r < acc) return s;
  }
  return SOURCES[SOURCES.length - 1]!;
}

/** Writes mentions as NDJSON to a stream, honouring backpressure; returns mentions and bytes written. */
export async function writeSynthNdjson(out: Writable, options: SynthOptions): Promise<{ mentions: number; bytes: number }> {
  let buffer = '';
  let mentions = 0;
  let bytes = 0;
  const flush = async (): Promise<void> => {
    bytes += Buffer.byteLength(buffer);
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  };
  for (const m of synthMentions(options)) {
    buffer += `${JSON.stringify(m)}\n`;
    mentions += 1;
    if (buffer.length >= 1 << 16) await flush();
  }
  if (buffer.length > 0) await flush();
  return { mentions, bytes };
}

/** Writes an NDJSON file of `options.count` synthetic mentions. */
export async function writeSynthFile(path: string, options: SynthOptions): Promise<{ mentions: number; bytes: number }> {
  const out = createWriteStream(path);
  const result = await writeSynthNdjson(out, options);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return result;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Tue Oct 31 22:10:47 +0000 2017`, the TWCS date form. */
function twitterDate(iso: string): string {
  const d = new Date(iso);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The same mentions in the Customer Support on Twitter CSV layout (tweet_id, author_id, inbound, created_at, text,
 * response_tweet_id, in_response_to_tweet_id): customers as numeric ids, brands by handle.
 */
export async function writeSynthTwcs(out: Writable, options: SynthOptions): Promise<{ mentions: number }> {
  let buffer = 'tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n';
  let mentions = 0;
  let thread: Mention[] = [];
  // Native ids repeat across sources; TWCS is all tweets, so number them afresh (parents are always in the thread).
  let nextTweet = 100_000_000;
  const tweetIds = new Map<string, string>();
  const native = (id: string): string => tweetIds.get(id) ?? '';
  const writeThread = async (): Promise<void> => {
    tweetIds.clear();
    for (const m of thread) tweetIds.set(m.id, String(nextTweet++));
    const children = new Map<string, string[]>();
    for (const m of thread) if (m.parentId) children.set(m.parentId, [...(children.get(m.parentId) ?? []), native(m.id)]);
    for (const m of thread) {
      const author = m.fromBrand ? (m.author.handle ?? 'brand') : String(100_000 + (hash(m.author.handle ?? '') % 900_000));
      buffer += [
        native(m.id), author, m.fromBrand ? 'False' : 'True', twitterDate(m.createdAt), csvCell(m.text),
        (children.get(m.id) ?? []).join(','), m.parentId ? native(m.parentId) : '',
      ].map((c, i) => (i === 5 && c.includes(',') ? `"${c}"` : c)).join(',') + '\n';
      mentions += 1;
    }
    thread = [];
    if (buffer.length >= 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  };
  for (const m of synthMentions(options)) {
    if (m.threadId === undefined && thread.length > 0) await writeThread();
    thread.push(m);
  }
  if (thread.length > 0) await writeThread();
  if (!out.write(buffer)) await once(out, 'drain');
  return { mentions };
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i += 1) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}
