/** JSON and NDJSON renderers. */
import type { AnalyzedMention, Report } from '../core/report.js';

/**
 * The whole report as pretty JSON (schemaVersion first), `JSON.stringify(report, null, 2)` and a line break, in
 * pieces: a report with a million mentions is more text than one JavaScript string may hold (about 512 MB in V8),
 * so its mentions are rendered one by one.
 */
export function* renderJsonParts(report: Report): Generator<string> {
  if (report.mentions.length === 0) {
    yield `${JSON.stringify(report, null, 2)}\n`;
    return;
  }
  // Same keys in the same order, with the mentions left out; string values are escaped, so this marker is unique.
  const shell = JSON.stringify({ ...report, mentions: [] }, null, 2);
  const marker = '\n  "mentions": []';
  const at = shell.indexOf(marker);
  yield `${shell.slice(0, at)}\n  "mentions": `;
  yield* prettyJsonArrayParts(report.mentions, '  ');
  yield `${shell.slice(at + marker.length)}\n`;
}

/** `JSON.stringify(items, null, 2)` of an array nested at `indent`, element by element. */
export function* prettyJsonArrayParts(items: readonly unknown[], indent = ''): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  const inner = `\n${indent}  `;
  for (let i = 0; i < items.length; i++) {
    // JSON escapes line breaks inside strings, so every raw line break is structure and takes the extra indent.
    yield `${i === 0 ? '[' : ','}${inner}${JSON.stringify(items[i], null, 2).replaceAll('\n', inner)}`;
  }
  yield `\n${indent}]`;
}

/** One analysed mention as an NDJSON line; the line is itself a valid earshot input record. */
export function ndjsonLine(m: AnalyzedMention): string {
  return `${JSON.stringify(m)}\n`;
}
