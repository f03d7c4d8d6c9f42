/** Out-of-fold scoring: each fold is scored by a model trained on the other folds only. */
import { createSentimentScorer, type SentimentResult } from '../../src/analysis/sentiment.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';
import { trainSentimentModel, type TrainOptions } from './train-model.js';
import { FOLDS, stratifiedFolds, type AirlineRow } from './airline-data.js';

/** Out-of-fold result for one row. */
export interface FoldResult {
  result: SentimentResult;
  fold: number;
}

/**
 * Trains FOLDS models (each on 4/5 of the rows, stratified by label, fixed seed) and scores the
 * held-out fifth with the full scorer (language detection, lexicon and that fold's model).
 */
export function crossValidate(rows: readonly AirlineRow[], options: Partial<TrainOptions> = {}): FoldResult[] {
  const folds = stratifiedFolds(rows.map((r) => r.label));
  const out: FoldResult[] = new Array(rows.length);
  const { lexicon } = loadSentimentInputs();
  for (let f = 0; f < FOLDS; f++) {
    const train = rows.filter((_, i) => folds[i] !== f).map((r) => ({ text: r.text, label: r.label }));
    const score = createSentimentScorer({ model: trainSentimentModel(train, lexicon, options), lexicon });
    rows.forEach((r, i) => {
      if (folds[i] === f) out[i] = { result: score(r.text), fold: f };
    });
  }
  return out;
}
