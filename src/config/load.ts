/**
 * Finds, reads and validates earshot.yml. Only `node:fs` and `node:path` are loaded up front: the YAML parser,
 * the schema library and the source registry are imported when a config file actually exists, because
 * start-up time is measured and most runs have no config.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { EarshotError } from '../core/errors.js';
import { OPTIONS } from './options.js';
import type { Config } from './types.js';

/** File names looked for in the working directory, in this order. */
export const CONFIG_FILE_NAMES = ['earshot.yml', 'earshot.yaml', '.earshot.yml'] as const;

/** Environment variable naming a config file when `--config` is not given. */
export const CONFIG_ENV = OPTIONS.config.env;

/** A loaded config: where it came from, its settings, and warnings to log. */
export interface LoadedConfig {
  /** The path as shown in messages (relative to the working directory when inside it). */
  path: string;
  config: Config;
  /** Whole sentences, e.g. `earshot.yml:9: sources.reddit.subredits: not an option … .` */
  warnings: string[];
}

/** Where to look: an explicit path (`--config`), the environment, and the working directory. */
export interface ConfigLocation {
  /** `--config FILE`, relative to cwd; must exist. */
  path?: string | undefined;
  cwd: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Registered source ids; pass Object.keys(SOURCES) when the registry is loaded already (it costs ~140 ms to import). */
  sourceIds?: readonly string[];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The config file to use, or undefined when there is none; an explicit path that does not exist is an error. */
export async function findConfigFile(where: ConfigLocation): Promise<string | undefined> {
  const explicit = where.path ?? (where.env?.[CONFIG_ENV] || undefined);
  if (explicit !== undefined) {
    const full = isAbsolute(explicit) ? explicit : join(where.cwd, explicit);
    if (!(await isFile(full))) {
      const from = where.path !== undefined ? '--config' : CONFIG_ENV;
      throw new EarshotError('config', `${from} ${explicit}: no such file (run earshot init --config ${explicit} to create one).`);
    }
    return full;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const full = join(where.cwd, name);
    if (await isFile(full)) return full;
  }
  return undefined;
}

/**
 * Finds and loads the config (`--config`, then $EARSHOT_CONFIG, then earshot.yml / earshot.yaml / .earshot.yml in cwd).
 * Returns undefined when there is none; throws EarshotError('config') listing every problem, one per line.
 */
export async function loadConfig(where: ConfigLocation): Promise<LoadedConfig | undefined> {
  const file = await findConfigFile(where);
  if (file === undefined) return undefined;
  const shown = displayPath(file, where.cwd);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new EarshotError('config', `${shown}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}).`, { cause: err });
  }
  const loaded = await parseConfigText(text, shown, where.sourceIds);
  const others: string[] = [];
  if (where.path === undefined && !where.env?.[CONFIG_ENV]) {
    for (const name of CONFIG_FILE_NAMES) if (join(where.cwd, name) !== file && (await isFile(join(where.cwd, name)))) others.push(name);
  }
  if (others.length > 0) loaded.warnings.push(`${shown} is used; ${others.join(' and ')} in the same folder ${others.length > 1 ? 'are' : 'is'} ignored.`);
  return loaded;
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Parses and validates config text; `shown` names the file in messages; `sourceIds` default to the registry's. Throws EarshotError('config'). */
export async function parseConfigText(text: string, shown: string, sourceIds?: readonly string[]): Promise<LoadedConfig> {
  const [{ parseDocument, LineCounter, Parser, isMap, isSeq, isScalar, isPair, isCollection, visit }, schema, ids] = await Promise.all([
    import('yaml'),
    import('./schema.js'),
    sourceIds ?? import('../sources/index.js').then((m) => Object.keys(m.SOURCES)),
  ]);
  // The YAML composer recurses once per level, so thousands of `[` overflow the stack ("YAML syntax error: Maximum
  // call stack size exceeded" at a meaningless column). The token tree is built without recursion: measure it first.
  const tokenCounter = new LineCounter();
  const deep = firstTooDeep(new Parser(tokenCounter.addNewLine).parse(text));
  if (deep !== undefined) throw schema.configError([`${shown}:${tokenCounter.linePos(deep).line}: ${TOO_DEEP}.`]);
  const lineCounter = new LineCounter();
  // logLevel error: the warnings yaml would print itself ("Keys with collection values will be stringified") are
  // reported below as problems with a line, and nothing but earshot writes to stderr.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const where = pos ? `:${pos.line}:${pos.col}` : '';
      const first = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
      return `${shown}${where}: YAML syntax error: ${first}.`;
    });
    throw schema.configError(lines);
  }
  // Keys are names (brand, sources, a source id): a list or mapping as a key would be turned into text such as
  // "[ a, b ]", and then reported as an unknown key that nobody wrote.
  const collectionKeys: string[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (!isCollection(pair.key)) return;
      const at = pair.key.range?.[0];
      collectionKeys.push(`${shown}${at !== undefined ? `:${lineCounter.linePos(at).line}` : ''}: a key is a ${isSeq(pair.key) ? 'list' : 'mapping'}; keys in earshot.yml are plain names such as brand or sources (write the value after the colon).`);
    },
  });
  if (collectionKeys.length > 0) throw schema.configError(collectionKeys);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new EarshotError('config', `${shown}: ${(err as Error).message.replace(/\.$/, '')}.`, { cause: err });
  }

  /** The line of the node at `path` (or of its nearest ancestor that exists). */
  const lineOf = (path: readonly (string | number)[]): number | undefined => {
    let node: unknown = doc.contents;
    let offset: number | undefined = (node as { range?: [number, number, number] } | null)?.range?.[0];
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? p.key.value : p.key) === key);
        if (!pair) break;
        const keyRange = (pair.key as { range?: [number, number, number] } | null)?.range;
        if (keyRange) offset = keyRange[0];
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        const r = (node as { range?: [number, number, number] } | null)?.range;
        if (r) offset = r[0];
      } else break;
    }
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  const sentence = (p: { path: (string | number)[]; message: string }): { line: number; text: string } => {
    const line = lineOf(p.path);
    const where = p.path.length > 0 ? ` ${schema.pathText(p.path)}:` : '';
    return { line: line ?? 0, text: `${shown}${line !== undefined ? `:${line}` : ''}:${where} ${p.message}.` };
  };
  const byLine = (a: { line: number }, b: { line: number }): number => a.line - b.line;

  const result = schema.validateConfig(raw, ids);
  const warnings = result.warnings.map(sentence).sort(byLine).map((s) => s.text);
  if (!result.config) throw schema.configError(result.errors.map(sentence).sort(byLine).map((s) => s.text));
  return { path: shown, config: result.config, warnings };
}

/** Levels of lists and mappings a config may have; earshot.yml needs five at most (competitors[].handles.reddit[]). */
const MAX_DEPTH = 32;

const TOO_DEEP = `lists and mappings are nested more than ${MAX_DEPTH} levels deep here; earshot.yml needs only a few, so look for brackets that are never closed or indentation that keeps growing`;

/** The offset of the earliest collection nested deeper than MAX_DEPTH in yaml's token tree, walked without recursion. */
function firstTooDeep(tokens: Iterable<unknown>): number | undefined {
  const stack: { token: unknown; depth: number }[] = [];
  for (const token of tokens) stack.push({ token, depth: 0 });
  let first: number | undefined;
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (token === null || typeof token !== 'object') continue;
    const t = token as { type?: string; offset?: number; value?: unknown; items?: readonly { key?: unknown; value?: unknown }[] };
    if (t.type === 'document') stack.push({ token: t.value, depth });
    if (t.type !== 'block-map' && t.type !== 'block-seq' && t.type !== 'flow-collection') continue;
    if (depth >= MAX_DEPTH) {
      // The walk is depth-first from the end; the message names the earliest place in the file.
      if (t.offset !== undefined && (first === undefined || t.offset < first)) first = t.offset;
      continue;
    }
    for (const item of t.items ?? []) stack.push({ token: item.key, depth: depth + 1 }, { token: item.value, depth: depth + 1 });
  }
  return first;
}
