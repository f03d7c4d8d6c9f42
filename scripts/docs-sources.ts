/** Rewrites the generated parts of docs/sources.md from the sources' metadata (`npm run docs:sources`). */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SOURCES } from '../src/sources/index.js';
import { updateSourcesDoc } from './lib/sources-doc.js';

const file = fileURLToPath(new URL('../../docs/sources.md', import.meta.url));
const before = readFileSync(file, 'utf8');
const after = updateSourcesDoc(before, Object.values(SOURCES));
if (after !== before) writeFileSync(file, after);
process.stderr.write(after === before ? 'docs/sources.md is up to date.\n' : 'docs/sources.md rewritten.\n');
