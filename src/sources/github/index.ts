/** The GitHub issues source: issues mentioning the brand and their comment threads. */
import type { Source } from '../types.js';
import * as v from 'valibot';
import { fetchGithub } from './fetch.js';
import { oneOrList, positiveInt, strings } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { issueMentionId, parseIssueComments, parseSearchIssues } from './parse.js';

/** GitHub issues + comments via the REST API (`GITHUB_TOKEN` optional). */
export const githubSource: Source = {
  id: 'github',
  title: 'GitHub issues',
  needs:
    'a query; options repos (owner/name list) or org to scope, brandOrgs for more brand-owned orgs; GITHUB_TOKEN optional (raises 10→30 searches/min and 60→5,000 requests/h)',
  tokenEnv: ['GITHUB_TOKEN'],
  defaultBaseUrl: 'https://api.github.com',
  // Keyless search allows 10 requests a minute; the token raises it to 30, but the default stays polite.
  rateLimit: { requestsPerMinute: 10, concurrency: 1 },
  brandReplySignal:
    'author_association OWNER/MEMBER/COLLABORATOR in repositories of org/brandOrgs/repos, or a login in brandHandles; bots ([bot], type Bot) never count',
  scope: 'search',
  options: {
    repos: { type: 'list of owner/name', description: 'repositories to search (their maintainers are the brand)', schema: strings('a list of owner/name repositories') },
    org: { type: 'list of strings', description: 'organisations to search (their members are the brand)', schema: strings('a list of organisations') },
    brandOrgs: { type: 'list of strings', description: 'more brand-owned organisations', schema: oneOrList(v.string('an organisation name'), 'a list of organisations') },
    perPage: { type: 'whole number 1-100', description: 'search results per page', schema: positiveInt('a whole number from 1 to 100') },
    maxCommentRequests: { type: 'whole number ≥ 1', description: 'most comment-page requests in a run', schema: positiveInt('a whole number, at least 1') },
  },
  parsers: {
    'search-issues': (body, ctx) => pageResult(parseSearchIssues(body, ctx.query)),
    'issue-comments': (body, ctx) => {
      const [, repo = 'unknown/unknown', n = '0'] = /\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments/.exec(ctx.url) ?? [];
      const number = Number(n);
      return pageResult(parseIssueComments(body, { mentionId: issueMentionId(repo, number), repo, number, comments: 0 }, ctx.query));
    },
  },
  starter: { lines: ({ glued }) => [`repos: ["${glued}/cli"]`] },
  scenario: { options: () => ({ brandOrgs: 'acmecloud' }) },
  // A bad token and the secondary (abuse) limits both come as 403 with a JSON message.
  hints: { authRequired: [/Bad credentials/i], quotaExceeded: [/secondary rate limit|API rate limit exceeded/i] },
  fetch: fetchGithub,
};
