/**
 * Sentiment lexicons: AFINN-165 and emoji word lists (the caller loads them from the `sentiment`
 * package, see src/core/model-files.ts) merged with earshot's customer-service layer.
 */

/**
 * Customer-service phrases and overrides, in AFINN's -5..+5 scale. Multi-word entries win over
 * single words; an entry set to 0 silences an AFINN word that misleads on support text
 * ("help", "please" and "want" are requests, not praise; "no" is handled as a negator).
 */
const SERVICE_LEXICON: Readonly<Record<string, number>> = {
  // waiting and being ignored
  'on hold': -2, 'still on hold': -3, 'hold music': -1, 'hung up': -2, 'hang up': -2, 'hangs up': -2,
  'still waiting': -3, 'still no': -2, 'still not': -2, 'still have not': -2, 'still havent': -2,
  'no response': -3, 'no reply': -3, 'no answer': -2, 'no one': -2, 'nobody': -2, 'no help': -3,
  'no info': -2, 'no information': -2, 'no updates': -2, 'no update': -2, 'no call': -2, 'no email': -1,
  'never received': -2, 'never got': -2, 'never again': -3, 'never fly': -3, 'been waiting': -2,
  'waiting': -1, 'wait time': -1, 'on the phone': -1, 'call back': -1, 'busy signal': -2,
  'cant get through': -2, 'cant reach': -2, 'ignored': -2, 'ignoring': -2, 'dm': 0,
  // disruption
  'delayed': -2, 'delay': -2, 'delays': -2, 'late': -1, 'later': 0, 'cancelled': -2, 'canceled': -2,
  'cancellation': -2, 'cancel': -1, 'cancels': -2, 'canceling': -2, 'cancelling': -2, 'diverted': -1,
  'missed connection': -3, 'missed my': -2, 'misconnect': -2, 'overbooked': -2, 'oversold': -2,
  'stuck': -2, 'stranded': -3, 'sitting on': -1, 'sat on': -1, 'on the tarmac': -2, 'tarmac': -1,
  'hours': -1, 'hrs': -1, 'mechanical': -1, 'maintenance': -1, 'rebook': -1, 'rebooked': -1,
  'lost bag': -3, 'lost bags': -3, 'lost luggage': -3, 'lost my': -3, 'lost our': -3,
  'damaged': -2, 'broken': -2, 'missing': -2, 'where is my': -2, 'wheres my': -2,
  'refund': -1, 'kindly refund': -2, 'refund me': -2, 'my money': -1, 'charged': -1, 'fee': -1,
  'fees': -1, 'rude': -3, 'unhelpful': -3, 'incompetent': -3, 'incompetence': -3, 'worst': -3,
  'unacceptable': -3, 'ridiculous': -3, 'horrible': -3, 'terrible': -3, 'awful': -3, 'disappointed': -2,
  'frustrated': -2, 'frustrating': -2, 'smh': -2, 'ugh': -2, 'seriously': -1, 'really': 0,
  'fail': -2, 'epic fail': -3, 'sucks': -3, 'suck': -3, 'joke': -2, 'thanks for nothing': -4,
  'thanks a lot': 0, 'thanks for the help': 1, 'no thanks': -2, 'not helpful': -3, 'not happy': -3,
  'dirty': -2, 'no wifi': -2, 'not working': -2, 'doesnt work': -2, 'didnt work': -2,
  // products and apps (so mentions far from airlines still score)
  'crashing': -2, 'crashes': -2, 'crashed': -2, 'keeps crashing': -3, 'buggy': -2, 'glitch': -1, 'glitchy': -2,
  'freezes': -2, 'freezing': -1, 'laggy': -2, 'outage': -2, 'down again': -2, 'not loading': -2,
  'doesnt load': -2, 'wont load': -2, 'wont let me': -2, 'cant log in': -2, 'cant login': -2, 'locked out': -2,
  'unusable': -3, 'scam': -3, 'overpriced': -2, 'waste of': -3, 'spam': -2, 'error': -1, 'errors': -1,
  'works great': 3, 'works perfectly': 3, 'fixed it': 2, 'resolved': 2, 'solved': 2, 'fast delivery': 2,
  // praise
  'thank you': 3, 'thanks': 2, 'thx': 2, 'ty': 1, 'kudos': 3, 'shoutout': 2, 'shout out': 2,
  'on time': 2, 'early': 1, 'smooth': 2, 'you rock': 3, 'made my day': 3, 'above and beyond': 3,
  'great job': 3, 'great service': 3, 'good job': 3, 'well done': 3, 'no problem': 1, 'no problems': 1,
  'no worries': 1, 'no complaints': 2, 'not bad': 1, 'cant wait': 2, 'cant complain': 1,
  'appreciate it': 3, 'got home': 1, 'upgraded': 2, 'upgrade': 1, 'safe': 1, 'friendly': 2,
  // negator idioms that are praise or relief, and review phrasing
  'cant believe': 1, 'couldnt be happier': 3, 'couldnt be better': 3, 'cant thank you enough': 4,
  'cant recommend enough': 4, 'never disappoints': 3, 'not a problem': 1, 'no issues': 1, 'no issue': 1,
  'not disappointed': 2, 'dont hate': 1, 'cant go wrong': 2, 'no complaint': 2, 'not too bad': 1,
  'five stars': 3, '5 stars': 3, 'would buy again': 3, 'would recommend': 2, 'highly recommend': 3,
  'one star': -3, '1 star': -3, 'zero stars': -3, 'dont buy': -3, 'do not buy': -3, 'stay away': -3,
  // AFINN words that mislead on support requests
  'help': 0, 'please': 0, 'want': 0, 'like': 0, 'no': 0, 'pay': 0, 'care': 0, 'pretty': 0,
  'free': 0, 'yes': 0, 'hope': 1, 'sorry': -1, 'miss': -1, 'fire': 0, 'crash': -1, 'lol': 1, 'kind': 0,
};

/** Emoticons that survive tokenisation (lower-cased). */
const EMOTICONS: Readonly<Record<string, number>> = {
  ':)': 2, ':-)': 2, '=)': 2, ':d': 2, ':-d': 2, ';)': 1, ';-)': 1, ':p': 1, ':-p': 1, '<3': 3,
  ':(': -2, ':-(': -2, '=(': -2, ':/': -1, ':-/': -1, ':|': -1, ':\\': -1,
};

/** Words that flip the polarity of what follows (apostrophes already removed). */
const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'cant', 'cannot', 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'arent', 'werent',
  'wont', 'wouldnt', 'couldnt', 'shouldnt', 'havent', 'hasnt', 'hadnt', 'aint', 'nothing', 'nobody',
  'none', 'neither', 'nor', 'without', 'hardly', 'barely', 'nt', 'neednt', 'mustnt',
]);

/** Words after which the second clause carries the sentiment ("nice crew but 3 hours late"). */
const CONTRAST: ReadonlySet<string> = new Set(['but', 'however', 'yet', 'although', 'though', 'except']);

/** Intensifiers: scale the next sentiment word. */
const INTENSIFIERS: ReadonlyMap<string, number> = new Map([
  ['very', 1.3], ['so', 1.3], ['really', 1.3], ['extremely', 1.5], ['super', 1.3], ['totally', 1.3],
  ['absolutely', 1.4], ['completely', 1.3], ['incredibly', 1.4], ['truly', 1.2], ['most', 1.2], ['beyond', 1.3],
]);

/** Where a lexicon value came from, for explanations. */
export type LexiconSource = 'afinn' | 'emoji' | 'service';

/** A merged lexicon with phrase lookup. */
export interface Lexicon {
  /** Single tokens → value. */
  words: Map<string, number>;
  /** Multi-word phrases (space-joined) → value. */
  phrases: Map<string, number>;
  /** First tokens of phrases, to skip phrase lookups cheaply. */
  phraseStarts: Set<string>;
  /** Longest phrase length in tokens. */
  maxPhrase: number;
  /** Origin of each entry. */
  source: Map<string, LexiconSource>;
  /** Phrases that contain a negator and are scored as one unit (merged into one token). */
  idioms: Set<string>;
  /** Everything known about a single token, so the scorer looks each token up once. */
  info: Map<string, TokenInfo>;
}

/** What one token can do in the lexicon pass. */
export interface TokenInfo {
  /** Lexicon value (0 or undefined: none). */
  value: number | undefined;
  source: LexiconSource | undefined;
  negator: boolean;
  contrast: boolean;
  /** Multiplier for the next sentiment word (1 when not an intensifier). */
  intensity: number;
  /** Some phrase starts with this token. */
  phraseStart: boolean;
}

/** The word lists a lexicon is built from, as the `sentiment` package ships them (word → AFINN value). */
export interface LexiconSources {
  afinn: Readonly<Record<string, number>>;
  emoji: Readonly<Record<string, number>>;
}

/** Merges the word lists with the emoticons and the service layer; pure, so build it once and share it. */
export function buildLexicon(sources: LexiconSources): Lexicon {
  const { afinn, emoji } = sources;
  const words = new Map<string, number>();
  const phrases = new Map<string, number>();
  const phraseStarts = new Set<string>();
  const source = new Map<string, LexiconSource>();
  let maxPhrase = 1;
  const put = (key: string, value: number, from: LexiconSource): void => {
    // AFINN keys contain a few multi-word and hyphenated entries; keep only the forms our tokeniser makes.
    const norm = key.toLowerCase().replace(/'/g, '').replace(/-/g, ' ');
    const parts = norm.split(' ');
    if (parts.length === 1) words.set(norm, value);
    else {
      phrases.set(norm, value);
      phraseStarts.add(parts[0] ?? '');
      if (parts.length > maxPhrase) maxPhrase = parts.length;
    }
    source.set(norm, from);
  };
  for (const [k, v] of Object.entries(afinn)) put(k, v, 'afinn');
  for (const [k, v] of Object.entries(emoji)) put(k, v, 'emoji');
  for (const [k, v] of Object.entries(EMOTICONS)) put(k, v, 'emoji');
  for (const [k, v] of Object.entries(SERVICE_LEXICON)) put(k, v, 'service');
  const info = new Map<string, TokenInfo>();
  const keys = new Set([...words.keys(), ...phraseStarts, ...NEGATORS, ...CONTRAST, ...INTENSIFIERS.keys()]);
  for (const k of keys) {
    const value = words.get(k);
    info.set(k, {
      value: value === 0 ? undefined : value,
      source: value === undefined ? undefined : source.get(k),
      negator: NEGATORS.has(k),
      contrast: CONTRAST.has(k),
      intensity: INTENSIFIERS.get(k) ?? 1,
      phraseStart: phraseStarts.has(k),
    });
  }
  const idioms = new Set([...phrases.keys()].filter((p) => p.split(' ').some((w) => NEGATORS.has(w))));
  return { words, phrases, phraseStarts, maxPhrase, source, info, idioms };
}
