/** scripts/lib/pseudonymise.ts: which values count as personal, and that their replacement is consistent and deterministic. */
import { describe, expect, it } from 'vitest';
import {
  createPseudonymiser,
  createPseudonymMap,
  keptAccounts,
  personalValuesOfAuthors,
  personalValuesOfJson,
  personalValuesOfMarkup,
} from '../../scripts/lib/pseudonymise.js';

const listing = {
  kind: 'Listing',
  data: {
    children: [
      { kind: 't1', data: { id: 'nc1', author: 'jane_doe', author_fullname: 't2_8xk2q', parent_id: 't3_1r5q2zk', body: 'thanks u/jane_doe, and janet too', score: 12 } },
      { kind: 't1', data: { id: 'nc2', author: '[deleted]', parent_id: 't1_nc1', body: 'gone' } },
      { kind: 't1', data: { id: 'nc3', author: 'AcmeCloudSupport', author_fullname: 't2_brand1', parent_id: 't1_nc1', body: 'Sorry jane_doe, fixed.' } },
    ],
  },
};
const atom = `<feed><entry><author><name>/u/jane_doe</name><uri>https://www.reddit.com/user/jane_doe</uri></author>
<content type="html">submitted by &lt;a href=&quot;https://www.reddit.com/user/jane_doe&quot;&gt; /u/jane_doe &lt;/a&gt;</content></entry>
<entry><author><name>/u/O&apos;Brien &amp; Co</name></author><content>hi</content></entry></feed>`;

describe('personal values', () => {
  it('JSON: top-level author keys and ids, placeholders and short numbers left out', () => {
    const values = personalValuesOfJson(listing).map((v) => `${v.kind}:${v.value}`);
    expect(values).toEqual(['name:jane_doe', 'id:t2_8xk2q', 'name:AcmeCloudSupport', 'id:t2_brand1']);
    expect(personalValuesOfJson({ author: { id: 3, name: 'Ann Lee' } }).map((v) => v.value)).toEqual(['Ann Lee']);
  });

  it('JSON: inside a person object, names, ids, profile and avatar URLs, App Store label wrappers and user@instance', () => {
    const appstore = { feed: { entry: [{ author: { name: { label: 'Kiwi Dev' }, uri: { label: 'https://itunes.apple.com/nz/reviews/id1234567890' }, label: '' } }] } };
    expect(personalValuesOfJson(appstore)).toEqual([
      { value: 'Kiwi Dev', kind: 'name' },
      { value: 'https://itunes.apple.com/nz/reviews/id1234567890', kind: 'url' },
    ]);
    const mastodon = { account: { id: '109348590843', username: 'nadia', acct: 'nadia@hachyderm.io', display_name: 'Nadia R.', avatar: 'https://files.example/avatars/1.png', note: '<p>bio</p>', locale: 'en' } };
    expect(personalValuesOfJson(mastodon).map((v) => `${v.kind}:${v.value}`)).toEqual([
      'id:109348590843', 'name:nadia', 'name:nadia', 'name:Nadia R.', 'url:https://files.example/avatars/1.png',
    ]);
  });

  it('JSON: the people other services name under other keys (Stack Exchange, GitHub, WordPress)', () => {
    const se = { items: [{ comment_id: 88, owner: { user_id: 1234567, display_name: 'Ravi K', link: 'https://stackoverflow.com/users/1234567/ravi-k' }, reply_to_user: { user_id: 7654321, display_name: 'mo_dev' } }] };
    expect(personalValuesOfJson(se).map((v) => `${v.kind}:${v.value}`)).toEqual([
      'id:1234567', 'name:Ravi K', 'url:https://stackoverflow.com/users/1234567/ravi-k', 'id:7654321', 'name:mo_dev',
    ]);
    const gh = { assignees: [{ login: 'octo-dana', id: 3344556 }], closed_by: { login: 'octo-eli' }, author_association: 'NONE' };
    expect(personalValuesOfJson(gh).map((v) => v.value)).toEqual(['octo-dana', '3344556', 'octo-eli']);
    const wp = [{ id: 9, author: 0, author_name: 'Marta', author_url: 'https://marta.example/', author_avatar_urls: { '24': 'https://secure.gravatar.com/avatar/abc?s=24' } }];
    expect(personalValuesOfJson(wp).map((v) => v.value)).toEqual(['Marta', 'https://marta.example/', 'https://secure.gravatar.com/avatar/abc?s=24']);
  });

  it('kept accounts are left out whole, and what they hold is reported so it is spared elsewhere', () => {
    const kept = keptAccounts(['acmecloud.bsky.social', 'AcmeCloudSupport']);
    const spared = new Set<string>();
    const post = { author: { did: 'did:plc:brand7', handle: 'acmecloud.bsky.social', avatar: 'https://cdn.bsky.app/img/avatar/plain/did:plc:brand7/x@jpeg' } };
    expect(personalValuesOfJson(post, kept, spared)).toEqual([]);
    expect(spared.has('did:plc:brand7')).toBe(true);
    expect(personalValuesOfJson(listing, kept).map((v) => v.value)).toEqual(['jane_doe', 't2_8xk2q', 't2_brand1']);
    expect(kept('@acmecloudsupport')).toBe(true);
    expect(kept('/u/AcmeCloudSupport')).toBe(true);
    expect(kept('acme')).toBe(false);
  });

  it('markup: Atom authors without the /u/ prefix, decoded, RSS author emails, dc:creator, embedded JSON', () => {
    expect(personalValuesOfMarkup(atom).map((v) => `${v.kind}:${v.value}`)).toEqual([
      'name:jane_doe', 'url:https://www.reddit.com/user/jane_doe', "name:O'Brien & Co",
    ]);
    const rss = '<item><author>jo@example.com (Jo Bloggs)</author><dc:creator><![CDATA[Jo Bloggs]]></dc:creator></item>' +
      '<script id="__NEXT_DATA__" type="application/json">{"props":{"reviews":[{"consumer":{"id":"5f1a2b3c4d","displayName":"Kai M."}}]}}</script>';
    expect(personalValuesOfMarkup(rss).map((v) => `${v.kind}:${v.value}`)).toEqual([
      'email:jo@example.com', 'name:Jo Bloggs', 'name:Jo Bloggs', 'id:5f1a2b3c4d', 'name:Kai M.',
    ]);
  });

  it("parsed authors: handles, names, ids; a kept author's id is spared", () => {
    const spared = new Set<string>();
    const kept = keptAccounts(['acmecloud']);
    expect(personalValuesOfAuthors([{ handle: 'tomasz@mastodon.social', name: 'Tomasz', id: '111345678901234567' }, { handle: 'acmecloud', id: '109876543210987654' }], kept, spared)).toEqual([
      { value: 'tomasz', kind: 'name' },
      { value: 'Tomasz', kind: 'name' },
      { value: '111345678901234567', kind: 'id' },
    ]);
    expect([...spared]).toEqual(['109876543210987654']);
  });
});

describe('pseudonyms', () => {
  const values = [...personalValuesOfJson(listing, keptAccounts(['AcmeCloudSupport'])), ...personalValuesOfMarkup(atom)];
  const corpus = `${JSON.stringify(listing)}\n${atom}`;

  it('one per distinct value, in the form of the value, numbered in order of first sight, never a word already there', () => {
    const map = createPseudonymMap([...values, { value: 'did:plc:q3m7vxa2', kind: 'id' }, { value: '4401877', kind: 'id' }, { value: 'Maya Okafor', kind: 'name' }, { value: 'maya.bsky.social', kind: 'name' }, { value: 'https://www.reddit.com/user/maya_o', kind: 'url' }, { value: 'https://maya.example/', kind: 'url' }], `${corpus} user-2.bsky.social`);
    expect(Object.fromEntries(map)).toEqual({
      jane_doe: 'user-1',
      t2_8xk2q: 't2_pseudo1',
      't2_brand1': 't2_pseudo2',
      'https://www.reddit.com/user/jane_doe': 'https://www.reddit.com/pseudonymised/profile-1',
      "O'Brien & Co": 'Person 1',
      'did:plc:q3m7vxa2': 'did:plc:pseudonym0003',
      '4401877': '9000004',
      'Maya Okafor': 'Person 2',
      // user-2.bsky.social stands in the corpus already, so it is skipped.
      'maya.bsky.social': 'user-3.bsky.social',
      // Two people's URLs on reddit.com: a platform, whose origin stays; Maya's own site is personal, origin and all.
      'https://www.reddit.com/user/maya_o': 'https://www.reddit.com/pseudonymised/profile-2',
      'https://maya.example/': 'https://example.invalid/pseudonymised/profile-3',
    });
  });

  it('the same value gets the same pseudonym in every file and every spelling (HTML-escaped, URL-encoded), only where it stands whole', () => {
    const p = createPseudonymiser(createPseudonymMap(values, corpus));
    const json = p.text(JSON.stringify(listing));
    expect(json).toContain('"author":"user-1"');
    expect(json).toContain('thanks u/user-1, and janet too');
    expect(json).toContain('Sorry user-1, fixed.');
    expect(json).toContain('"author":"[deleted]"');
    expect(json).toContain('"parent_id":"t1_nc1"');
    const xml = p.text(atom);
    expect(xml).toContain('<name>/u/user-1</name><uri>https://example.invalid/pseudonymised/profile-1</uri>');
    expect(xml).toContain('href=&quot;https://example.invalid/pseudonymised/profile-1&quot;&gt; /u/user-1 &lt;/a&gt;');
    expect(xml).toContain('<name>/u/Person 1</name>');
    expect(p.leaks(json + xml)).toBeUndefined();
    expect(p.leaks('a reply to jane_doe')).toBe('jane_doe');
    expect(p.leaks('<name>O&#039;Brien &amp; Co</name>')).toBe("O'Brien & Co");
    expect(p.url('https://www.reddit.com/user/jane_doe/comments?sort=new&author=jane_doe')).toBe('https://www.reddit.com/user/user-1/comments?sort=new&author=user-1');
  });

  it("JSON as PHP writes it (WordPress): \\u00ed escapes and escaped slashes, and a value right after a \\n escape", () => {
    const p = createPseudonymiser(createPseudonymMap([{ value: 'Lucía Fernández', kind: 'name' }, { value: 'https://marta.example/', kind: 'url' }, { value: 'jane_doe', kind: 'name' }]));
    const raw = '{"author_name":"Luc\\u00eda Fern\\u00e1ndez","author_url":"https:\\/\\/marta.example\\/","body":"thanks\\n\\njane_doe and Luc\\u00EDa Fern\\u00E1ndez"}';
    const out = p.text(raw);
    expect(out).toBe('{"author_name":"Person 1","author_url":"https:\\/\\/example.invalid\\/pseudonymised\\/profile-1","body":"thanks\\n\\nuser-1 and Person 1"}');
    expect(p.leaks(out)).toBeUndefined();
    expect(p.leaks(raw)).toBe('Lucía Fernández');
    expect(JSON.parse(out)).toEqual({ author_name: 'Person 1', author_url: 'https://example.invalid/pseudonymised/profile-1', body: 'thanks\n\nuser-1 and Person 1' });
  });

  it('URLs: path segments and query values are decoded first, so a thread URL names the same pseudonymised DID as the body', () => {
    const p = createPseudonymiser(createPseudonymMap([{ value: 'did:plc:q3m7vxa2', kind: 'id' }]));
    const url = p.url('http://127.0.0.1:9/xrpc/app.bsky.feed.getPostThread?uri=at%3A%2F%2Fdid%3Aplc%3Aq3m7vxa2%2Fapp.bsky.feed.post%2F3mzx&depth=10');
    expect(new URL(url).searchParams.get('uri')).toBe('at://did:plc:pseudonym0001/app.bsky.feed.post/3mzx');
    expect(p.text('{"uri":"at://did:plc:q3m7vxa2/app.bsky.feed.post/3mzx"}')).toBe('{"uri":"at://did:plc:pseudonym0001/app.bsky.feed.post/3mzx"}');
    expect(p.url('https://api.example/accounts/did:plc:q3m7vxa2/statuses')).toBe('https://api.example/accounts/did%3Aplc%3Apseudonym0001/statuses');
  });

  it('is deterministic: the same values give the same map and the same bytes', () => {
    const a = createPseudonymiser(createPseudonymMap(values, corpus)).text(corpus);
    const b = createPseudonymiser(createPseudonymMap(values, corpus)).text(corpus);
    expect(a).toBe(b);
    expect(a).not.toBe(corpus);
  });
});
