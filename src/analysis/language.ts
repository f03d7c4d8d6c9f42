/** Small, dependency-free language detection: writing system first, then function words. */

/** What the detector decided, and why. */
export interface LanguageGuess {
  /** ISO 639-1 code; 'en' when there is no evidence of another language. */
  language: string;
  /** True when the evidence for `language` is clear (always true for script-based guesses). */
  confident: boolean;
  /** The cues: script name or the function words that matched. */
  evidence: string[];
}

// Function words that are frequent in one language and rare in English tweets. Words that are
// also English ("a", "no", "me", "die", "son", "is", "la" as in LA) are left out on purpose.
const STOPWORDS: Readonly<Record<string, string>> = {
  es: 'de en y el los las que del por para con muy pero mi mis está estoy estás hola gracias vuelo vuelos fue más también usted ustedes nuestro nuestra porque cuando dónde donde aeropuerto tengo hay ya pues señor una uno nos eso esta este sin hasta nunca nada siempre todavía',
  fr: 'de en que le les des est et une pour pas avec je vous nous dans sur mon très merci bonjour mais du au ce qui sont être vol cette avons avez suis votre notre aussi encore oui ne jamais cest toujours rien ça déjà',
  de: 'der das und ist nicht ich mit ein eine sie für auf den dem zu danke bitte sehr aber wir auch flug nach wie noch schon mein meine kein keine haben wird bin',
  pt: 'de que os da do não uma com obrigado obrigada muito você é em mas voo meu minha está estou são também foi nós vocês',
  it: 'il che di per non sono grazie molto della questo ma ho volo mio mia anche ancora siamo perché è gli della nel',
  nl: 'de en het een van ik niet dat met voor zijn bedankt vlucht wij ook maar naar wel nog geen mijn heb',
};

const ENGLISH =
  'the and to is you my i it for of on in this that was with have be are not your we me at just but so can will get what why how from they our an or if do been has had would there when about all out up no im its thanks thank please flight'.split(
    ' ',
  );

/** Word → the languages it marks ('en' included), so each word is looked up once. */
const WORD_LANGS = new Map<string, string[]>();
for (const [lang, words] of [...Object.entries(STOPWORDS), ['en', ENGLISH.join(' ')] as const]) {
  for (const w of words.split(' ')) {
    const list = WORD_LANGS.get(w) ?? [];
    list.push(lang);
    WORD_LANGS.set(w, list);
  }
}

type Script = 'latin' | 'cyrillic' | 'greek' | 'arabic' | 'hebrew' | 'devanagari' | 'thai' | 'hangul' | 'kana' | 'han';

const SCRIPT_LANG: Readonly<Record<Exclude<Script, 'latin' | 'han' | 'kana'>, string>> = {
  cyrillic: 'ru',
  greek: 'el',
  arabic: 'ar',
  hebrew: 'he',
  devanagari: 'hi',
  thai: 'th',
  hangul: 'ko',
};

function scriptOf(cp: number): Script | undefined {
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0xc0 && cp <= 0x24f)) return 'latin';
  if (cp >= 0x400 && cp <= 0x4ff) return 'cyrillic';
  if (cp >= 0x370 && cp <= 0x3ff) return 'greek';
  if (cp >= 0x590 && cp <= 0x5ff) return 'hebrew';
  if ((cp >= 0x600 && cp <= 0x6ff) || (cp >= 0x750 && cp <= 0x77f)) return 'arabic';
  if (cp >= 0x900 && cp <= 0x97f) return 'devanagari';
  if (cp >= 0xe00 && cp <= 0xe7f) return 'thai';
  if ((cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0x1100 && cp <= 0x11ff)) return 'hangul';
  if (cp >= 0x3040 && cp <= 0x30ff) return 'kana';
  if (cp >= 0x4e00 && cp <= 0x9fff) return 'han';
  return undefined;
}

const NON_ASCII = /[^\x00-\x7f]/;
const WORD_RE = /[\p{L}]+/gu;
const ENGLISH_GUESS: LanguageGuess = { language: 'en', confident: false, evidence: [] };

/**
 * Guesses the language of a short social text. Another language is reported only with evidence:
 * mostly non-Latin letters, or at least two of its function words outnumbering English ones and
 * making up a fifth of the words. Everything else (including very short text) counts as English.
 * `words` may pass already-lower-cased word tokens to skip re-tokenising.
 */
export function detectLanguage(text: string, words?: readonly string[]): LanguageGuess {
  // Writing system: only worth a look when there is non-ASCII text at all.
  if (NON_ASCII.test(text)) {
    const counts: Partial<Record<Script, number>> = {};
    let letters = 0;
    for (const ch of text) {
      const s = scriptOf(ch.codePointAt(0) as number);
      if (s === undefined) continue;
      counts[s] = (counts[s] ?? 0) + 1;
      letters++;
    }
    const latin = counts.latin ?? 0;
    const other = letters - latin;
    if (other >= 3 && other > latin) {
      if ((counts.kana ?? 0) > 0) return { language: 'ja', confident: true, evidence: ['script: kana'] };
      if ((counts.han ?? 0) > 0 && (counts.han ?? 0) >= other / 2) return { language: 'zh', confident: true, evidence: ['script: han'] };
      let best: Script | undefined;
      for (const s of Object.keys(SCRIPT_LANG) as (keyof typeof SCRIPT_LANG)[]) {
        if ((counts[s] ?? 0) > (best ? (counts[best] ?? 0) : 0)) best = s;
      }
      if (best && best !== 'latin' && best !== 'han' && best !== 'kana') {
        return { language: SCRIPT_LANG[best], confident: true, evidence: [`script: ${best}`] };
      }
    }
  }
  const list = words ?? (text.toLowerCase().match(WORD_RE) as string[] | null) ?? [];
  if (list.length < 3) return ENGLISH_GUESS;
  let english = 0;
  let hits: Record<string, string[]> | undefined;
  for (const w of list) {
    const langs = WORD_LANGS.get(w);
    if (langs === undefined) continue;
    if (langs[0] === 'en' && langs.length === 1) {
      english++;
      continue;
    }
    hits ??= {};
    for (const l of langs) {
      if (l === 'en') english++;
      else (hits[l] ??= []).push(w);
    }
  }
  if (hits === undefined) return ENGLISH_GUESS;
  let bestLang = '';
  let bestWords: string[] = [];
  for (const l of Object.keys(hits).sort()) {
    const ws = hits[l] as string[];
    if (ws.length > bestWords.length) {
      bestLang = l;
      bestWords = ws;
    }
  }
  if (bestWords.length >= 2 && bestWords.length > english && bestWords.length / list.length >= 0.2) {
    return { language: bestLang, confident: bestWords.length >= 3, evidence: bestWords.slice(0, 6) };
  }
  return ENGLISH_GUESS;
}
