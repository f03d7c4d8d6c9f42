/**
 * `npm run train`: trains the shipped sentiment models, one per domain family (src/analysis/sentiment-domain.ts),
 * from the union of the labelled training data: models/sentiment.json (tweets, from airline-tweets-dev.csv) and
 * models/sentiment-comment.json (comments, forums, issues and reviews, from goemotions-sentiment-train.tsv).
 * Deterministic: the same data gives the same bytes (seeded shuffles, sorted features, fixed rounding).
 *
 * Usage: node dist/scripts/train-sentiment.js [--data <airline csv>] [--goemotions <train tsv>] [--out <dir>] [--check]
 * --check trains in memory and compares with the files in --out (default models/): exit 0 when byte-identical, 1 when not.
 * Quality is measured by cross-validation and on the GoEmotions dev split in scripts/eval.ts, never on these rows.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SentimentModel } from '../src/analysis/sentiment-model.js';
import { loadSentimentInputs } from '../src/core/model-files.js';
import { defaultDataPath, loadAirlineRows, repoRoot } from './lib/airline-data.js';
import { trainFamilyModel, type DomainRows, type TrainedFamily } from './lib/family-training.js';
import { goEmotionsPath, loadGoEmotionsRows } from './lib/goemotions-data.js';

/** Serialises a model with one feature per line, so a retrain shows as a readable diff. */
export function serializeModel(model: SentimentModel): string {
  const head = JSON.stringify({ ...model, weights: undefined });
  const lines = Object.keys(model.weights)
    .sort()
    .map((f) => `${JSON.stringify(f)}:${JSON.stringify(model.weights[f])}`);
  return `${head.slice(0, -1)},"weights":{\n${lines.join(',\n')}\n}}\n`;
}

/** The file each family's model is shipped in. */
export const MODEL_FILES: Record<TrainedFamily, string> = { tweet: 'sentiment.json', comment: 'sentiment-comment.json' };

/** Reads the labelled training rows of both domains. */
export function loadDomainRows(airlinePath: string, goEmotionsTrainPath: string): DomainRows {
  return {
    tweet: loadAirlineRows(airlinePath).map((r) => ({ text: r.text, label: r.label })),
    comment: loadGoEmotionsRows(goEmotionsTrainPath).map((r) => ({ text: r.text, label: r.label, scored: r.single })),
  };
}

/** Trains both families' models and returns each file's bytes, by file name. */
export function trainModelFiles(data: DomainRows): Map<string, string> {
  const { lexicon } = loadSentimentInputs();
  const out = new Map<string, string>();
  for (const family of ['tweet', 'comment'] as const) out.set(MODEL_FILES[family], serializeModel(trainFamilyModel(family, data, lexicon)));
  return out;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const airline = defaultDataPath(flag('--data'));
  const goemotions = resolve(flag('--goemotions') ?? goEmotionsPath('train'));
  for (const path of [airline, goemotions]) {
    if (!existsSync(path)) {
      console.error(`train: labelled data not found at ${path}; put it in ../shared/data/ beside the repo or pass --data / --goemotions.`);
      process.exit(3);
    }
  }
  const dir = resolve(flag('--out') ?? resolve(repoRoot(), 'models'));
  const started = Date.now();
  const files = trainModelFiles(loadDomainRows(airline, goemotions));
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (process.argv.includes('--check')) {
    const differ = [...files].filter(([name, bytes]) => !existsSync(resolve(dir, name)) || readFileSync(resolve(dir, name), 'utf8') !== bytes);
    for (const [name] of differ) console.error(`train --check: ${resolve(dir, name)} differs from a fresh training run; run npm run train and commit the result.`);
    if (differ.length === 0) console.log(`train --check: ${[...files.keys()].join(', ')} reproduced byte for byte (${secs} s)`);
    process.exit(differ.length === 0 ? 0 : 1);
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of files) {
    writeFileSync(resolve(dir, name), bytes);
    console.log(`wrote ${resolve(dir, name)} (${(bytes.length / 1024).toFixed(0)} KB)`);
  }
  console.log(`trained in ${secs} s`);
}
