/**
 * cheerio, loaded on first use. Importing it costs about 0.4 s and 14 MB at start-up, and every source module is
 * loaded whenever the config is checked (their option schemas), so `earshot analyze` would pay for an HTML parser
 * it never uses.
 */
import { createRequire } from 'node:module';

type Load = typeof import('cheerio').load;

const require = createRequire(import.meta.url);
let loaded: Load | undefined;

/** cheerio's `load`, the same function, required the first time it is called. */
export const load: Load = ((...args: Parameters<Load>) => {
  loaded ??= (require('cheerio') as { load: Load }).load;
  return loaded(...args);
}) as Load;
