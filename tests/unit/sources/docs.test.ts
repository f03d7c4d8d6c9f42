/** docs/sources.md's table and option lists are generated from the metadata: this fails when the file is stale. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceOptionsSection, sourcesTable, updateSourcesDoc } from '../../../scripts/lib/sources-doc.js';
import { SOURCES } from '../../../src/sources/index.js';
import { ROOT } from '../../helpers/run-cli.js';

const doc = readFileSync(join(ROOT, 'docs/sources.md'), 'utf8');

describe('docs/sources.md', () => {
  it('matches the sources metadata (run npm run docs:sources after changing a source)', () => {
    expect(updateSourcesDoc(doc, Object.values(SOURCES))).toBe(doc);
  });

  it.each(Object.keys(SOURCES))('%s: has a row and its options there, unless it is a draft', (id) => {
    const source = SOURCES[id]!;
    const row = `| \`${id}\` | `;
    if (source.draft) {
      // A scaffolded source is listed once someone fills it in and drops `draft`.
      expect(doc).not.toContain(row);
      expect(sourcesTable([source])).not.toContain(row);
    } else {
      expect(doc).toContain(row);
      for (const key of Object.keys(source.options)) expect(sourceOptionsSection([source])).toContain(`| \`${key}\``);
    }
  });
});
