/** A two-brand audit for canned-reply tests: Acme answers mostly from three templates, Bolt writes every reply itself. */
import type { Mention } from '../../src/core/mention.js';
import { mention } from './make-mention.js';

/** The as-of time the figures in tests are computed at. */
export const CANNED_NOW = new Date('2026-11-23T09:00:00Z');

/** Twelve complaints to Acme (ten answered: 4 + 3 from two deflecting templates, 2 from a content template, 1 written), five to Bolt. */
export function cannedAudit(): Mention[] {
  const out: Mention[] = [];
  const t = (day: number, h: number, m = 0): string => new Date(Date.UTC(2026, 10, day, h, m)).toISOString();
  const complaint = (brand: string, i: number, who: string, day: number): Mention =>
    mention(`${brand}-${i}`, t(day, 10), `My order never arrived and support keeps ignoring me, this is terrible service from ${brand}.`, { brand, author: { handle: who, name: who.replace(/_.*/, '') }, threadId: `t:${brand}-${i}` });
  const reply = (brand: string, i: number, text: string, day: number, handle: string): Mention =>
    mention(`${brand}-${i}-r`, t(day, 11), text, { brand, parentId: `t:${brand}-${i}`, threadId: `t:${brand}-${i}`, fromBrand: true, author: { handle }, url: `https://social.example/${brand}/${i}/r` });
  const names = ['sarah', 'omar', 'lena', 'tom', 'ana', 'raj', 'mia', 'ken', 'eva', 'li', 'zoe', 'max'];
  const dmA = (n: string, sig: string): string => `Hi ${n}, so sorry to hear that! Please DM us your order number and we'll look into it. ^${sig}`;
  const dmB = (n: string, sig: string): string => `We're sorry for the trouble, @${n}_x. Send us a DM with your email address so we can help. -${sig}`;
  const fix = (n: string): string => `Thanks for flagging, ${n}! The courier lost a batch of parcels on 14 Nov; we have reshipped yours by express (the tracking number follows by email tomorrow).`;
  const acme = [dmA('Sarah', 'JD'), dmA('Omar', 'MK'), dmA('Lena', 'JD'), dmA('Tom', 'AB'), dmB('ana', 'JD'), dmB('raj', 'MK'), dmB('mia', 'SR'), fix('Ken'), fix('Eva'), 'Li, that charge was our billing retry bug: both payments are refunded and the bug is fixed as of today.'];
  for (let i = 0; i < 12; i += 1) {
    out.push(complaint('Acme', i, `${names[i]}_x`, 10 + (i % 5)));
    if (i < acme.length) out.push(reply('Acme', i, acme[i]!, 10 + (i % 5), 'AcmeHelp'));
  }
  // Sarah sent the DM and came back two days later: nothing since. Omar came back to say thanks: nothing to answer.
  out.push(mention('Acme-0-back', t(12, 9), 'Sent the DM two days ago, still nothing. Is anyone there?', { brand: 'Acme', parentId: 't:Acme-0-r', threadId: 't:Acme-0', author: { handle: 'sarah_x', name: 'sarah' } }));
  out.push(mention('Acme-1-back', t(12, 9), 'Thanks, all sorted now, great help!', { brand: 'Acme', parentId: 't:Acme-1-r', threadId: 't:Acme-1', author: { handle: 'omar_x', name: 'omar' } }));
  const bolt = [
    'Sorry Jo, the Lisbon depot flooded on Tuesday; your parcel is safe and leaves today, expect it Friday.',
    'Ravi, our card processor timed out and charged twice: we refunded the second charge this morning.',
    'Hi Kim, the app crash on Android 15 is fixed in 3.8.2, out now in the Play Store.',
    'Pat, we checked: the missing item was out of stock and should have been refunded; it is refunded now with a 10% voucher.',
    'Noor, the late delivery was our mistake at the sorting centre, a courier brings it tomorrow before noon.',
  ];
  for (let i = 0; i < bolt.length; i += 1) {
    out.push(complaint('Bolt', i, `b${i}_y`, 10 + i));
    out.push(reply('Bolt', i, bolt[i]!, 10 + i, 'BoltCare'));
  }
  return out;
}

