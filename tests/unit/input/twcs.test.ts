import { describe, expect, it } from 'vitest';
import type { Mention } from '../../../src/core/mention.js';
import { fixture, readAll, chunked } from './read-helper.js';

const HEADER = 'tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n';
const byId = (mentions: Mention[]): Map<string, Mention> => new Map(mentions.map((m) => [m.id.replace('twitter:', ''), m]));

describe('TWCS layout', () => {
  it('is recognised by its header and read into twitter mentions, one brand per company', async () => {
    const { opened, mentions, warnings } = await readAll(fixture('twcs-sample.csv'));
    expect(opened.format).toBe('twcs');
    expect(warnings).toEqual([]);
    expect(mentions).toHaveLength(48);
    expect(new Set(opened.brands)).toEqual(new Set(['AcmeCloudHelp', 'NorthwindAir', 'ContosoBank']));
    const perBrand = new Map<string, number>();
    for (const m of mentions) perBrand.set(m.brand ?? '-', (perBrand.get(m.brand ?? '-') ?? 0) + 1);
    expect(Object.fromEntries(perBrand)).toEqual({ AcmeCloudHelp: 17, NorthwindAir: 17, ContosoBank: 14 });
    for (const m of mentions) {
      expect(m.source).toBe('twitter');
      expect(m.fromBrand).toBe(!/^\d+$/.test(m.author.handle ?? ''));
    }
  });

  it('maps the row fields: ids, dates, urls, parents, kinds', async () => {
    const m = byId((await readAll(fixture('twcs-sample.csv'))).mentions);
    expect(m.get('300109')).toEqual({
      id: 'twitter:300109', source: 'twitter', kind: 'comment', url: 'https://twitter.com/AcmeCloudHelp/status/300109',
      author: { handle: 'AcmeCloudHelp' }, fromBrand: true, brand: 'AcmeCloudHelp',
      text: "@401230 Sorry for the trouble! We're seeing sync delays in eu-west right now. Can you DM us your workspace ID so we can check? ^KL",
      createdAt: '2017-10-30T14:06:40.000Z', parentId: 'twitter:300110', threadId: 'twitter:300110', engagement: {},
    });
    const root = m.get('300110')!;
    expect(root.kind).toBe('post');
    expect(root.parentId).toBeUndefined();
    expect(root.threadId).toBe('twitter:300110');
    expect(root.url).toBe('https://twitter.com/i/web/status/300110');
    expect(root.text).toBe('@AcmeCloudHelp my dashboard has been stuck on "syncing" since this morning 😩 is something down?');
    expect(m.get('300114')?.text).toBe('@AcmeCloudHelp quick q:\nhow do I export all my files before cancelling?\nthanks');
    expect(m.get('300111')?.threadId).toBe('twitter:300110'); // four levels down
  });

  it("gives a customer tweet its thread's company even when the reply comes later in the file", async () => {
    const m = byId((await readAll(fixture('twcs-sample.csv'))).mentions);
    const early = m.get('300136')!; // names no brand; NorthwindAir answers on the next row
    expect(early.text).not.toMatch(/@NorthwindAir/i);
    expect(early.brand).toBe('NorthwindAir');
    // Replies to a company broadcast belong to it.
    expect(m.get('300120')?.brand).toBe('AcmeCloudHelp');
  });

  it('falls back to the first company @handle for a tweet outside any company thread', async () => {
    const m = byId((await readAll(fixture('twcs-sample.csv'))).mentions);
    expect(m.get('300106')?.brand).toBe('NorthwindAir'); // "@NorthwindAir ... @ContosoBank", nobody answered
    const none = await readAll(`${HEADER}1,900001,True,Wed Nov 01 10:00:00 +0000 2017,@SomeoneElse hi,,\n`);
    expect(none.mentions[0]?.brand).toBeUndefined();
  });

  it('keeps a parent that is not in the file and uses it as the thread id', async () => {
    const m = byId((await readAll(fixture('twcs-sample.csv'))).mentions);
    expect(m.get('300116')).toMatchObject({ parentId: 'twitter:299998', threadId: 'twitter:299998', brand: 'AcmeCloudHelp' });
    expect(m.get('300115')).toMatchObject({ parentId: 'twitter:300116', threadId: 'twitter:299998' });
  });

  it('assigns the same brands and threads whatever the row order', async () => {
    const text = fixture('twcs-sample.csv').toString('utf8');
    const forward = (await readAll(text)).mentions;
    // Reverse the records (not the lines: some cells span lines) by re-reading the CSV.
    const { parse } = await import('csv-parse/sync');
    const records = parse(text) as string[][];
    const { stringify } = await import('csv-stringify/sync');
    const reversed = stringify([records[0]!, ...records.slice(1).reverse()]);
    const backward = (await readAll(reversed)).mentions;
    const summary = (ms: Mention[]): string[] => ms.map((x) => `${x.id} ${x.brand} ${x.threadId} ${x.parentId}`).sort();
    expect(summary(backward)).toEqual(summary(forward));
  });

  it('links a reply that only its parent lists in response_tweet_id', async () => {
    const csv = HEADER +
      '10,NorthwindAir,False,Wed Nov 01 10:05:00 +0000 2017,@900010 On it -MK,"11",\n' +
      '11,900010,True,Wed Nov 01 10:07:00 +0000 2017,thanks,,\n';
    const m = byId((await readAll(csv)).mentions);
    expect(m.get('11')).toMatchObject({ parentId: 'twitter:10', threadId: 'twitter:10', brand: 'NorthwindAir', kind: 'comment' });
  });

  it('reads pandas-style float ids (300101.0)', async () => {
    const csv = HEADER +
      '1.0,900001,True,Wed Nov 01 10:00:00 +0000 2017,@ContosoBank hi,2.0,\n' +
      '2.0,ContosoBank,False,Wed Nov 01 10:01:00 +0000 2017,@900001 hello,,1.0\n';
    const { mentions } = await readAll(csv);
    expect(mentions.map((x) => [x.id, x.parentId, x.brand])).toEqual([
      ['twitter:1', undefined, 'ContosoBank'],
      ['twitter:2', 'twitter:1', 'ContosoBank'],
    ]);
  });

  it('keeps only the threads of --brand (any case) and counts the rest as filtered', async () => {
    const { mentions, opened, warnings } = await readAll(fixture('twcs-sample.csv'), { brand: 'contosobank' });
    expect(warnings).toEqual([]);
    expect(mentions).toHaveLength(14);
    expect(new Set(mentions.map((x) => x.brand))).toEqual(new Set(['ContosoBank']));
    expect(mentions.map((x) => x.id)).not.toContain('twitter:300106'); // names Contoso second: belongs to NorthwindAir
    expect(opened.stats).toEqual({ mentions: 14, skipped: 0, filtered: 34 });
    const byHandle = await readAll(fixture('twcs-sample.csv'), { brand: 'Northwind', brandHandles: ['@NorthwindAir'] });
    expect(byHandle.mentions).toHaveLength(17);
  });

  it('warns when --brand matches no company in the file', async () => {
    const { mentions, warnings } = await readAll(fixture('twcs-sample.csv'), { brand: 'Fabrikam', fileName: 'twcs.csv' });
    expect(mentions).toEqual([]);
    expect(warnings).toEqual(['twcs.csv: no company in this file matches Fabrikam; companies: AcmeCloudHelp, NorthwindAir, ContosoBank.']);
  });

  it('gives a thread answered by two companies to the first to answer, or to the --brand one', async () => {
    const csv = HEADER +
      '1,900001,True,Wed Nov 01 10:00:00 +0000 2017,@NorthwindAir @ContosoBank double charge on my ticket,"2,3",\n' +
      '3,ContosoBank,False,Wed Nov 01 11:00:00 +0000 2017,@900001 Please DM us ^TW,,1\n' +
      '2,NorthwindAir,False,Wed Nov 01 10:30:00 +0000 2017,@900001 We will refund one -MK,,1\n';
    const all = byId((await readAll(csv)).mentions);
    expect([all.get('1')?.brand, all.get('2')?.brand, all.get('3')?.brand]).toEqual(['NorthwindAir', 'NorthwindAir', 'ContosoBank']);
    const contoso = byId((await readAll(csv, { brand: 'ContosoBank' })).mentions);
    expect([...contoso.keys()].sort()).toEqual(['1', '2', '3']);
    expect(contoso.get('1')?.brand).toBe('ContosoBank');
  });

  it('reports malformed rows with their line numbers and keeps the rest', async () => {
    for (const size of [1, 1 << 16]) {
      const { mentions, warnings } = await readAll(chunked(fixture('twcs-malformed.csv'), size), { fileName: 'm.csv' });
      expect(mentions.map((x) => x.id)).toEqual(['twitter:500001', 'twitter:500002', 'twitter:500007']);
      expect(warnings).toEqual([
        'm.csv:4: inbound must be True or False, found "maybe"; skipped.',
        'm.csv:5: created_at is not a date: "31/11/2017 10:07"; skipped.',
        'm.csv:6: duplicate tweet_id 500001 (first on line 2); skipped.',
        'm.csv:7: empty tweet_id; skipped.',
        'm.csv:8: expected 7 cells, found 8; skipped.',
      ]);
    }
    await expect(readAll(fixture('twcs-malformed.csv'), { fileName: 'm.csv', strict: true })).rejects.toThrow(
      'm.csv:4: inbound must be True or False, found "maybe"; skipped.',
    );
  });

  it('accepts the header in another case and order, with extra columns', async () => {
    const csv = 'Text,Created_At,Tweet_ID,Author_ID,Inbound,In_Response_To_Tweet_ID,Response_Tweet_ID,lang\n' +
      '@AcmeCloudHelp hi,Wed Nov 01 10:00:00 +0000 2017,5,900001,True,,,en\n';
    const { opened, mentions } = await readAll(csv);
    expect(opened.format).toBe('twcs');
    expect(mentions[0]).toMatchObject({ id: 'twitter:5', text: '@AcmeCloudHelp hi', author: { handle: '900001' } });
  });
});
