/**
 * Reads the files analysis needs — models/sentiment.json and the `sentiment` package's word lists —
 * and checks their shape, so src/analysis never touches the disk: callers load here and pass the
 * results to `createSentimentScorer({ model, lexicon })`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLexicon, type Lexicon, type LexiconSources } from '../analysis/lexicon.js';
import { COMMENT_SHARE } from '../analysis/sentiment-domain.js';
import { compileBlends, compileModel, type CompiledModel, type SentimentModel } from '../analysis/sentiment-model.js';
import type { Logger } from './log.js';

const require = createRequire(import.meta.url);

/**
 * Finds models/sentiment.json next to the package: this module runs from src/core/ (tests, tsx)
 * or dist/src/core/ (built), so walk up from here until a models/ folder has the file.
 */
export function defaultModelPath(fromUrl: string = import.meta.url): string | undefined {
  let dir = dirname(fileURLToPath(fromUrl));
  for (let up = 0; up < 6; up++) {
    const candidate = join(dir, 'models', 'sentiment.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** Checks that parsed JSON is a sentiment model (format, version, three-class bias, numeric weights); throws naming the file. */
export function validateSentimentModel(value: unknown, where = 'sentiment model'): SentimentModel {
  const bad = (why: string): Error => new Error(`${where} is not an earshot sentiment model: ${why}`);
  if (typeof value !== 'object' || value === null) throw bad('not a JSON object');
  const m = value as Record<string, unknown>;
  if (m['format'] !== 'earshot-sentiment' || m['version'] !== 1) throw bad('format/version mismatch');
  const bias = m['bias'];
  if (!Array.isArray(bias) || bias.length !== 3 || !bias.every((b) => typeof b === 'number')) throw bad('bias is not three numbers');
  const weights = m['weights'];
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) throw bad('weights is not an object');
  for (const [name, ws] of Object.entries(weights)) {
    if (!Array.isArray(ws) || ws.length !== 3 || !ws.every((w) => typeof w === 'number')) throw bad(`weights of '${name}' are not three numbers`);
  }
  return value as SentimentModel;
}

/** Reads and checks a model file (not compiled: that needs the lexicon). */
export function readSentimentModel(path: string): SentimentModel {
  return validateSentimentModel(JSON.parse(readFileSync(path, 'utf8')) as unknown, path);
}

/** Word lists from the installed `sentiment` package (AFINN-165 and emoji), checked to map words to numbers. */
export function readLexiconSources(): LexiconSources {
  const numbers = (value: unknown, name: string): Record<string, number> => {
    if (typeof value !== 'object' || value === null || !Object.values(value).every((v) => typeof v === 'number')) {
      throw new Error(`${name} from the sentiment package is not a word → number map`);
    }
    return value as Record<string, number>;
  };
  return {
    afinn: numbers(require('sentiment/languages/en/labels.json') as unknown, 'languages/en/labels.json'),
    emoji: numbers(require('sentiment/build/emoji.json') as unknown, 'build/emoji.json'),
  };
}

/** What a scorer is built from; pass it to `createSentimentScorer`. */
export interface SentimentInputs {
  /** The tweet-family model, compiled against `lexicon`; null when models/sentiment.json is missing (the scorer then uses the lexicon alone). */
  model: CompiledModel | null;
  /**
   * The comment and general families: models/sentiment-comment.json (beside models/sentiment.json) blended with the
   * tweet model at `COMMENT_SHARE`, when that file is present; else every family is scored by `model`.
   */
  families: { comment?: CompiledModel; general?: CompiledModel };
  lexicon: Lexicon;
}

/** The comment-family model file beside the tweet-family one. */
export function commentModelPath(tweetModelPath: string): string {
  return join(dirname(tweetModelPath), 'sentiment-comment.json');
}

let shipped: SentimentInputs | undefined;

/**
 * The shipped model and lexicon, read and compiled once per process (both are read-only afterwards,
 * so every scorer can share them; each scorer keeps its own scratch state).
 */
export function loadSentimentInputs(logger?: Logger): SentimentInputs {
  if (!shipped) {
    const lexicon = buildLexicon(readLexiconSources());
    const path = defaultModelPath();
    const tweet = path ? readSentimentModel(path) : undefined;
    const commentPath = path ? commentModelPath(path) : undefined;
    const comment = commentPath !== undefined && existsSync(commentPath) ? readSentimentModel(commentPath) : undefined;
    const blends =
      tweet && comment
        ? compileBlends(comment, tweet, lexicon, [
            { share: COMMENT_SHARE.comment, meta: { family: 'comment', data: `comment model x${COMMENT_SHARE.comment} + tweet model` } },
            { share: COMMENT_SHARE.general, meta: { family: 'general', data: `comment model x${COMMENT_SHARE.general} + tweet model` } },
          ])
        : [];
    shipped = {
      model: tweet ? compileModel(tweet, lexicon) : null,
      families: blends[0] && blends[1] ? { comment: blends[0], general: blends[1] } : {},
      lexicon,
    };
  }
  if (shipped.model === null) logger?.warn('models/sentiment.json not found: sentiment falls back to the lexicon alone');
  else if (shipped.families.comment === undefined) logger?.warn('models/sentiment-comment.json not found: comments, forums, issues and reviews are scored by the tweet model');
  return shipped;
}
