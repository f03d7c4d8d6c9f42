/** The fixed sample reports the golden files are rendered from: fixture inputs, a fixed clock, the real analysis. */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeToReport, judge } from '../../src/audit/analyze.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import { openMentions } from '../../src/input/index.js';
import { breachSentence } from '../../src/cli/breach-text.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NOW = new Date('2024-03-08T12:00:00Z');
const TIME_ZONE = 'Europe/Berlin';

/** A sample: an input fixture and how it is audited. */
interface Sample {
  input: string;
  brands: string[];
  /** Previous report for --compare (the same input judged two days earlier: it holds only what existed by then). */
  compare?: boolean;
}

/** The samples: one brand with a comparison, coverage and breaches; three brands side by side. */
export const SAMPLES: Record<string, Sample> = {
  acme: { input: 'mentions.ndjson', brands: ['Acme Cloud'], compare: true },
  twcs: { input: 'twcs-sample.csv', brands: [] },
};

async function build(sample: Sample, now: Date, previous?: Report): Promise<Report> {
  const file = `${ROOT}fixtures/input/${sample.input}`;
  const opened = await openMentions(createReadStream(file), { fileName: sample.input, log: silentLogger, ...(sample.brands[0] ? { brand: sample.brands[0] } : {}) });
  const { analysis, context } = judge({
    now,
    timeZone: TIME_ZONE,
    businessHours: 'Mon-Fri 09:00-17:00',
    holidays: [],
    brands: sample.brands,
    brandHandles: [],
    defaultBrand: sample.brands[0] ?? '(unspecified)',
    unansweredLimit: 50,
    replyTargetMinutes: 240,
    about: { input: sample.input },
    coverage: [
      { source: 'reddit', status: 'ok', mentions: 4, warnings: [] },
      { source: 'hn', status: 'failed', mentions: 0, warnings: [], error: { code: 'rate-limited', message: 'hn: HTTP 429 Too Many Requests after 3 retries' } },
    ],
    warnings: ['hn: gave up after 3 retries'],
    ...(previous ? { previous } : {}),
    thresholds: { responseRate: 0.9, negativeShare: 0.1 },
    describeBreach: breachSentence,
  });
  const report = await analyzeToReport(opened.mentions, analysis, context, { keepMentions: true });
  // The tool's version is not part of what the golden files check.
  return { ...report, tool: { name: 'earshot', version: '0.0.0-golden' } };
}

/** The sample report `name`, built afresh. */
export async function sampleReport(name: string): Promise<Report> {
  const sample = SAMPLES[name]!;
  const previous = sample.compare ? await build(sample, new Date(NOW.getTime() - 2 * 86_400_000)) : undefined;
  return build(sample, NOW, previous);
}
