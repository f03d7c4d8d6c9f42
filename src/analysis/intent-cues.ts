/**
 * The phrase lists the intent rules match (src/analysis/intent.ts), kept apart from the rules so they read as data.
 * Every phrase is matched on the scorer's words (lower case, apostrophes dropped: "doesn't" → "doesnt", handles and
 * URLs removed) as whole words. `(?:a|b)` is a choice and `(?:a)?` an option (no nesting); intent.ts expands them
 * into plain word sequences once, at load. They were written for customers of any industry
 * (apparel, retail, software, transport, food, services, cars, electronics), not only airlines; the hand-written
 * check set in tests/unit/intent-cross-industry.test.ts holds them to that (docs/analysis-quality.md).
 */

/**
 * A broken expectation: something failed, went missing, came late, cost too much or was handled badly. Enough for a
 * complaint when the text is not clearly positive, and what turns a question into a complaint ("why does my battery
 * die in 3 hours after the update??").
 */
export const BREACH_CUES: readonly string[] = [
  // Money.
  'refund', 'refunded', 'compensation', 'reimburse', 'charged twice', 'double charged', 'charged me', 'overcharged', 'hidden fee', 'hidden fees',
  'rip off', 'ripoff', 'scam', 'scammed', 'fraud', 'overpriced', 'price hike', 'money back',
  // Waiting and being ignored.
  'still waiting', 'still on hold', 'on hold', 'no response', 'no reply', 'no answer', 'no one', 'nobody', 'ignored', 'ignoring',
  'hung up', 'been waiting', 'waiting for', 'waited', 'still havent', 'still hasnt', 'still not', 'still no', 'never heard back',
  // Missing, late, wrong.
  'lost my', 'lost our', 'lost bag', 'lost luggage', 'where is my', 'wheres my', 'never arrived', 'never received', 'never came',
  'never showed up', 'not received', 'havent received', 'hasnt arrived', 'didnt arrive', 'didnt receive', 'didnt get my', 'missing',
  'wrong order', 'wrong item', 'wrong size', 'wrong address', 'missed my connection', 'missed connection', 'stranded', 'stuck',
  'delayed', 'late again', 'cancelled', 'canceled', 'cancellation', 'overbooked',
  // Things that fail (goods, cars, devices, food).
  'not working', 'stopped working', 'doesnt work', 'didnt work', 'does not work', 'wont work', 'isnt working', 'broke', 'broken',
  'defective', 'faulty', 'damaged', 'fell apart', 'falling apart', 'ripped', 'torn', 'shrunk', 'leaking', 'leaks', 'wont start',
  'wont turn on', 'wont charge', 'snapped', 'came off', 'fell off', 'peeling', 'cracked', 'scratched', 'dented', 'flickering',
  'same problem', 'same issue', 'doubled', 'tripled', 'so slow', 'too slow', 'very slow', 'really slow', 'slow again', 'laggy', 'lagging', 'died', 'dies', 'drains', 'draining', 'overheating', 'overheats', 'check engine', 'broke down',
  'cold food', 'stale', 'undercooked', 'raw inside', 'burnt', 'expired', 'moldy', 'mouldy', 'food poisoning', 'hair in my',
  'keeps (?:crashing|freezing|dropping|disconnecting|charging|failing|breaking|logging me out|asking|happening)',
  // Being handled badly.
  'worst', 'never again', 'unacceptable', 'ridiculous', 'disappointed', 'disappointing', 'complaint', 'rude', 'useless',
  'terrible', 'horrible', 'awful', 'pathetic', 'disgusting', 'disgusted', 'fed up', 'sick of', 'tired of', 'frustrated',
  'frustrating', 'not happy', 'unhappy', 'not impressed', 'poor service', 'bad service', 'do better', 'fix this', 'fix it',
  'sort it out', 'sort this out', 'get it together', 'shame on', 'false advertising', 'misleading', 'lied', 'locked out',
  'denied', 'refused', 'waste of', 'wasted',
];

/**
 * A question that reproaches rather than asks: complaint wording whatever its punctuation ("how come", "how many
 * times", "what happened to").
 */
export const REPROACH_CUES: readonly string[] = [
  'how come', 'how many times', 'how many more', 'how much longer', 'how long (?:do|will|must|should) (?:i|we)',
  'how hard is it', 'how difficult is it', 'how is (?:this|that|it) (?:acceptable|ok|okay|possible|fair|legal)',
  'is it too much to ask', 'whats going on with', 'what is going on with', 'what happened to', 'whats up with', 'what the hell',
  'wtf', 'are you (?:kidding|serious|joking)', 'is this a joke', 'when (?:will|are) you (?:going to )?fix', 'when will (?:this|it) be fixed',
  'when will (?:i|we) (?:get|receive)', 'any update on my', 'any updates on my', 'any news on my', 'is it just me',
  'why (?:is|are|does|do|did|was|were|has|have|cant|wont|isnt|arent|doesnt|dont|didnt|wasnt|havent|hasnt|would|must|on earth|the hell|tf) (?:my|our|i|we|me|it|this|your|you|the|there|nobody|no one|no)',
];

/** Info-seeking openings: a question that wants an answer, not redress ("can I return an online order in store?"). */
export const ASK_CUES: readonly string[] = [
  'can i', 'could i', 'may i', 'how do i', 'how can i', 'how do you', 'how do we', 'do you (?:have|sell|ship|offer|carry|deliver|accept|take|stock|do|open)',
  'is there (?:a|an|any)', 'are there any', 'what time', 'what are your', 'what is your', 'whats your', 'where can i', 'where do i',
  'when does', 'when do', 'when is', 'will you (?:be|have)', 'will there be', 'does anyone know', 'is it possible', 'am i able',
  'are you open', 'are you hiring',
];

/** A service that is down or a bug in software: the first thing a brand should hear about. */
export const OUTAGE_CUES: readonly string[] = [
  'outage', 'outages', 'is down', 'are down', 'went down', 'goes down', 'down again', 'site down', 'website down', 'app down', 'server down',
  'servers down', 'service down', 'down for (?:me|anyone|everyone|hours)', 'not loading', 'wont load', 'doesnt load', 'cant load',
  'keeps crashing', 'keeps freezing', 'crashes', 'crashed', 'crashing', 'bug', 'bugs', 'buggy', 'glitch', 'glitches', 'glitching',
  'error', 'errors', 'error code', 'cant log in', 'cant login', 'cant sign in', 'unable to log in', 'unable to login', 'wont open',
  'black screen', 'blue screen', 'timed out', 'logging me out', 'logs me out', 'logged me out', ...['not', 'wont', 'cant', 'isnt', 'doesnt'].map((w) => `${w} (?:sync|load|connect|send|update|refresh)(?:ing)?`), 'anyone else having', 'anyone else getting', 'anyone else experiencing',
];

/** The author says they are leaving, or about to. */
export const CHURN_CUES: readonly string[] = [
  'switching to', 'switched to', 'switching from', '(?:considering|thinking of|thinking about|about to|ready to) switching', 'about to switch', 'ready to switch',
  'moved off', 'moving off', 'migrated off', 'migrating off', 'migrated away from', 'time to switch', 'going to switch', 'gonna switch', 'moving away from', 'moved away from', 'moving to another',
  ...['cancel', 'cancelling', 'canceling', 'cancelled', 'canceled'].map((w) => `${w} my (?:subscription|account|membership|plan|contract|service|policy|card|order)`),
  'close my account', 'closing my account', 'closed my account', 'delete my account', 'deleting my account', 'deleted my account',
  'unsubscribe', 'unsubscribing', 'unsubscribed', 'taking my business elsewhere', 'take my business elsewhere', 'done with you',
  'never using', 'never buying', 'never shopping', 'never ordering', 'never flying', 'last time i', 'alternative to',
  'alternatives to', 'going elsewhere', 'im leaving', 'i am leaving', 'leaving you',
];

/** The author is choosing what to buy: a lead, if someone answers in time. */
export const PURCHASE_CUES: readonly string[] = [
  'looking for (?:a|an|some) (?:tool|app|service|platform|product|solution|provider|way)', 'looking to buy', 'looking to switch',
  'recommend (?:a|an|me|any)', 'anyone recommend', 'any recommendations', 'recommendations for', 'worth it', 'worth the money', 'worth buying',
  'worth the price', 'should i (?:buy|get|go with|choose|pick|upgrade)', 'thinking (?:of|about) (?:buying|getting|upgrading|trying)',
  'planning to buy', 'want to buy', 'wanna buy', 'where can i buy', 'how much (?:is|does|do|are)', 'free trial',
  'in stock', 'back in stock', 'do you sell', 'is there a (?:tool|app|service|plan)', 'which (?:one|plan|model) should',
];

/** Self-promotion and spam: never needs a reply. A link makes the weak ones count. */
export const SPAM_CUES: readonly string[] = [
  'check out my', 'subscribe to my', 'my channel', 'my new video', 'my latest video', 'link in bio', 'link in my bio', 'use code',
  'use my code', 'giveaway', 'free followers', 'buy followers', 'click here', 'click the link', 'earn money', 'make money',
  'work from home', 'onlyfans', 'airdrop', 'we negotiate', 'dm me for', 'sign up now', 'limited time offer',
];

/**
 * Weak promotional wording: spam only beside a link. "Follow me" alone is how a customer asks to be followed so
 * they can send a private message; "promo code" alone is usually a customer asking for one.
 */
export const PROMO_CUES: readonly string[] = [
  'follow me', 'follow back', 'check out our', 'check this out', 'shop now', 'order now', 'sign up', 'limited time', 'promo code',
  'discount code', 'coupon code', 'for sale',
];

/**
 * Words that show the author has a stake: something of theirs (my order, our account), something done to them, or
 * someone addressed. A bare "I" is not enough: "I'm so tired, need an Acme coffee" is about the author's day.
 */
export const PERSON_WORDS: ReadonlySet<string> = new Set(['me', 'my', 'mine', 'us', 'our', 'ours', 'you', 'your', 'youre', 'yours', 'u', 'ur', 'yall']);
