/** Brand handle matching: case-insensitive, a leading @ ignored. */

/** Lower-cased handles without a leading @, for case-insensitive matching. */
export function normaliseHandles(handles: readonly string[]): Set<string> {
  return new Set(handles.map((h) => h.trim().replace(/^@/, '').toLowerCase()).filter((h) => h !== ''));
}

/** True when `handle` is one of the (normalised) brand handles. */
export function isBrandHandle(handle: string | undefined, brandHandles: ReadonlySet<string>): boolean {
  if (handle === undefined) return false;
  return brandHandles.has(handle.trim().replace(/^@/, '').toLowerCase());
}
