/** The analysis stage's shapes; they are the report model, defined in core. */
export type { AnalyzedMention, BrandSummary, RateFigure, ReachFigure, ResponseInfo, SourceFigure, Spike, SpikeExplanation, UnansweredItem } from '../core/report.js';
