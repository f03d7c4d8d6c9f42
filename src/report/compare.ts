/** Week over week: the change in headline figures against a previous report.json. */
import { InputError } from '../core/errors.js';
import { figureIn, REGISTRY, type FigureRegistry } from './views.js';
import { SCHEMA_VERSION, type Comparison, type FigureChange, type Report } from '../core/report.js';
export type { Comparison, FigureChange } from '../core/report.js';

/** Checks that a parsed file is an earshot report this version can compare with. */
export function asPreviousReport(value: unknown, file: string): Report {
  const r = value as Partial<Report> | null;
  if (!r || typeof r !== 'object' || typeof r.schemaVersion !== 'number' || !r.summary || !r.summary.overall) {
    throw new InputError(`--compare '${file}' is not an earshot report.json (no schemaVersion or summary); give the report.json of an earlier run.`);
  }
  if (r.schemaVersion > SCHEMA_VERSION) throw new InputError(`--compare '${file}' has schemaVersion ${r.schemaVersion}, newer than this earshot understands (${SCHEMA_VERSION}); upgrade earshot.`);
  return r as Report;
}

/** Compares brand by brand (matched by name; `(all)` with `(all)`) on the registry's compared figures. */
export function compareReports(previous: Report, current: Report['summary'], registry: FigureRegistry = REGISTRY): Comparison {
  const prevBrands = new Map([...previous.summary.brands, previous.summary.overall].map((b) => [b.brand, b]));
  const brands = [...current.brands, ...(current.brands.length > 1 ? [current.overall] : [])].map((b) => {
    const p = prevBrands.get(b.brand) ?? (current.brands.length <= 1 ? previous.summary.brands[0] ?? previous.summary.overall : undefined);
    return {
      brand: b.brand,
      changes: registry.compared.map((id): FigureChange => {
        const { get } = figureIn(registry, id);
        // A figure a summary always has: the registry's `undefined` is only for optional ones, never compared.
        const cur = (get(b) ?? null) as number | null;
        // A report from an earlier version may lack a figure added since: unknown, not a change from zero.
        const prev = p ? ((get(p) ?? null) as number | null) : null;
        const change = cur === null || prev === null ? null : Math.round((cur - prev) * 10_000) / 10_000;
        return { figure: id, previous: prev, current: cur, change };
      }),
    };
  });
  return { previousGeneratedAt: previous.generatedAt, brands };
}


/** One change as display cells: label, before, now, signed change (`=` when unchanged, `—` when unknown). */
export function changeCells(ch: FigureChange, registry: FigureRegistry = REGISTRY): [string, string, string, string] {
  const { label, format: fmt } = figureIn(registry, ch.figure);
  const show = (v: number | null): string => (v === null ? '—' : fmt(v));
  const delta = ch.change === null ? '—' : ch.change === 0 ? '=' : `${ch.change > 0 ? '+' : '−'}${fmt(Math.abs(ch.change))}`;
  return [label, show(ch.previous), show(ch.current), delta];
}
