/**
 * Training one model per domain family (src/analysis/sentiment-domain.ts) from the union of the labelled data:
 * airline tweets for the tweet family, GoEmotions Reddit comments for the comment family. Each family's model is
 * fitted to its own rows plus the other family's rows at `crossWeight`, then calibrated to its own domain
 * (scripts/lib/calibrate.ts) on out-of-fold scores of its own rows. Pure and deterministic.
 */
import type { Lexicon } from '../../src/analysis/lexicon.js';
import type { SentimentFamily } from '../../src/analysis/sentiment-domain.js';
import type { SentimentModel } from '../../src/analysis/sentiment-model.js';
import { stratifiedFolds } from './airline-data.js';
import { bestOffsets, scoreForCalibration, type Scored } from './calibrate.js';
import { DEFAULT_TRAIN_OPTIONS, trainSentimentModel, type LabelledText, type TrainOptions } from './train-model.js';

/** A labelled row of one domain; `scored: false` rows are trained on but not used to judge (multi-label GoEmotions rows). */
interface DomainText extends LabelledText {
  scored?: boolean;
}

/** The families with a model of their own (`general` is their average, built when the models load). */
export type TrainedFamily = Exclude<SentimentFamily, 'general'>;

/** The labelled rows of each family's own domain. */
export type DomainRows = Record<TrainedFamily, readonly DomainText[]>;

/** How one family's model is trained. */
export interface FamilySpec {
  options: TrainOptions;
  /** Weight of each row of the other family's domain (0 leaves them out). */
  crossWeight: number;
  /** Folds of the own rows whose out-of-fold scores choose the calibration offsets (0 or 1: no calibration). */
  calibrationFolds: number;
  /** Name of the data, for the model's meta. */
  data: string;
}

/**
 * What ships, chosen by cross-validation on the training rows only (`node dist/scripts/tune-sentiment.js`, results
 * in docs/model-card.md): mixing the other domain in at any weight tried lowered the family's own CV macro-F1, so
 * each family is fitted to its own domain; calibration raised the comment family's CV macro-F1 and lowered the
 * tweet family's (nested CV), so only comments are calibrated.
 */
export const FAMILY_SPECS: Record<TrainedFamily, FamilySpec> = {
  tweet: { options: { ...DEFAULT_TRAIN_OPTIONS }, crossWeight: 0, calibrationFolds: 0, data: 'airline-tweets-dev.csv' },
  comment: { options: { ...DEFAULT_TRAIN_OPTIONS }, crossWeight: 0, calibrationFolds: 5, data: 'goemotions-sentiment-train.tsv' },
};

/** Seed of the calibration folds (apart from the eval's fold seed, so nested folds do not line up with outer ones). */
const CALIBRATION_SEED = 7;

function other(family: TrainedFamily): TrainedFamily {
  return family === 'tweet' ? 'comment' : 'tweet';
}

const strip = (r: DomainText): LabelledText => (r.weight === undefined ? { text: r.text, label: r.label } : { text: r.text, label: r.label, weight: r.weight });

/** The training set of a family: its own rows, then the other domain's at the cross weight. */
function trainingSet(family: TrainedFamily, own: readonly DomainText[], data: DomainRows, spec: FamilySpec): LabelledText[] {
  const cross = spec.crossWeight > 0 ? data[other(family)].map((r) => ({ text: r.text, label: r.label, weight: spec.crossWeight })) : [];
  return [...own.map(strip), ...cross];
}

/**
 * Trains the model of `family`: calibration offsets from out-of-fold scores of the own rows, then one fit on all of
 * them with the offsets added to the bias. `data[family]` may be a subset (the eval's outer folds pass one).
 */
export function trainFamilyModel(family: TrainedFamily, data: DomainRows, lexicon: Lexicon, spec: FamilySpec = FAMILY_SPECS[family]): SentimentModel {
  const own = data[family];
  let offsets: [number, number, number] = [0, 0, 0];
  let calibration = 'none';
  if (spec.calibrationFolds > 1) {
    const folds = stratifiedFolds(own.map((r) => r.label), spec.calibrationFolds, CALIBRATION_SEED);
    const scored: Scored[] = [];
    for (let f = 0; f < spec.calibrationFolds; f++) {
      const fit = trainSentimentModel(trainingSet(family, own.filter((_, i) => folds[i] !== f), data, spec), lexicon, spec.options);
      scored.push(...scoreForCalibration(fit, lexicon, own.filter((r, i) => folds[i] === f && r.scored !== false)));
    }
    const best = bestOffsets(scored);
    offsets = best.offsets;
    calibration = `offsets ${offsets.join(' ')} (negative neutral positive), ${spec.calibrationFolds}-fold macro-F1 ${best.before.toFixed(4)} -> ${best.after.toFixed(4)}`;
  }
  const model = trainSentimentModel(trainingSet(family, own, data, spec), lexicon, spec.options);
  const mean = (offsets[0] + offsets[1] + offsets[2]) / 3;
  model.bias = model.bias.map((b, k) => Math.round((b + (offsets[k] as number) - mean) * 1000) / 1000);
  model.meta['family'] = family;
  model.meta['data'] = spec.crossWeight > 0 ? `${spec.data} + ${FAMILY_SPECS[other(family)].data} x${spec.crossWeight}` : spec.data;
  model.meta['crossWeight'] = spec.crossWeight;
  model.meta['calibration'] = calibration;
  return model;
}
