/**
 * A synthetic file in the Customer Support on Twitter layout with many companies (the real one holds 108 in its
 * first rows and 76 in a typical sample), read through the real input reader and analysed: the report a consultant
 * gets from `earshot analyze twcs.csv` with no --brand. Company handles are invented, up to Twitter's 15 characters.
 */
import { Readable } from 'node:stream';
import type { Mention } from '../../src/core/mention.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import { openMentions } from '../../src/input/index.js';
import { analyse } from '../browser/build-report.js';

// Words of at most 8 letters: with "Support" a handle is at most Twitter's 15 characters.
const WORDS = ['Acme', 'Contoso', 'Fabrikam', 'Tailspin', 'Wingtip', 'Litware', 'Adatum', 'Lucerne', 'Coho', 'Margie', 'Alpine', 'Graphic', 'Trey', 'Zava', 'Nod', 'Northwnd', 'Fourth', 'Blue', 'Wide'];
const SUFFIXES = ['Help', 'Support', 'Cares', '_Care'];

/** `n` company handles (at most 76), some at Twitter's 15-character limit. */
export function companyHandles(n: number): string[] {
  return SUFFIXES.flatMap((s) => WORDS.map((w) => `${w}${s}`)).slice(0, n);
}

function twitterTime(ms: number): string {
  // "Tue Oct 31 22:10:47 +0000 2017", as the data set writes times.
  const d = new Date(ms);
  const [wd, , mon, , ] = d.toUTCString().split(' ');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${wd!.slice(0, 3)} ${mon} ${day} ${d.toISOString().slice(11, 19)} +0000 ${d.getUTCFullYear()}`;
}

/** The CSV text: each company gets a different number of customer tweets, some answered, some not. */
export function manyBrandsCsv(n = 76): string {
  const rows = ['tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id'];
  let id = 1000;
  const start = Date.parse('2017-10-30T08:00:00Z');
  companyHandles(n).forEach((company, k) => {
    const tweets = 2 + ((k * 7) % 9);
    for (let t = 0; t < tweets; t += 1) {
      const at = start + (k * 37 + t * 211) * 60_000;
      const customer = String(400000 + k * 100 + t);
      const ask = id++;
      const complaint = t % 3 === 0;
      const text = complaint ? `@${company} worst service ever, my order never arrived and nobody answers. awful` : `@${company} how do I change my delivery address?`;
      const answered = t % 2 === 0;
      const reply = answered ? id++ : undefined;
      rows.push(`${ask},${customer},True,${twitterTime(at)},${text},${reply ?? ''},`);
      if (reply !== undefined) rows.push(`${reply},${company},False,${twitterTime(at + (20 + k) * 60_000)},@${customer} sorry about that! Please DM us your order number.,,${ask}`);
    }
  });
  return `${rows.join('\n')}\n`;
}

/** The many-company file analysed as `earshot analyze` does (no --brand: every company is a brand). */
export async function manyBrandsReport(n = 76): Promise<Report> {
  const opened = await openMentions(Readable.from([manyBrandsCsv(n)]), { fileName: 'twcs.csv', log: silentLogger });
  const mentions: Mention[] = [];
  for await (const m of opened.mentions) mentions.push(m);
  return analyse(mentions, { input: 'twcs.csv' });
}
