/**
 * Published figures on brands' public response, each checked against its source (docs/benchmarks.md says where and
 * how), and which of them a brand's summary can be set against. Plain data and pure functions.
 */
import type { BenchmarkComparison, BrandSummary } from '../core/report.js';
import { minutesText, pct } from './format.js';

/** What a benchmark is compared with: one of the brand's figures. */
type BenchmarkMetric = 'response_rate' | 'median_reply_minutes' | 'within_15m_share' | 'within_1h_share' | 'review_within_2d_share';

/** One published figure. */
export interface Benchmark {
  id: string;
  metric: BenchmarkMetric;
  /** A share (0–1) or minutes, as the metric is. */
  value: number;
  /** The words after the value: "the 46.6% <of retailers in Brandwatch's 2015 test>". */
  phrase: string;
  /** The source gives the value loosely ("nearly 90% ignored", "about 10 hours"): shown with a "~". */
  approx?: true;
  source: string;
  year: number;
  /** How the figure was measured. */
  method: string;
  /** On what: how many brands, messages or people. */
  sample: string;
  /** Where it was read (and checked). */
  url: string;
}

/** The bundled benchmarks; every one verified against the page in `url` (docs/benchmarks.md). */
export const BENCHMARKS: readonly Benchmark[] = [
  {
    id: 'sprout-2016-response-rate',
    metric: 'response_rate',
    value: 0.1,
    phrase: 'of messages brands answered in the Sprout Social Index 2016',
    approx: true,
    source: 'Sprout Social Index, Edition VI (Q2 2016)',
    year: 2016,
    method: "share of inbound messages needing a response that the brand's profile answered, from Sprout's customers' profiles",
    sample: '247,000 social profiles, 2.9 billion messages (Q1 2016)',
    url: 'https://pauldughi.com/2016/05/15/the-impact-of-not-responding-quickly-to-customer-inquiries-on-social-media/',
  },
  {
    id: 'sprout-2016-reply-time',
    metric: 'median_reply_minutes',
    value: 600,
    phrase: 'mean reply in the Sprout Social Index 2016',
    approx: true,
    source: 'Sprout Social Index, Edition VI (Q2 2016)',
    year: 2016,
    method: 'average time to the first response on messages that got one',
    sample: '247,000 social profiles, 2.9 billion messages (Q1 2016)',
    url: 'https://pauldughi.com/2016/05/15/the-impact-of-not-responding-quickly-to-customer-inquiries-on-social-media/',
  },
  {
    id: 'brandwatch-2015-tagged',
    metric: 'response_rate',
    value: 0.466,
    phrase: "of retailers in Brandwatch's 2015 test",
    source: 'Brandwatch, "Brands Still Don\'t Listen to Customers on Twitter"',
    year: 2015,
    method: 'mystery shopper: a neutral tagged mention, a direct question and an untagged complaint sent to each brand; replies counted over 5 days',
    sample: 'almost 100 US and UK retail brands, over 300 tweets (January 2015)',
    url: 'https://www.brandwatch.com/2015/01/research-brands-still-dont-listen-customers-twitter/',
  },
  {
    id: 'gunarathne-2018-airlines',
    metric: 'response_rate',
    value: 0.5,
    phrase: 'US airlines stayed under for complaints (MIS Quarterly 2018)',
    source: 'Gunarathne, Rui and Seidmann, "When Social Media Delivers Customer Service", MIS Quarterly',
    year: 2018,
    method: 'econometric study of complaint tweets and the airlines\' replies; "airlines respond to less than half of the tweets directed at them by complaining customers"',
    sample: 'more than 3 million tweets to 7 major US airlines, September 2014 – May 2015',
    url: 'https://misq.umn.edu/when-social-media-delivers-customer-service-differential-customer-treatment-in-the-airline-industry.html',
  },
  {
    id: 'socialbakers-socially-devoted',
    metric: 'response_rate',
    value: 0.65,
    phrase: 'Socialbakers asked of a "Socially Devoted" brand',
    source: 'Socialbakers, "How To Get The Socially Devoted Certificate"',
    year: 2012,
    method: 'certificate threshold: a question response rate of at least 65% in a quarter, with at least 50 questions posted',
    sample: 'a threshold, set after a study of over 9,000 Facebook Pages (March–May 2012)',
    url: 'https://www.socialbakers.com/blog/735-how-to-get-the-socially-devoted-certificate',
  },
  {
    id: 'facebook-very-responsive',
    metric: 'within_15m_share',
    value: 0.9,
    phrase: 'for Facebook\'s "Very responsive" badge (messages)',
    source: 'Facebook Pages, "Very responsive to messages" badge',
    year: 2015,
    method: 'badge rule for private Page messages over the last 7 days: a 90% response rate and a 15-minute response time',
    sample: 'a platform rule, not a survey',
    url: 'https://blog.brandbastion.com/get-and-keep-very-responsive-to-messages-facebook',
  },
  {
    id: 'arise-2017-one-hour',
    metric: 'within_1h_share',
    value: 0.498,
    phrase: 'of consumers who want a reply in an hour (Arise 2017)',
    source: 'Arise, "Customer Service Frustrations Series: Social Media Response Times"',
    year: 2017,
    method: 'Google Consumer Survey: "When contacting customer service via social media, in what amount of time do you expect a response?"',
    sample: 'over 1,500 US consumers (January 2017)',
    url: 'https://www.arise.com/resources/blog/customer-service-frustrations-series-social-media-response-times',
  },
  {
    id: 'brightlocal-review-two-days',
    metric: 'review_within_2d_share',
    value: 0.59,
    phrase: 'of consumers who expect a review reply in 2 days (BrightLocal)',
    source: 'BrightLocal, Local Consumer Review Survey (as cited by BrightLocal, March 2024)',
    year: 2024,
    method: 'annual consumer survey on local business reviews',
    sample: 'about 1,100 US consumers',
    url: 'https://www.brightlocal.com/blog/be-a-business-review-superhero-power-your-replies-with-templates-and-ai/',
  },
];

/** How each metric reads, which way is better, and the brand's value (null when it has none). */
const METRICS: Record<BenchmarkMetric, { words: string; higherIsBetter: boolean; minutes?: true; get(b: BrandSummary): number | null }> = {
  response_rate: { words: 'answered', higherIsBetter: true, get: (b) => b.response.rate },
  median_reply_minutes: { words: 'median first reply', higherIsBetter: false, minutes: true, get: (b) => b.response.medianMinutes },
  within_15m_share: { words: 'answered in 15 min', higherIsBetter: true, get: (b) => within(b, 'minutes15') },
  within_1h_share: { words: 'answered in 1 hour', higherIsBetter: true, get: (b) => within(b, 'hour1') },
  review_within_2d_share: {
    words: 'reviews answered in 2 days',
    higherIsBetter: true,
    get: (b) => (b.response.reviews && b.response.reviews.needingReply > 0 ? b.response.reviews.withinDays2 / b.response.reviews.needingReply : null),
  },
};

function within(b: BrandSummary, key: 'minutes15' | 'hour1'): number | null {
  const w = b.response.answeredWithin;
  return w && b.response.needingReply > 0 ? w[key] / b.response.needingReply : null;
}

/**
 * The benchmarks a brand's figures can be set against, in table order: those whose figure the brand has (a response
 * rate needs something that needed a reply; the review benchmark needs reviews). Level means within half a point
 * (or half a minute) of the benchmark.
 */
export function applicableBenchmarks(b: BrandSummary, benchmarks: readonly Benchmark[] = BENCHMARKS): BenchmarkComparison[] {
  const out: BenchmarkComparison[] = [];
  for (const bm of benchmarks) {
    const m = METRICS[bm.metric];
    const value = m.get(b);
    if (value === null) continue;
    const diff = value - bm.value;
    const level = Math.abs(diff) < (m.minutes ? 0.5 : 0.005);
    const better = m.higherIsBetter ? diff > 0 : diff < 0;
    const standing = level ? 'level' : better ? 'better' : 'worse';
    const fmt = (v: number): string => (m.minutes ? minutesText(v) : pct(v));
    // Published figures keep their decimal (46.6%), the brand's is whole as everywhere else in the report.
    const fmtBench = (v: number): string => `${bm.approx ? '~' : ''}${m.minutes ? minutesText(v) : `${Math.round(v * 1000) / 10}%`}`;
    const where = level ? 'level with' : m.minutes ? (diff < 0 ? 'faster than' : 'slower than') : diff > 0 ? 'above' : 'below';
    out.push({
      id: bm.id,
      metric: bm.metric,
      value: round4(value),
      benchmark: bm.value,
      standing,
      text: `${m.words} ${fmt(value)}: ${where} the ${fmtBench(bm.value)} ${bm.phrase}`,
      source: bm.source,
      year: bm.year,
      url: bm.url,
    });
  }
  return out;
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
