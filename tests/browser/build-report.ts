/** Builds real Reports for the HTML tests by running the actual analysis over fixture files. */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createBusinessCalendar } from '../../src/analysis/business-hours.js';
import { parseBusinessHours } from '../../src/core/business-hours-spec.js';
import { createAnalysis } from '../../src/analysis/pipeline.js';
import { createSentimentScorer } from '../../src/analysis/sentiment.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';
import { type AnalyzedMention, SCHEMA_VERSION, type Report, type SourceCoverage } from '../../src/core/report.js';
import { silentLogger } from '../../src/core/log.js';
import type { Mention } from '../../src/core/mention.js';
import { openMentions } from '../../src/input/index.js';

/** Repository root. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The TWCS sample: three brands, answered and unanswered threads. */
const TWCS = `${ROOT}fixtures/input/twcs-sample.csv`;

const NOW = new Date('2026-11-23T09:00:00Z');
const HOURS = 'Mon-Fri 09:00-17:00';

/** Reads a fixture file through the real input readers. */
async function readFixture(path: string): Promise<Mention[]> {
  const opened = await openMentions(createReadStream(path), { fileName: path, log: silentLogger });
  const out: Mention[] = [];
  for await (const m of opened.mentions) out.push(m);
  return out;
}

/** Runs the real analysis (Mon–Fri 09:00–17:00 UTC, fixed clock) and assembles a Report as `earshot analyze -f json` does. */
export async function analyse(mentions: Mention[], extra: { brands?: string[]; coverage?: SourceCoverage[]; warnings?: string[]; input?: string } = {}): Promise<Report> {
  const calendar = createBusinessCalendar({ schedule: parseBusinessHours(HOURS), timeZone: 'UTC' });
  const run = createAnalysis({
    scorer: createSentimentScorer(loadSentimentInputs()),
    calendar,
    timeZone: 'UTC',
    now: NOW,
    brandHandles: [],
    defaultBrand: '(unspecified)',
    unansweredLimit: 50,
  });
  const kept: AnalyzedMention[] = [];
  for await (const am of run.run(mentions)) kept.push(am);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'earshot', version: '0.1.0' },
    generatedAt: NOW.toISOString(),
    settings: { brands: extra.brands ?? [], brandHandles: [], timeZone: 'UTC', businessHours: calendar.describe(), ...(extra.input !== undefined ? { input: extra.input } : {}) },
    coverage: extra.coverage ?? [],
    summary: run.summary.finish(),
    warnings: extra.warnings ?? [],
    mentions: kept,
  };
}

/** The TWCS sample analysed, with a coverage block that has one failed source (as `earshot audit` would record). */
export async function twcsReport(): Promise<Report> {
  return analyse(await readFixture(TWCS), {
    input: 'twcs-sample.csv',
    coverage: [
      { source: 'twitter', status: 'ok', mentions: 50, warnings: [] },
      { source: 'reddit', status: 'failed', mentions: 0, warnings: [], error: { code: 'E_HTTP', message: 'reddit: HTTP 429 Too Many Requests after 3 retries' } },
    ],
    warnings: ['reddit: rate limited; its mentions are missing from the figures.'],
  });
}

/** Code the hostile payloads run if anything executes: sets a global canary the tests check. */
export const CANARY = 'window.__earshotPwned=1';

/** Script-injection attempts for every user-controlled field. */
export const PAYLOADS = [
  `<script>${CANARY};alert(1)</script>`,
  `<img src=x onerror="${CANARY};alert(2)">`,
  `"onmouseover="${CANARY}" x="`,
  `'><svg onload=${CANARY}>`,
  `</script><script>${CANARY}</script>`,
  `<!--<script>${CANARY}</script>-->`,
  `\u2028\u2029</ScRiPt ><script>${CANARY}</script>`,
  `\u202egnp.exe\u200b\u0007\u001b[31mred`,
  `<style>body{display:none}</style>`,
  `<a href="javascript:${CANARY}">click</a>`,
];

/** A report built from hostile mentions: texts, authors, URLs, sources and brand names full of payloads. */
export async function hostileReport(): Promise<Report> {
  const base = Date.parse('2026-11-20T10:00:00Z');
  const mentions: Mention[] = [];
  PAYLOADS.forEach((p, i) => {
    const brand = i % 2 === 0 ? `Evil<script>${CANARY}</script>Brand` : `"><img src=x onerror=${CANARY}>`;
    const at = (h: number): string => new Date(base + (i * 5 + h) * 3_600_000).toISOString();
    const urls = [`javascript:${CANARY}`, `https://example.com/p?q="><script>${CANARY}</script>&x='y'`, `JaVaScRiPt:${CANARY}`, ` \u0001javascript:${CANARY}`, `data:text/html,<script>${CANARY}</script>`, `vbscript:${CANARY}`];
    mentions.push({
      id: `x:${i}<b>`,
      source: i % 3 === 0 ? `src<script>${CANARY}</script>` : 'x',
      kind: 'post',
      brand,
      url: urls[i % urls.length]!,
      author: { handle: `user${p}` },
      fromBrand: false,
      title: p,
      text: `This is terrible, broken and awful, why is nobody answering? ${p}`,
      createdAt: at(0),
      engagement: { likes: i },
    });
    if (i % 4 === 0) {
      mentions.push({
        id: `x:r${i}`,
        source: 'x',
        kind: 'comment',
        parentId: `x:${i}<b>`,
        brand,
        url: `https://example.com/${encodeURIComponent(p)}`,
        author: { handle: `brand${p}` },
        fromBrand: true,
        text: `Sorry! Please DM us. ${p}`,
        createdAt: at(2),
        engagement: {},
      });
    }
  });
  return analyse(mentions, {
    brands: [`Evil<script>${CANARY}</script>Brand`, `"><img src=x onerror=${CANARY}>`],
    coverage: [{ source: `x<script>${CANARY}</script>`, status: 'failed', mentions: 0, warnings: [PAYLOADS[1]!], error: { code: 'E<b>', message: PAYLOADS[0]! } }],
    warnings: PAYLOADS,
  });
}
