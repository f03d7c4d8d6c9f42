/** Sentiment scoring (placeholder on the plain `sentiment` package; issue 6 replaces the internals). */
import Sentiment from 'sentiment';

/** Three-way label. */
export type SentimentLabel = 'positive' | 'neutral' | 'negative';

/** What the analyser says about one text. */
export interface SentimentResult {
  /** Signed score; > 0 positive. */
  score: number;
  /** Score normalised by length. */
  comparative: number;
  label: SentimentLabel;
  /** False when the text was not scored (e.g. not English); label is then 'neutral'. */
  scored: boolean;
  /** Detected language (ISO 639-1) when known. */
  language?: string;
  /** Words or features that drove the label. */
  evidence: string[];
}

/** Scores one text. */
export type SentimentScorer = (text: string) => SentimentResult;

/** Builds a scorer; construction may load data, scoring is pure and synchronous. */
export function createSentimentScorer(): SentimentScorer {
  const engine = new Sentiment();
  return (text) => {
    const r = engine.analyze(text);
    const label: SentimentLabel = r.score > 0 ? 'positive' : r.score < 0 ? 'negative' : 'neutral';
    return { score: r.score, comparative: r.comparative, label, scored: true, evidence: [...r.positive, ...r.negative] };
  };
}
