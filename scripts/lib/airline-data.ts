/** Loading the labelled airline-tweets CSV, stratified folds and the metrics the eval prints. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { seededRandom } from '../../src/core/random.js';
import { CLASSES, type SentimentClass } from '../../src/analysis/sentiment-model.js';

/** One labelled row of airline-tweets-dev.csv. */
export interface AirlineRow {
  id: string;
  label: SentimentClass;
  /** Negative reason ("Late Flight", "Can't Tell", ...) or '' for non-negative rows. */
  reason: string;
  airline: string;
  text: string;
}

/** Seed for fold assignment; fixed so every run and every machine gets the same folds. */
export const FOLD_SEED = 42;

/** Number of cross-validation folds. */
export const FOLDS = 5;

/** Walks up from this script (scripts/lib or dist/scripts/lib) to the folder holding package.json. */
export function repoRoot(fromUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (let i = 0; i < 6; i++) {
    if (existsSync(resolve(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** Where the dev CSV lives: $EARSHOT_EVAL_DATA, else ../shared/data/airline-tweets-dev.csv beside the repo. */
export function defaultDataPath(override?: string): string {
  const fromEnv = override ?? process.env['EARSHOT_EVAL_DATA'];
  if (fromEnv) return resolve(fromEnv);
  return sharedDataPath('airline-tweets-dev.csv');
}

/**
 * A file in the shared data folder beside the repository: ../shared/data/<name>, or one level further up when
 * the checkout is a git worktree in a folder of its own (worktrees/<name>/ beside shared/); the first that exists.
 */
export function sharedDataPath(name: string): string {
  const near = resolve(repoRoot(), '..', 'shared', 'data', name);
  const far = resolve(repoRoot(), '..', '..', 'shared', 'data', name);
  return existsSync(near) || !existsSync(far) ? near : far;
}

/** Parses the CSV; rows with an unknown label are skipped. */
export function loadAirlineRows(path: string): AirlineRow[] {
  const records = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as Record<
    string,
    string
  >[];
  const rows: AirlineRow[] = [];
  for (const r of records) {
    const label = r['airline_sentiment'] as SentimentClass;
    if (!CLASSES.includes(label)) continue;
    rows.push({
      id: r['tweet_id'] ?? '',
      label,
      reason: (r['negativereason'] ?? '').trim(),
      airline: r['airline'] ?? '',
      text: r['text'] ?? '',
    });
  }
  return rows;
}

/** Assigns each row a fold 0..folds-1, stratified by label, shuffled with a fixed seed. */
export function stratifiedFolds(labels: readonly string[], folds: number = FOLDS, seed: number = FOLD_SEED): number[] {
  const rand = seededRandom(seed);
  const out = new Array<number>(labels.length).fill(0);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = byLabel.get(l) ?? [];
    list.push(i);
    byLabel.set(l, list);
  });
  for (const key of [...byLabel.keys()].sort()) {
    const idx = byLabel.get(key) as number[];
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
    }
    idx.forEach((row, n) => (out[row] = n % folds));
  }
  return out;
}

/** Confusion matrix and the scores derived from it. */
export interface ClassReport {
  classes: string[];
  /** matrix[gold][predicted] */
  matrix: number[][];
  accuracy: number;
  macroF1: number;
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
}

/** Scores predictions against gold labels over a fixed class list. */
export function classReport(classes: readonly string[], gold: readonly string[], predicted: readonly string[]): ClassReport {
  const at = new Map(classes.map((c, i) => [c, i]));
  const matrix = classes.map(() => classes.map(() => 0));
  let correct = 0;
  gold.forEach((g, i) => {
    const p = predicted[i] as string;
    const gi = at.get(g);
    const pi = at.get(p);
    if (gi === undefined || pi === undefined) return;
    (matrix[gi] as number[])[pi] = ((matrix[gi] as number[])[pi] as number) + 1;
    if (gi === pi) correct++;
  });
  const perClass = classes.map((label, k) => {
    const tp = (matrix[k] as number[])[k] as number;
    const support = (matrix[k] as number[]).reduce((a, b) => a + b, 0);
    const predictedK = matrix.reduce((a, row) => a + (row[k] as number), 0);
    const precision = predictedK ? tp / predictedK : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  return {
    classes: [...classes],
    matrix,
    accuracy: gold.length ? correct / gold.length : 0,
    macroF1: perClass.reduce((a, c) => a + c.f1, 0) / classes.length,
    perClass,
  };
}
