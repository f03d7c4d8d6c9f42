/** Out-of-fold scoring: each fold is scored by a model trained on the other folds only. */
import { createSentimentScorer, type SentimentResult } from '../../src/analysis/sentiment.js';
import { blendModels, type SentimentModel } from '../../src/analysis/sentiment-model.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';
import { FAMILY_SPECS, trainFamilyModel, type DomainRows, type FamilySpec, type TrainedFamily } from './family-training.js';
import { FOLDS, stratifiedFolds } from './airline-data.js';

/** Out-of-fold result for one row. */
export interface FoldResult {
  result: SentimentResult;
  /** The row scored by each blend of that fold's model with `blendWith.model` asked for, in `blendWith.shares` order. */
  blended: SentimentResult[];
  fold: number;
}

/**
 * Trains `folds` models of `family` (each on the other folds of its own rows, stratified by label, fixed seed,
 * with the whole training procedure: the other domain's rows at the spec's weight and calibration on inner folds)
 * and scores each held-out fold with the full scorer (language detection, lexicon and that fold's model).
 */
export function crossValidate(
  family: TrainedFamily,
  data: DomainRows,
  spec: FamilySpec = FAMILY_SPECS[family],
  folds: number = FOLDS,
  /** Also score each held-out row with blends: `shares` of `model`, the rest of the fold's model. */
  blendWith?: { model: SentimentModel; shares: readonly number[] },
): FoldResult[] {
  const rows = data[family];
  const assigned = stratifiedFolds(rows.map((r) => r.label), folds);
  const out: FoldResult[] = new Array(rows.length);
  const { lexicon } = loadSentimentInputs();
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((_, i) => assigned[i] !== f);
    const model = trainFamilyModel(family, { ...data, [family]: train }, lexicon, spec);
    const score = createSentimentScorer({ model, lexicon });
    const blends = (blendWith?.shares ?? []).map((share) => createSentimentScorer({ model: blendModels(blendWith!.model, model, {}, share), lexicon }));
    rows.forEach((r, i) => {
      if (assigned[i] === f) out[i] = { result: score(r.text), fold: f, blended: blends.map((b) => b(r.text)) };
    });
  }
  return out;
}
