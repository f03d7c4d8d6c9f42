/** Logger seam: the CLI writes these to stderr; library code never touches process streams. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** A logger that drops everything (tests, --quiet). */
export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };

/** A logger that records messages, for tests and for collecting warnings into reports. */
export function memoryLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    debug: (message) => lines.push({ level: 'debug', message }),
  };
}
