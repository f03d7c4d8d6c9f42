/**
 * Trains models/sentiment.json from the labelled dev CSV (all rows, fixed seed).
 * Usage: node dist/scripts/train-sentiment.js [--data <csv>] [--out <json>]
 * Quality is measured by cross-validation in scripts/eval.ts, never on these rows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SentimentModel } from '../src/analysis/sentiment-model.js';
import { loadSentimentInputs } from '../src/core/model-files.js';
import { DEFAULT_TRAIN_OPTIONS, trainSentimentModel, type TrainOptions } from './lib/train-model.js';
import { defaultDataPath, loadAirlineRows, repoRoot } from './lib/airline-data.js';

/** Serialises a model with one feature per line, so a retrain shows as a readable diff. */
export function serializeModel(model: SentimentModel): string {
  const head = JSON.stringify({ ...model, weights: undefined });
  const lines = Object.keys(model.weights)
    .sort()
    .map((f) => `${JSON.stringify(f)}:${JSON.stringify(model.weights[f])}`);
  return `${head.slice(0, -1)},"weights":{\n${lines.join(',\n')}\n}}\n`;
}

/** Trains on every row of the CSV at `dataPath` and writes the model to `outPath`. */
export function trainFromCsv(dataPath: string, outPath: string, options: Partial<TrainOptions> = {}): SentimentModel {
  const rows = loadAirlineRows(dataPath);
  const model = trainSentimentModel(
    rows.map((r) => ({ text: r.text, label: r.label })),
    loadSentimentInputs().lexicon,
    { ...DEFAULT_TRAIN_OPTIONS, ...options },
  );
  model.meta['data'] = 'airline-tweets-dev.csv';
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, serializeModel(model));
  return model;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const data = defaultDataPath(flag('--data'));
  const out = resolve(flag('--out') ?? resolve(repoRoot(), 'models', 'sentiment.json'));
  const model = trainFromCsv(data, out);
  console.log(`wrote ${out}: ${Object.keys(model.weights).length} features from ${String(model.meta['examples'])} rows`);
}
