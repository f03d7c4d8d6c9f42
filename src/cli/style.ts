/** The terminal style renderers are given: chalk colours when colour is on, plain text otherwise. */
import { Chalk } from 'chalk';
import type { Style, StyleRole } from '../report/style.js';

/** A style for `color` (level 1: the 16 basic colours, what every terminal shows). */
export function terminalStyle(color: boolean): Style {
  const c = new Chalk({ level: color ? 1 : 0 });
  const roles: Record<StyleRole, (s: string) => string> = { heading: c.bold, muted: c.dim, good: c.green, warn: c.yellow, bad: c.red, link: c.cyan };
  return (role, text) => roles[role](text);
}
