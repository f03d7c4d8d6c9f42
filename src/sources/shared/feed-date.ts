/**
 * Dates as real feeds write them: RFC 822/1123 (with localised day and month names, two-digit years and
 * times without colons), ISO 8601 (a missing offset reads as UTC, so the result never depends on the machine's
 * time zone), and anything else `Date.parse` reads when it names its zone.
 */

/** Month number (1–12) by normalised name: English, Portuguese, Spanish, French, German, Italian and Dutch. */
const MONTHS: Readonly<Record<string, number>> = (() => {
  const names: readonly (readonly string[])[] = [
    ['jan', 'january', 'janeiro', 'ene', 'enero', 'janv', 'janvier', 'januar', 'gen', 'gennaio', 'januari'],
    ['feb', 'february', 'fev', 'fevereiro', 'febrero', 'fevr', 'fevrier', 'februar', 'febbraio', 'februari'],
    ['mar', 'march', 'marco', 'marzo', 'mars', 'mrz', 'marz', 'maerz', 'mrt', 'maart'],
    ['apr', 'april', 'abr', 'abril', 'avr', 'avril', 'aprile'],
    ['may', 'mai', 'maio', 'mayo', 'mag', 'maggio', 'mei'],
    ['jun', 'june', 'junho', 'junio', 'juin', 'juni', 'giu', 'giugno'],
    ['jul', 'july', 'julho', 'julio', 'juil', 'juillet', 'juli', 'lug', 'luglio'],
    ['aug', 'august', 'ago', 'agosto', 'aout', 'augustus'],
    ['sep', 'sept', 'september', 'set', 'setembro', 'septiembre', 'setiembre', 'septembre', 'settembre'],
    ['oct', 'october', 'out', 'outubro', 'octubre', 'octobre', 'okt', 'oktober', 'ott', 'ottobre'],
    ['nov', 'november', 'novembro', 'noviembre', 'novembre'],
    ['dec', 'december', 'dez', 'dezembro', 'dic', 'diciembre', 'decembre', 'dezember', 'dicembre'],
  ];
  const out: Record<string, number> = {};
  names.forEach((list, i) => list.forEach((n) => (out[n] = i + 1)));
  return out;
})();

/** RFC 822 zone names and their offsets in minutes (military letters other than Z are unreliable: UTC). */
const ZONES: Readonly<Record<string, number>> = {
  ut: 0, utc: 0, gmt: 0, z: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
};

const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\./g, '');

function monthOf(token: string): number | undefined {
  const t = fold(token);
  return MONTHS[t] ?? MONTHS[t.slice(0, 4)] ?? (t.startsWith('jui') ? undefined : MONTHS[t.slice(0, 3)]);
}

/** Minutes east of UTC for `+0300`, `-03:00`, `+03`, a zone name; undefined for anything else. */
function zoneOffset(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === '') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  return ZONES[zone.toLowerCase()] ?? (/^[a-ik-y]$/i.test(zone) ? 0 : undefined);
}

/** Date.UTC with range checks: a 31 February is not quietly moved into March. */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, offset: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59));
  if (new Date(t).getUTCDate() !== d && h !== 24) return undefined;
  return t - offset * 60_000;
}

const RFC822 = /^(?:[\p{L}.]+,?\s+)?(\d{1,2})[\s-]+([\p{L}.]+)[\s-]+(\d{2,4})(?:\s+(\d{1,2}):?(\d{2})(?::?(\d{2}))?(?:\.\d+)?)?\s*([+-]\d{2}:?\d{2}|[a-z]{1,4})?$/iu;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A feed date as ISO 8601 UTC, or undefined when it cannot be read for certain. */
export function parseFeedDate(raw: string | undefined): string | undefined {
  const s = (raw ?? '').trim().replace(/\s+/g, ' ');
  if (s === '') return undefined;
  let t: number | undefined;
  const iso = ISO.exec(s);
  const rfc = iso ? null : RFC822.exec(s);
  if (iso) {
    const offset = zoneOffset(iso[7]?.toUpperCase() === 'Z' ? 'Z' : iso[7]);
    if (offset !== undefined) t = utc(Number(iso[1]), Number(iso[2]), Number(iso[3]), Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0), offset);
  } else if (rfc) {
    const month = monthOf(rfc[2]!);
    const offset = zoneOffset(rfc[7]);
    const y = Number(rfc[3]);
    // RFC 2822 §4.3: two-digit years 00–49 are 20xx, 50–99 are 19xx; three digits add 1900.
    const year = rfc[3]!.length === 2 ? (y < 50 ? 2000 + y : 1900 + y) : rfc[3]!.length === 3 ? 1900 + y : y;
    if (month !== undefined && offset !== undefined) t = utc(year, month, Number(rfc[1]), Number(rfc[4] ?? 0), Number(rfc[5] ?? 0), Number(rfc[6] ?? 0), offset);
  } else if (/(?:\bZ|[+-]\d{2}:?\d{2}|\bGMT|\bUTC)\b/i.test(s)) {
    // Other shapes V8 reads reliably when they name their zone (e.g. "November 20, 2026 10:00 GMT").
    const p = Date.parse(s);
    if (!Number.isNaN(p)) t = p;
  }
  return t === undefined || Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
