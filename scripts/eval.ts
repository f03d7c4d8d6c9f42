/**
 * `npm run eval`: scores earshot's sentiment and intent on the labelled dev data beside the repo,
 * side by side with the plain `sentiment` (AFINN) package.
 *
 * Protocol (docs/analysis-quality.md): earshot's model is reported only by stratified 5-fold
 * cross-validation with a fixed seed (each fold trained on the other four); the lexicon-only
 * scorer and the baseline fit nothing, so they are scored on every row.
 *
 * Data: $EARSHOT_EVAL_DATA or --data <csv>, else ../shared/data/airline-tweets-dev.csv.
 */
import { existsSync } from 'node:fs';
import Sentiment from 'sentiment';
import { classifyIntent, COMPLAINT_INTENTS } from '../src/analysis/intent.js';
import { createSentimentScorer, type SentimentResult } from '../src/analysis/sentiment.js';
import { CLASSES } from '../src/analysis/sentiment-model.js';
import { loadSentimentInputs } from '../src/core/model-files.js';
import { classReport, defaultDataPath, FOLD_SEED, FOLDS, loadAirlineRows, type ClassReport } from './lib/airline-data.js';
import { crossValidate } from './lib/cross-validate.js';
import { printTriageSection } from './lib/triage-eval.js';
import { DEFAULT_TRAIN_OPTIONS } from './lib/train-model.js';

const pct = (x: number): string => (x * 100).toFixed(1).padStart(5);
const num = (x: number): string => x.toFixed(3);

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * Texts per second for `fn` over `texts` on this one thread, best of five passes after a warm-up.
 * Counted against the process's CPU time (user + system), not the wall clock, so other load on
 * a shared machine does not pass for slowness; wall-clock figures are printed beside it.
 */
function throughput(texts: readonly string[], fn: (t: string) => unknown): { cpu: number; wall: number } {
  for (let i = 0; i < Math.min(2000, texts.length); i++) fn(texts[i] as string);
  let cpu = 0;
  let wall = 0;
  for (let pass = 0; pass < 5; pass++) {
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    for (const t of texts) fn(t);
    const used = process.cpuUsage(startCpu);
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    cpu = Math.max(cpu, texts.length / ((used.user + used.system) / 1e6));
    wall = Math.max(wall, texts.length / secs);
  }
  return { cpu, wall };
}

const rate = (x: number): string => Math.round(x).toLocaleString('en-US');

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((s, c) => s.padEnd(widths[c] as number)).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function confusion(r: ClassReport): string {
  const head = ['gold \\ predicted', ...r.classes];
  return table(
    head,
    r.matrix.map((row, i) => [r.classes[i] as string, ...row.map(String)]),
  );
}

function binary(gold: readonly boolean[], predicted: readonly boolean[]): { p: number; r: number; f1: number; support: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  gold.forEach((g, i) => {
    const p = predicted[i] as boolean;
    if (g && p) tp++;
    else if (!g && p) fp++;
    else if (g && !p) fn++;
  });
  const p = tp + fp ? tp / (tp + fp) : 0;
  const r = tp + fn ? tp / (tp + fn) : 0;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0, support: tp + fn };
}

function main(): void {
  const dataPath = defaultDataPath(flag('--data'));
  if (!existsSync(dataPath)) {
    console.log(`earshot eval: labelled data not found at ${dataPath}`);
    console.log('Put airline-tweets-dev.csv in ../shared/data/ beside the repo, or set EARSHOT_EVAL_DATA / --data <csv>.');
    console.log('Nothing to evaluate; exiting without error.');
    return;
  }
  const rows = loadAirlineRows(dataPath);
  const gold = rows.map((r) => r.label);
  const texts = rows.map((r) => r.text);
  const counts = CLASSES.map((c) => `${c} ${gold.filter((g) => g === c).length}`).join(', ');
  console.log(`earshot eval — ${dataPath}`);
  console.log(`${rows.length} labelled tweets (${counts})\n`);

  // Throughput first, in a fresh heap as the CLI would run it (the CV below leaves ten models'
  // garbage behind); the shipped model, construction excluded since it loads once.
  const afinn = new Sentiment();
  const inputs = loadSentimentInputs();
  const shipped = createSentimentScorer(inputs);
  const speed = {
    baseline: throughput(texts, (t) => afinn.analyze(t)),
    lexicon: throughput(texts, createSentimentScorer({ model: null, lexicon: inputs.lexicon })),
    earshot: throughput(texts, shipped),
  };
  // Intent reuses the tokens the scorer just made, as the report pipeline does.
  const intentSpeed = throughput(texts, (t) => classifyIntent(t, shipped(t), undefined, shipped.tokens(t)));

  // 1. Baseline: plain `sentiment` package, score sign → label. Fits nothing.
  const baseLabel = (t: string): string => {
    const s = afinn.analyze(t).score;
    return s > 0 ? 'positive' : s < 0 ? 'negative' : 'neutral';
  };
  const baseline = classReport(CLASSES, gold, texts.map(baseLabel));

  // 2. earshot lexicon layer alone (no model). Fits nothing.
  const lexiconOnly = createSentimentScorer({ model: null, lexicon: inputs.lexicon });
  const lexResults = texts.map(lexiconOnly);
  const lexReport = classReport(CLASSES, gold, lexResults.map((r) => r.label));

  // 3. earshot full scorer, cross-validated.
  const t0 = Date.now();
  const cv = crossValidate(rows);
  const cvSecs = (Date.now() - t0) / 1000;
  const cvResults: SentimentResult[] = cv.map((c) => c.result);
  const cvReport = classReport(CLASSES, gold, cvResults.map((r) => r.label));

  const cols = [
    { name: `earshot (${FOLDS}-fold CV)`, r: cvReport, speed: speed.earshot },
    { name: 'earshot lexicon only', r: lexReport, speed: speed.lexicon },
    { name: 'sentiment (AFINN)', r: baseline, speed: speed.baseline },
  ];
  console.log('## Sentiment (3 classes)\n');
  const metricRows: string[][] = [
    ['accuracy', ...cols.map((c) => pct(c.r.accuracy) + '%')],
    ['macro-F1', ...cols.map((c) => num(c.r.macroF1))],
    ...CLASSES.map((label, k) => [`F1 ${label}`, ...cols.map((c) => num(c.r.perClass[k]?.f1 ?? 0))]),
    ...CLASSES.map((label, k) => [`precision ${label}`, ...cols.map((c) => num(c.r.perClass[k]?.precision ?? 0))]),
    ...CLASSES.map((label, k) => [`recall ${label}`, ...cols.map((c) => num(c.r.perClass[k]?.recall ?? 0))]),
    ['texts/s (1 thread, CPU time)', ...cols.map((c) => rate(c.speed.cpu))],
    ['texts/s (1 thread, wall clock)', ...cols.map((c) => rate(c.speed.wall))],
  ];
  console.log(table(['metric', ...cols.map((c) => c.name)], metricRows));
  for (const c of cols) {
    console.log(`\nConfusion matrix — ${c.name}\n${confusion(c.r)}`);
  }
  console.log(
    `\nCV protocol: stratified ${FOLDS}-fold, fold seed ${FOLD_SEED}, training seed ${DEFAULT_TRAIN_OPTIONS.seed}; ` +
      `each fold's model never saw the rows it scored (${cvSecs.toFixed(1)} s for all folds).`,
  );
  const ablation = classReport(CLASSES, gold, crossValidate(rows, { lexiconFeatures: false }).map((c) => c.result.label));
  console.log(
    `Ablation (same CV): model on words alone, without the lexicon features: macro-F1 ${num(ablation.macroF1)}, ` +
      `accuracy ${pct(ablation.accuracy).trim()}% (full earshot: ${num(cvReport.macroF1)}).`,
  );
  const unscored = cvResults.filter((r) => !r.scored);
  console.log(`Marked not English (unscored → neutral): ${unscored.length} of ${rows.length}`);
  rows.forEach((r, i) => {
    const res = cvResults[i] as SentimentResult;
    if (!res.scored) console.log(`  [${res.language}] (gold ${r.label}) ${r.text.replace(/\s+/g, ' ').slice(0, 100)}`);
  });

  // Intent: complaint = negative tweet with a negative reason (every negative row here has one).
  console.log('\n## Intent (cross-validated sentiment feeding the intent rules)\n');
  // Outage and churn are complaints too (src/analysis/intent.ts); this section reads the four original classes.
  const intents = rows.map((r, i) => { const x = classifyIntent(r.text, cvResults[i] as SentimentResult).intent; return COMPLAINT_INTENTS.has(x) ? 'complaint' : x; });
  const baseIntents = rows.map((r) => {
    const a = afinn.analyze(r.text);
    return a.score < 0 ? 'complaint' : 'other';
  });
  const isComplaint = rows.map((r) => r.label === 'negative' && r.reason !== '');
  const complaint = binary(isComplaint, intents.map((x) => x === 'complaint'));
  const baseComplaint = binary(isComplaint, baseIntents.map((x) => x === 'complaint'));
  const noCantTell = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.reason !== "Can't Tell");
  const complaintStrict = binary(
    noCantTell.map(({ i }) => isComplaint[i] as boolean),
    noCantTell.map(({ i }) => intents[i] === 'complaint'),
  );
  const complaintNoCues = binary(isComplaint, cvResults.map((r) => r.label === 'negative'));
  const praise = binary(rows.map((r) => r.label === 'positive'), intents.map((x) => x === 'praise'));
  console.log(
    table(
      ['measure', 'precision', 'recall', 'F1', 'support'],
      [
        ['complaint (earshot)', num(complaint.p), num(complaint.r), num(complaint.f1), String(complaint.support)],
        ['complaint = negative sentiment only (no cues)', num(complaintNoCues.p), num(complaintNoCues.r), num(complaintNoCues.f1), String(complaintNoCues.support)],
        ['complaint (AFINN score < 0)', num(baseComplaint.p), num(baseComplaint.r), num(baseComplaint.f1), String(baseComplaint.support)],
        ["complaint, \"Can't Tell\" rows left out", num(complaintStrict.p), num(complaintStrict.r), num(complaintStrict.f1), String(complaintStrict.support)],
        ['praise vs positive label (PROXY)', num(praise.p), num(praise.r), num(praise.f1), String(praise.support)],
      ],
    ),
  );
  const reasons = [...new Set(rows.map((r) => r.reason).filter((x) => x !== ''))].sort();
  console.log('\nComplaint recall by negative reason:');
  console.log(
    table(
      ['reason', 'rows', 'recall'],
      reasons.map((reason) => {
        const idx = rows.map((r, i) => (r.reason === reason ? i : -1)).filter((i) => i >= 0);
        const hit = idx.filter((i) => intents[i] === 'complaint').length;
        return [reason, String(idx.length), num(hit / idx.length)];
      }),
    ),
  );
  const dist = (label: string): string => {
    const idx = rows.map((r, i) => (r.label === label ? i : -1)).filter((i) => i >= 0);
    return ['complaint', 'question', 'praise', 'other']
      .map((x) => `${x} ${pct(idx.filter((i) => intents[i] === x).length / idx.length).trim()}%`)
      .join(', ');
  };
  console.log('\nPredicted intent mix by gold sentiment (descriptive only):');
  for (const label of CLASSES) console.log(`  ${label.padEnd(8)}: ${dist(label)}`);
  console.log(
    '\nNot measurable on this data: question and praise have no labels (praise is compared with the\n' +
      'positive label only as a proxy, clearly not the same thing); "other" has no gold either; review\n' +
      'ratings (rating <= 2 → complaint) are a rule, not measured here (no ratings in this file).',
  );
  console.log(`Sentiment + intent throughput: ${rate(intentSpeed.cpu)} texts/s (CPU time), ${rate(intentSpeed.wall)} (wall clock)`);
  printTriageSection(rows, cvResults, shipped, table);

  // The shipped model on the rows it was trained on: a sanity check, not a quality estimate.
  const fitted = classReport(CLASSES, gold, texts.map((t) => shipped(t).label));
  console.log(
    `\nShipped model on the full dev file (FITTED ON THESE ROWS — NOT a quality estimate): ` +
      `accuracy ${pct(fitted.accuracy).trim()}%, macro-F1 ${num(fitted.macroF1)}`,
  );
}

main();
