/** Shared fuzz settings: how many cases per property (EARSHOT_FUZZ_RUNS, default 1000) and a per-case time guard. */
import fc from 'fast-check';

const fromEnv = Number(process.env['EARSHOT_FUZZ_RUNS']);
/** Cases per property: `EARSHOT_FUZZ_RUNS=20000 npx vitest run tests/fuzz` for a longer hunt. */
const RUNS = Number.isFinite(fromEnv) && fromEnv > 0 ? Math.floor(fromEnv) : 1000;

/** A seed from EARSHOT_FUZZ_SEED replays a failure; otherwise fast-check picks one and prints it on failure. */
const SEED = process.env['EARSHOT_FUZZ_SEED'] !== undefined ? Number(process.env['EARSHOT_FUZZ_SEED']) : undefined;

/** fast-check parameters for a property with `share` of the runs (heavier properties take fewer). */
export function params(share = 1): fc.Parameters<unknown> {
  return { numRuns: Math.max(20, Math.round(RUNS * share)), ...(SEED !== undefined ? { seed: SEED } : {}) };
}

/** Longest one case may take before it counts as a hang (a runaway regex or loop shows up as a slow case). */
const CASE_BUDGET_MS = 2000;

/** Runs a promise with a deadline: a hang becomes a failure naming `what` instead of a stuck test run. */
export async function withDeadline<T>(what: string, run: () => Promise<T>, ms = CASE_BUDGET_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([run(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls a synchronous function and fails when it took longer than the budget. */
export function timed<T>(what: string, run: () => T, ms = CASE_BUDGET_MS): T {
  const started = performance.now();
  try {
    return run();
  } finally {
    const took = performance.now() - started;
    if (took > ms) throw new Error(`hang: ${what} took ${Math.round(took)} ms (budget ${ms} ms)`);
  }
}

/** Mutations of a JSON document: delete a key, flip a value's type, replace a subtree, empty a container. */
export function mutateJson(doc: unknown, choices: readonly number[], replacements: readonly unknown[]): unknown {
  const clone = structuredClone(doc) as unknown;
  let node: unknown = clone;
  let parent: Record<string, unknown> | unknown[] | undefined;
  let key: string | number | undefined;
  // Walk down a random path, one choice per level.
  for (const c of choices) {
    if (node === null || typeof node !== 'object') break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node as Record<string, unknown> | unknown[];
    key = keys[c % keys.length]!;
    node = (parent as Record<string | number, unknown>)[key];
  }
  if (parent === undefined || key === undefined) return replacements[0] ?? null;
  const op = (choices[choices.length - 1] ?? 0) % 4;
  const target = parent as Record<string | number, unknown>;
  if (op === 0) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete target[key];
  } else if (op === 1) {
    target[key] = flipType(node);
  } else if (op === 2) {
    target[key] = replacements[choices.length % Math.max(1, replacements.length)] ?? null;
  } else {
    target[key] = Array.isArray(node) ? [] : node !== null && typeof node === 'object' ? {} : '';
  }
  return clone;
}

function flipType(v: unknown): unknown {
  if (typeof v === 'string') return v.length;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 0;
  if (v === null) return {};
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  return [v];
}
