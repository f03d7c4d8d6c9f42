/**
 * Discourse writes emoji as `:name:` codes (the alt text of its emoji images, and what people type). The common ones
 * become the emoji itself, so a report reads "Not great, Acme. 😒" rather than ":unamused:" and the sentiment lexicon
 * (which scores emoji) sees them. A code not in this table is left as written: it is still readable words.
 */

/** Common emoji codes of Discourse's default (Twemoji) set, by name. */
const EMOJI: Readonly<Record<string, string>> = {
  '+1': '👍', thumbsup: '👍', '-1': '👎', thumbsdown: '👎', clap: '👏', pray: '🙏', wave: '👋', ok_hand: '👌', muscle: '💪',
  raised_hands: '🙌', point_up: '☝️', eyes: '👀', facepalm: '🤦', man_facepalming: '🤦‍♂️', woman_facepalming: '🤦‍♀️', shrug: '🤷',
  smile: '😄', smiley: '😃', grinning: '😀', grin: '😁', laughing: '😆', joy: '😂', rofl: '🤣', sweat_smile: '😅', slight_smile: '🙂',
  slightly_smiling_face: '🙂', upside_down_face: '🙃', wink: '😉', blush: '😊', innocent: '😇', heart_eyes: '😍', star_struck: '🤩',
  thinking: '🤔', neutral_face: '😐', expressionless: '😑', no_mouth: '😶', smirk: '😏', unamused: '😒', roll_eyes: '🙄',
  grimacing: '😬', relieved: '😌', pensive: '😔', confused: '😕', worried: '😟', slightly_frowning_face: '🙁', frowning: '😦',
  frowning_face: '☹️', open_mouth: '😮', hushed: '😯', astonished: '😲', flushed: '😳', pleading_face: '🥺', cry: '😢', sob: '😭',
  scream: '😱', confounded: '😖', persevere: '😣', disappointed: '😞', sweat: '😓', weary: '😩', tired_face: '😫', yawning_face: '🥱',
  triumph: '😤', rage: '😡', angry: '😠', face_with_symbols_over_mouth: '🤬', exploding_head: '🤯', sleeping: '😴', sleepy: '😪',
  mask: '😷', nerd_face: '🤓', sunglasses: '😎', partying_face: '🥳', skull: '💀', poop: '💩', clown_face: '🤡',
  heart: '❤️', broken_heart: '💔', sparkling_heart: '💖', fire: '🔥', tada: '🎉', confetti_ball: '🎊', rocket: '🚀', star: '⭐',
  sparkles: '✨', boom: '💥', zap: '⚡', bulb: '💡', warning: '⚠️', no_entry: '⛔', x: '❌', white_check_mark: '✅',
  heavy_check_mark: '✔️', question: '❓', exclamation: '❗', bug: '🐛', hourglass: '⌛', money_with_wings: '💸', moneybag: '💰',
  chart_with_upwards_trend: '📈', chart_with_downwards_trend: '📉', lock: '🔒', email: '📧', phone: '📞', snail: '🐌',
  see_no_evil: '🙈', hugs: '🤗', handshake: '🤝', crossed_fingers: '🤞', hundred: '💯', '100': '💯',
};

// A code, and the skin-tone suffix Discourse adds (`:+1:t3:`), which the plain emoji stands for.
const CODE = /:([a-z0-9_+-]+):(?:t[1-6]:)?/g;

/** Text with each known `:name:` code replaced by its emoji; unknown codes stay as written. */
export function replaceEmojiCodes(text: string): string {
  if (!text.includes(':')) return text;
  return text.replace(CODE, (whole, name: string) => EMOJI[name] ?? whole);
}
