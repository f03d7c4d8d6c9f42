/** The GitHub issues source: issues mentioning the brand and their comment threads. */
import type { Source } from '../types.js';
import { fetchGithub } from './fetch.js';

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
  // A bad token and the secondary (abuse) limits both come as 403 with a JSON message.
  hints: { authRequired: [/Bad credentials/i], quotaExceeded: [/secondary rate limit|API rate limit exceeded/i] },
  fetch: fetchGithub,
};
