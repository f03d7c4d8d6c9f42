/** `earshot init`: writes a commented starter earshot.yml, atomically, never over an existing file without --force. */
import { randomBytes } from 'node:crypto';
import { link, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { EXIT, OutputError, UsageError } from '../../core/errors.js';
import { starterConfig } from '../../config/starter.js';
import type { CliDeps } from '../main.js';
import { commonSettings } from '../settings.js';

/** Runs `init`: `--config FILE` (default earshot.yml; `-` prints to stdout), `--brand NAME`, `--force`. */
export async function runInit(o: Record<string, unknown>, deps: CliDeps & { cwd?: string }): Promise<number> {
  const common = commonSettings(o, deps);
  const text = starterConfig(typeof o.brand === 'string' ? o.brand : undefined);
  const target = typeof o.config === 'string' && o.config !== '' ? o.config : 'earshot.yml';
  if (target === '-') {
    deps.stdout.write(text);
    return EXIT.ok;
  }
  const cwd = deps.cwd ?? process.cwd();
  const path = isAbsolute(target) ? target : join(cwd, target);
  const dir = dirname(path);
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new UsageError(`Cannot write ${target}: folder ${dirname(target)} does not exist.`);
  }
  // Write a temp file beside the target, then move it into place in one step: the target is whole or untouched.
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { flag: 'wx', mode: 0o644 });
    if (o.force === true) {
      await rename(temp, path);
    } else {
      // link() refuses an existing target, so a file created meanwhile is not overwritten either.
      await link(temp, path);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${target} already exists; use --force to replace it, or --config FILE to write another file.`);
    if (code === 'EISDIR' || code === 'EPERM' || code === 'EACCES') throw new OutputError(`Cannot write ${target}: ${code}; check the path and permissions.`, { cause: err });
    throw new OutputError(`Cannot write ${target}: ${code ?? (err as Error).message}.`, { cause: err });
  } finally {
    await rm(temp, { force: true });
  }
  common.log.info(`Wrote ${target}. Set brand, handles and sources in it, then run: earshot audit`);
  return EXIT.ok;
}
