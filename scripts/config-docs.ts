/** Rewrites the generated tables of docs/config.md from the options table (`npm run docs:config`). */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { withGeneratedTables } from './lib/config-docs.js';

const file = fileURLToPath(new URL('../../docs/config.md', import.meta.url));
const before = await readFile(file, 'utf8');
const after = withGeneratedTables(before);
if (after !== before) await writeFile(file, after);
process.stderr.write(after === before ? 'docs/config.md is up to date.\n' : 'docs/config.md: tables regenerated.\n');
