/** Small numeric helpers shared by the summary and the renderers. */

/** Quantile (0..1) of an unsorted list by linear interpolation between closest ranks; null when empty. */
export function quantile(values: ArrayLike<number>, q: number): number | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return Math.round((a + (b - a) * (pos - lo)) * 10) / 10;
}

/** a ÷ b rounded to 4 places, or null when b is 0. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 10_000) / 10_000;
}

/** A growable list of doubles that costs 8 bytes a value (quantiles over a million replies stay small). */
export class NumberList {
  private data = new Float64Array(64);
  length = 0;
  /** Appends a value. */
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** The values as a typed array view. */
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * A multiset of numbers kept as a count per distinct value: the same quantiles as a list of every value, in
 * memory bounded by how many distinct values occur (reply minutes are rounded to 0.1, so by their range).
 */
export class ValueCounts {
  /** Values that are whole tenths, keyed by value × 10: small-integer keys hash far faster than doubles. */
  private readonly tenths = new Map<number, number>();
  /** Any other value, keyed by itself. */
  private readonly others = new Map<number, number>();
  /** How many values were added. */
  length = 0;
  /** Adds one value. */
  push(v: number): void {
    const k = Math.round(v * 10);
    // k / 10 === v holds exactly for the 0.1-rounded times the summary adds, so the key gives back the value.
    if (k / 10 === v && k >= 0 && k < 0x3fffffff) this.tenths.set(k, (this.tenths.get(k) ?? 0) + 1);
    else this.others.set(v, (this.others.get(v) ?? 0) + 1);
    this.length += 1;
  }
  /** Each distinct value with how many times it was added, in no particular order. */
  *entries(): IterableIterator<[number, number]> {
    for (const [k, n] of this.tenths) yield [k / 10, n];
    yield* this.others;
  }
  /** Exactly `quantile(everyValue, q)`: the same ranks, looked up in the sorted distinct values. */
  quantile(q: number): number | null {
    const n = this.length;
    if (n === 0) return null;
    const counts = new Map(this.entries());
    // Float64Array's sort orders like the list version's (NaN last), so ranks land on the same values.
    const keys = Float64Array.from(counts.keys()).sort();
    const pos = (n - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    let a: number | undefined;
    let b: number | undefined;
    let seen = 0;
    for (const k of keys) {
      seen += counts.get(k) ?? 0;
      if (a === undefined && lo < seen) a = k;
      if (hi < seen) {
        b = k;
        break;
      }
    }
    const av = a ?? 0;
    const bv = b ?? av;
    return Math.round((av + (bv - av) * (pos - lo)) * 10) / 10;
  }
}
