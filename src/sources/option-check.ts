/** Checks a `--source-option id.key=value` key against the options the source declares (`Source.options`). */
import { suggest } from '../core/suggest.js';
import { SOURCES } from './index.js';

/** Why `id.key` is not an option of source `id` (with a "did you mean"), or undefined when it is one. */
export function unknownSourceOption(id: string, key: string): string | undefined {
  const source = SOURCES[id];
  if (!source || Object.hasOwn(source.options, key)) return undefined;
  const known = Object.keys(source.options);
  const hint = suggest(key, known);
  const choices = known.length > 0 ? `; ${id} takes ${known.join(', ')}` : `; ${id} takes no options`;
  return `--source-option ${id}.${key}: ${id} has no option '${key}'${hint ? ` (did you mean ${hint}?)` : ''}${choices}.`;
}
