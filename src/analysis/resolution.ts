/**
 * Resolution in public: what a customer's later word in the thread says about the brand's answer. Phrase lists,
 * not a model: they are the same in any industry ("that fixed it", "still waiting"), and a reader can check them.
 */

/** What a customer's later messages say: fixed, not fixed, or nothing decisive (or no later message). */
type ResolutionOutcome = 'resolved' | 'unresolved' | 'unknown';

/** The cue one text carries: which way it points and the words that say so. */
export interface ResolutionCue {
  outcome: 'resolved' | 'unresolved';
  /** The matched words, as written. */
  phrase: string;
}

// Not fixed: checked first, so "thanks, but it is still broken" and "not sorted yet" are unresolved, not resolved.
const UNRESOLVED = new RegExp(
  [
    String.raw`still (?:broken|waiting|nothing|not\b[\w ']{0,20}|no\b[\w ']{0,20}|doesn'?t work|does not work|having (?:the same|this|that|issues?|problems?)|the same|happening|down|failing|charged|missing|stuck|no word|no reply|no response|no answer)`,
    String.raw`(?:no ?one|nobody|no-one) (?:has |have |ever )?(?:got|gotten|gets|came|come|replied|responded|answered|contacted)(?: back)?`,
    String.raw`(?:never|haven'?t|have not|hasn'?t|has not|didn'?t|did not) (?:heard|hear|got|gotten|get|received|receive)(?: anything)? back`,
    String.raw`(?:never|haven'?t|have not|didn'?t|did not) (?:got|gotten|get|received|receive|had|heard) (?:a |any )?(?:reply|response|answer|word|refund|call back|callback|email back)`,
    String.raw`(?:not|isn'?t|wasn'?t|hasn'?t been|has not been|haven'?t been|never|nothing (?:was|has been|got)) (?:fixed|resolved|sorted|solved|working|addressed|refunded)`,
    String.raw`(?:didn'?t|did not|doesn'?t|does not|won'?t|will not) (?:help|work|fix|solve|resolve)`,
    String.raw`(?:same|this) (?:problem|issue|error) (?:again|persists|is back)`,
    String.raw`(?:problem|issue|error) (?:persists|is back|came back|remains|continues)`,
    String.raw`(?:broken|down|failing) again`,
    String.raw`no (?:fix|solution|resolution|refund) yet`,
  ]
    .map((p) => String.raw`\b(?:${p})\b`)
    .join('|'),
  'i',
);

// Fixed: the customer's own word that the problem is gone.
const RESOLVED = new RegExp(
  [
    String.raw`(?:that|this|it|which|you) (?:fixed|solved|resolved|sorted) it`,
    String.raw`(?:that|this) (?:did the trick|did it|worked|works now)`,
    String.raw`(?:all|got it|it'?s|it is|that'?s|that is|now|issue|problem|everything) (?:all )?(?:sorted|resolved|fixed|solved)(?: now| out)?`,
    String.raw`(?:works|working|worked) (?:now|again|fine now|perfectly now)`,
    String.raw`(?:writable|readable|stable|online|running|loading|fine|up) (?:again|now)`,
    String.raw`back up (?:here|now|again|for me)`,
    String.raw`stable for \d+`,
    String.raw`no (?:more )?(?:drops|errors|issues|problems|crashes|failures|outages|timeouts)(?: since| now| anymore)`,
    String.raw`thanks? (?:you )?for the (?:quick |fast )?fix`,
    String.raw`perfect,? thank(?:s| you)`,
    String.raw`(?:problem|issue) (?:solved|gone|went away)`,
    String.raw`(?:all good|all set) now`,
    String.raw`thanks? (?:you )?for (?:sorting|fixing|resolving|solving|sorting out) (?:it|this|that|everything|the)`,
    String.raw`(?:refund|replacement|parcel|package|order|money) (?:has |finally )?(?:arrived|came through|landed|showed up)`,
    String.raw`(?:got|received) (?:my|the) (?:refund|replacement|money back)`,
    String.raw`back (?:up and running|online|to normal)`,
  ]
    .map((p) => String.raw`\b(?:${p})\b`)
    .join('|'),
  'i',
);

/** The resolution cue a text carries: "not fixed" wins over "fixed" in one text; undefined when it says neither. */
export function resolutionCue(text: string): ResolutionCue | undefined {
  // Curly apostrophes are the same word ("haven’t").
  const t = text.replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ');
  const not = UNRESOLVED.exec(t);
  if (not) return { outcome: 'unresolved', phrase: not[0].trim() };
  // A question is not news ("is it fixed now?"): only sentences that do not end in "?" say it is fixed.
  for (const sentence of t.split(/(?<=[.!?])\s+/)) {
    if (sentence.trim().endsWith('?')) continue;
    const yes = RESOLVED.exec(sentence);
    if (yes) return { outcome: 'resolved', phrase: yes[0].trim() };
  }
  return undefined;
}

/** A mention's resolution, with the customer's message and words that decided it (none when unknown). */
export interface ResolutionInfo {
  outcome: ResolutionOutcome;
  evidence?: { mentionId: string; url?: string; phrase: string };
}
