/** The earshot command line: builds the commander program and maps errors to exit codes. */
import { Command, CommanderError } from 'commander';
import type { Readable, Writable } from 'node:stream';
import { EarshotError, EXIT, PipeClosedError } from '../core/errors.js';
import { stripControl } from '../core/sanitize.js';
import { toolVersion } from '../core/version.js';
import { buildOptions, type FlagName } from './options.js';

/** What the CLI touches of the outside world; tests pass their own. */
export interface CliDeps {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** The real clock; `--now` overrides it. */
  clock: () => Date;
  /** Where a config file is looked for and `init` writes; process.cwd() when absent (tests run main() in process). */
  cwd?: string;
}

/** Options every command accepts. */
const GENERAL: FlagName[] = ['config', 'quiet', 'color', 'debug'];
const ANALYSIS: FlagName[] = ['brand', 'brandHandle', 'tz', 'businessHours', 'holiday', 'replyTarget', 'deadline', 'cannedMinUses', 'cannedSimilarity', 'now'];
const OUTPUT: FlagName[] = ['format', 'output', 'out', 'fields', 'compare', 'history', 'top', 'rawCsv', 'benchmarks'];
const THRESHOLDS: FlagName[] = ['failUnderResponseRate', 'failOverMedianReply', 'failOverNegativeShare'];
const COLLECTION: FlagName[] = ['since', 'until', 'limit', 'feed', 'brandFeed', 'subreddit', 'fromHtml', 'sourceOption', 'baseUrl', 'rateLimit', 'timeout', 'sourceBudget', 'cacheDir', 'cache', 'refresh', 'saveRaw', 'fromRaw'];

/** Choices narrower than the options table's, per command: what it refuses is not offered in its help. */
const COMMAND_CHOICES: Partial<Record<keyof typeof COMMAND_OPTIONS, Partial<Record<FlagName, readonly string[]>>>> = {
  doctor: { format: ['table', 'json', 'ndjson'] },
  sources: { format: ['table', 'csv', 'json', 'ndjson'] },
  explain: { format: ['table', 'json', 'ndjson'] },
};

/** Option names per command, so help and parsing come from the one table. */
export const COMMAND_OPTIONS = {
  analyze: ['inputFormat', 'map', 'strict', 'allowEmpty', ...ANALYSIS, ...OUTPUT, ...THRESHOLDS, ...GENERAL],
  fetch: ['brandHandle', ...COLLECTION, 'now', 'output', ...GENERAL],
  audit: ['source', 'query', 'competitor', ...ANALYSIS.filter((n) => n !== 'brand'), ...COLLECTION, ...OUTPUT, ...THRESHOLDS, 'failOnSourceError', ...GENERAL],
  doctor: ['source', 'query', 'since', 'until', 'feed', 'brandFeed', 'subreddit', 'sourceOption', 'baseUrl', 'rateLimit', 'timeout', 'sourceBudget', 'cacheDir', 'cache', 'now', 'format', ...GENERAL],
  sources: ['format', 'quiet', 'color', 'debug'],
  explain: ['title', 'rating', 'domain', 'format', 'quiet', 'color', 'debug'],
  init: ['brand', 'config', 'force', 'quiet', 'debug'],
} satisfies Record<string, FlagName[]>;

const EXIT_HELP = `
Exit codes:
  0  finished (failed or skipped sources are reported on stderr)
  1  a --fail-* threshold was breached (--fail-on-source-error: a source failed)
  2  usage, configuration or input error
  3  nothing could be fetched or read (every source failed or was skipped, empty input),
     or the output could not be written

Data goes to stdout (or -o FILE); progress, warnings and errors go to stderr.
Docs: README.md, docs/ (mention.md, csv.md, metrics.md, exit-codes.md).`;

/** `doctor` decides on the probes, not on a report: its own exit codes. */
const DOCTOR_EXIT_HELP = `
Each line: the source, its status (ok, no results, not configured, token required, token rejected, blocked,
rate-limited, unreachable, timeout, not found, bad response), then reachable or not, the token, the quota
left, until when it is rate-limited, and why the query may find nothing. Offline: one "no network" line.

Exit codes:
  0  every configured source is usable (ok, or reachable with a query that finds nothing)
  1  at least one source is not usable, or there is no network
  2  usage or configuration error

Docs: docs/doctor.md, docs/exit-codes.md.`;

/** A few real invocations per command, shown at the end of its --help. */
const EXAMPLES: Record<keyof typeof COMMAND_OPTIONS, string[]> = {
  analyze: [
    'earshot analyze twcs.csv --tz America/New_York --business-hours "Mon-Fri 09:00-17:00"',
    'earshot analyze posts.csv --map body=text --map posted=createdAt --brand-handle AcmeSupport -f csv -o out.csv',
    'earshot fetch hn "acme cloud" | earshot analyze - -f ndjson',
  ],
  fetch: ['earshot fetch reddit "acme cloud" --since 7d > reddit.ndjson', 'earshot fetch github "acme cloud" --source-option github.org=acmecloud'],
  audit: [
    'earshot audit "Acme Cloud" --source reddit,hn,github --brand-handle AcmeCloudSupport --since 30d',
    'earshot audit --config earshot.yml --out "reports/{date}" --fail-under-response-rate 0.8',
    'earshot audit "Acme Cloud" --competitor Globex --format html -o report.html',
  ],
  doctor: ['earshot doctor "Acme Cloud" --source reddit,hn,github', 'earshot doctor --config earshot.yml', 'earshot doctor "Acme Cloud" --source github -f json'],
  sources: ['earshot sources', 'earshot sources -f json'],
  explain: ['earshot explain "thanks for nothing, still on hold"', 'earshot explain "no problems at all" -f json', 'earshot explain "Moved from another host with zero downtime." --title "Smooth migration" --rating 5'],
  init: ['earshot init --brand "Acme Cloud"', 'earshot init --config - > earshot.yml'],
};

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: string[], deps: CliDeps = processDeps()): Promise<number> {
  const state = { code: EXIT.ok as number, debug: argv.includes('--debug') };
  const program = new Command('earshot')
    .description("Audit what people say about a brand in public, and how (and how fast) the brand answers.")
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => deps.stdout.write(s),
      writeErr: (s) => deps.stderr.write(s),
      // Commander's own errors read like every other earshot error: "earshot: unknown option '--bogus'".
      outputError: (s, write) => write(s.replace(/^error: /, 'earshot: ')),
    })
    .exitOverride()
    .addHelpText('after', EXIT_HELP);

  const command = (name: keyof typeof COMMAND_OPTIONS, args: string, summary: string, run: (a: unknown[], o: Record<string, unknown>, cmd: Command) => Promise<number>): void => {
    const examples = `\nExamples:\n${EXAMPLES[name].map((e) => `  ${e}`).join('\n')}\n`;
    const cmd = program.command(`${name}${args ? ` ${args}` : ''}`).description(summary).exitOverride().addHelpText('after', `${examples}${name === 'doctor' ? DOCTOR_EXIT_HELP : EXIT_HELP}`);
    for (const opt of buildOptions(COMMAND_OPTIONS[name], COMMAND_CHOICES[name])) cmd.addOption(opt);
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      state.code = await run(params.slice(0, -2), command.opts(), command);
    });
  };

  const settingsFor = async (cmd: Command, extra?: Parameters<typeof import('./resolve.js').resolveSettings>[2]) => (await import('./resolve.js')).resolveSettings(cmd, deps, extra);
  command('analyze', '[file]', 'analyse a file of mentions (NDJSON, JSON, CSV, or the Customer Support on Twitter layout); - reads stdin', async ([file], _o, cmd) =>
    (await import('./commands/analyze.js')).runAnalyze(file as string | undefined, await settingsFor(cmd), deps),
  );
  command('fetch', '<source> <query>', 'fetch mentions from one source and print them as NDJSON (for pipes and analyze)', async ([source, query], _o, cmd) => {
    const { runFetch, sourceIds } = await import('./commands/collect.js');
    return runFetch(source as string, query as string, await settingsFor(cmd, { sourceIds: sourceIds() }), deps);
  });
  command('audit', '[brand]', 'fetch from several sources, analyse and report in one go (brand from the config when omitted)', async ([brand], _o, cmd) => {
    const { runAudit, sourceIds } = await import('./commands/collect.js');
    return runAudit(await settingsFor(cmd, { ...(brand !== undefined ? { brandArg: brand as string } : {}), sourceIds: sourceIds(), alsoTakes: ['brand'] }), deps);
  });
  command('doctor', '[brand]', 'probe each configured source live with one cheap request: reachable, token, bot wall, rate limit, quota, results', async ([brand], o, cmd) =>
    (await import('./commands/doctor.js')).runDoctorCommand(
      await settingsFor(cmd, { ...(brand !== undefined ? { brandArg: brand as string } : {}), sourceIds: (await import('./commands/collect.js')).sourceIds(), alsoTakes: ['brand'] }),
      (o.format as string | undefined) ?? 'table',
      deps,
    ),
  );
  command('init', '', 'write a commented starter config (earshot.yml) to edit', async (_a, o) => (await import('./commands/init.js')).runInit(o, deps));
  command('sources', '', 'list every source: what it needs, its rate limit, how brand replies are recognised', async (_a, o) =>
    (await import('./commands/sources.js')).runSources(o, deps),
  );
  command('explain', '<text>', 'show how earshot scores a text: sentiment, intent and the words behind them', async ([text], o) =>
    (await import('./commands/explain.js')).runExplain(text as string, o, deps),
  );

  try {
    await program.parseAsync(argv);
    return state.code;
  } catch (err) {
    return reportError(err, deps, state.debug);
  }
}

/** Prints an error as one sentence (stack only with --debug) and returns its exit code. */
function reportError(err: unknown, deps: CliDeps, debug: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return EXIT.usage; // commander already printed its message
  }
  if (err instanceof PipeClosedError) return EXIT.ok;
  const write = (s: string): void => void deps.stderr.write(`${stripControl(s)}\n`);
  if (err instanceof EarshotError) {
    write(`earshot: ${err.message}`);
    if (debug && err.stack) write(err.stack);
    return err.code === 'usage' || err.code === 'config' || err.code === 'input' ? EXIT.usage : EXIT.nothing;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  write(`earshot: unexpected error: ${e.message} (run again with --debug for details, and please report it).`);
  if (debug && e.stack) write(e.stack);
  return EXIT.nothing;
}

function processDeps(): CliDeps {
  // A reader that closes the pipe early (`earshot --help | head`) is its choice; without a listener the EPIPE would crash.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, clock: () => new Date() };
}
