/** Neutralising untrusted text before it reaches a terminal or a spreadsheet. */

// CSI/OSC/DCS and other escape sequences, C0/C1 controls (except \n and \t), bidi controls (overrides, isolates, marks
// including the Arabic letter mark U+061C) and zero-width characters.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[@-Z\\-_]?|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Removes terminal escape sequences, control, bidi and zero-width characters; keeps newlines and tabs. */
export function stripControl(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROLS, '');
}

/** Text for one terminal line: controls stripped and whitespace (newlines included) collapsed. */
export function oneLine(text: string): string {
  return stripControl(text).replace(/\s+/g, ' ').trim();
}

/** Longest piece of a server's own words quoted in a message (an error_message, a JSON "message"). */
const REMOTE_TEXT_MAX = 300;
/** Longest message (error, warning) earshot prints or puts in a report. */
const MESSAGE_MAX = 1000;

/** `text` cut to `max` characters (code points), with an ellipsis when something was cut. */
function cap(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Text a remote server wrote, made fit to quote in a message: one line, no control or bidi characters, at most 300
 * characters. A server's newlines would otherwise print lines that look like earshot's own ("all sources OK").
 */
export function remoteText(text: string): string {
  return cap(oneLine(text), REMOTE_TEXT_MAX);
}

/** A whole message (error or warning) as one clean line of at most 1,000 characters. */
export function messageLine(text: string): string {
  return cap(oneLine(text), MESSAGE_MAX);
}

/** Prefixes a cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) with an apostrophe. */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
