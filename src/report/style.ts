/** How renderers ask for emphasis without knowing about terminals: the CLI supplies a style built from chalk. */

/** What a piece of text is, for a style to colour it. */
export type StyleRole = 'heading' | 'muted' | 'good' | 'warn' | 'bad' | 'link';

/** Wraps text for a role (escape codes, or nothing). */
export type Style = (role: StyleRole, text: string) => string;

/** The style for plain text: every role leaves the text as it is. */
export const plainStyle: Style = (_role, text) => text;
