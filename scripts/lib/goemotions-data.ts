/**
 * Loading the GoEmotions sentiment TSVs (Reddit comments; ../shared/data/README.md): text, label ids, comment id.
 * Label ids: 0 ambiguous, 1 negative, 2 neutral, 3 positive; a row may carry several.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SentimentClass } from '../../src/analysis/sentiment-model.js';
import { sharedDataPath } from './airline-data.js';

/** One GoEmotions row reduced to one sentiment class. */
export interface GoEmotionsRow {
  id: string;
  label: SentimentClass;
  text: string;
  /** True when the annotators gave exactly one of negative / neutral / positive and nothing else (the eval's rows). */
  single: boolean;
}

const BY_ID: Record<string, SentimentClass> = { '1': 'negative', '2': 'neutral', '3': 'positive' };

/**
 * The one sentiment class a row stands for, or undefined when it has none. "Ambiguous" (surprise, confusion,
 * curiosity, realisation) says nothing about polarity: beside one polar label it is ignored ("0,3" → positive);
 * alone, or when negative and positive are both given, the row is left out (its polarity is not known).
 * Neutral beside a polar label yields the polar one ("2,3" → positive: someone heard a sentiment).
 */
export function goEmotionsClass(ids: readonly string[], ambiguous: AmbiguousRule = 'drop'): SentimentClass | undefined {
  const polar = [...new Set(ids.filter((x) => x === '1' || x === '3'))];
  if (polar.length === 1) return BY_ID[polar[0] as string];
  if (polar.length > 1) return undefined;
  return ids.includes('2') || ambiguous === 'neutral' ? 'neutral' : undefined;
}

/** What an ambiguous-only row becomes: left out (what ships, chosen by CV) or neutral (the alternative tried). */
export type AmbiguousRule = 'drop' | 'neutral';

/** Where a split lives: ../shared/data/goemotions-sentiment-<split>.tsv beside the repo, or $EARSHOT_GOEMOTIONS_DIR. */
export function goEmotionsPath(split: 'train' | 'dev'): string {
  const name = `goemotions-sentiment-${split}.tsv`;
  const dir = process.env['EARSHOT_GOEMOTIONS_DIR'];
  return dir === undefined ? sharedDataPath(name) : resolve(dir, name);
}

/** Parses a split; rows without one sentiment class (see `goEmotionsClass`) are skipped. */
export function loadGoEmotionsRows(path: string, ambiguous: AmbiguousRule = 'drop'): GoEmotionsRow[] {
  const rows: GoEmotionsRow[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const [text, ids, id] = line.split('\t');
    if (text === undefined || ids === undefined) continue;
    const list = ids.split(',');
    const label = goEmotionsClass(list, ambiguous);
    if (label === undefined) continue;
    rows.push({ id: id ?? '', label, text, single: list.length === 1 && list[0] !== '0' });
  }
  return rows;
}
