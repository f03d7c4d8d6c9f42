/**
 * How the shipped training choices were made: cross-validation on the training rows only (airline dev file,
 * GoEmotions train split; never the GoEmotions dev split, never held-out data). Prints one macro-F1 per choice;
 * the winners are FAMILY_SPECS in scripts/lib/family-training.ts, the table is in docs/model-card.md.
 *
 * Usage: node dist/scripts/tune-sentiment.js [tweet|comment]   (a few minutes on two cores)
 */
import { existsSync } from 'node:fs';
import { CLASSES } from '../src/analysis/sentiment-model.js';
import { commentModelPath, defaultModelPath, readSentimentModel } from '../src/core/model-files.js';
import { classReport, defaultDataPath } from './lib/airline-data.js';
import { crossValidate } from './lib/cross-validate.js';
import { FAMILY_SPECS, type DomainRows, type FamilySpec, type TrainedFamily } from './lib/family-training.js';
import { goEmotionsPath, loadGoEmotionsRows } from './lib/goemotions-data.js';
import { loadDomainRows } from './train-sentiment.js';

/** Folds per family: five for the 10k airline rows, three for the 39k GoEmotions rows (time on two cores). */
const TUNE_FOLDS: Record<TrainedFamily, number> = { tweet: 5, comment: 3 };

function cvMacroF1(family: TrainedFamily, data: DomainRows, spec: FamilySpec): number {
  const rows = data[family];
  const out = crossValidate(family, data, spec, TUNE_FOLDS[family]);
  const judged = rows.map((r, i) => (r.scored === false ? -1 : i)).filter((i) => i >= 0);
  return classReport(CLASSES, judged.map((i) => rows[i]!.label), judged.map((i) => out[i]!.result.label)).macroF1;
}

function main(): void {
  const only = process.argv[2] as TrainedFamily | undefined;
  const data = loadDomainRows(defaultDataPath(), goEmotionsPath('train'));
  const line = (family: TrainedFamily, what: string, spec: FamilySpec, d: DomainRows = data): void => {
    const started = Date.now();
    const f1 = cvMacroF1(family, d, spec);
    console.log(`${family.padEnd(7)}  ${what.padEnd(44)}  ${TUNE_FOLDS[family]}-fold CV macro-F1 ${f1.toFixed(4)}  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  };
  for (const family of ['tweet', 'comment'] as const) {
    if (only !== undefined && only !== family) continue;
    const base: FamilySpec = { ...FAMILY_SPECS[family], crossWeight: 0, calibrationFolds: 0 };
    line(family, 'own domain only, no calibration', base);
    for (const w of [0.1, 0.3]) line(family, `other domain's rows at weight ${w}`, { ...base, crossWeight: w });
    line(family, 'own domain only, calibrated (5 inner folds)', { ...base, calibrationFolds: 5 });
    line(family, 'balance 1 (fully class-balanced)', { ...base, options: { ...base.options, balance: 1 } });
    line(family, 'epochs 8', { ...base, options: { ...base.options, epochs: 8 } });
    // Blends with the other family's shipped model (which never saw these rows): the comment model's share of the
    // logits, the rest the tweet model's (src/analysis/sentiment-domain.ts COMMENT_SHARE).
    const otherFile = family === 'tweet' ? commentModelPath(defaultModelPath() ?? '') : defaultModelPath();
    if (otherFile !== undefined && existsSync(otherFile)) {
      const otherModel = readSentimentModel(otherFile);
      const commentShares = [0.5, 0.6, 0.7, 0.8];
      // blendWith.shares are the other model's share: the comment model's when tuning the tweet family, else the tweet model's.
      const out = crossValidate(family, data, base, TUNE_FOLDS[family], { model: otherModel, shares: commentShares.map((c) => (family === 'tweet' ? c : 1 - c)) });
      const rows = data[family];
      const judged = rows.map((r, i) => (r.scored === false ? -1 : i)).filter((i) => i >= 0);
      commentShares.forEach((c, j) => {
        const f1 = classReport(CLASSES, judged.map((i) => rows[i]!.label), judged.map((i) => out[i]!.blended[j]!.label)).macroF1;
        console.log(`${family.padEnd(7)}  ${`blend, comment model share ${c}`.padEnd(44)}  ${TUNE_FOLDS[family]}-fold CV macro-F1 ${f1.toFixed(4)}`);
      });
    }
    if (family === 'comment') {
      const neutral = { ...data, comment: loadGoEmotionsRows(goEmotionsPath('train'), 'neutral').map((r) => ({ text: r.text, label: r.label, scored: r.single })) };
      line(family, 'ambiguous-only rows trained as neutral', base, neutral);
    }
  }
  console.log(`shipped: tweet ${JSON.stringify({ crossWeight: FAMILY_SPECS.tweet.crossWeight, calibrationFolds: FAMILY_SPECS.tweet.calibrationFolds })}, comment ${JSON.stringify({ crossWeight: FAMILY_SPECS.comment.crossWeight, calibrationFolds: FAMILY_SPECS.comment.calibrationFolds })}`);
}

main();
