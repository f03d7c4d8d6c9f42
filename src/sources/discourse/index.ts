/** The Discourse source: a brand's community forum (base URL = the forum). */
import type { Source } from '../types.js';
import { fetchDiscourse } from './fetch.js';
import { bool, strings } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { parseTopic } from './parse.js';

/** Discourse forum topics and replies via the public JSON API (no key for public forums). */
export const discourseSource: Source = {
  id: 'discourse',
  title: 'Discourse forum',
  needs:
    'the forum base URL (e.g. https://community.acmecloud.example) and a query; options brandGroups (group names), staffIsBrand (default true); DISCOURSE_API_KEY + DISCOURSE_API_USERNAME only for login-required forums',
  tokenEnv: ['DISCOURSE_API_KEY', 'DISCOURSE_API_USERNAME'],
  // No default: every brand runs its own forum, so the base URL must be given (fetch says so when it is not).
  defaultBaseUrl: '',
  // Discourse's default per-IP limit is 200 requests/min (50 per 10 s); stay well below it.
  rateLimit: { requestsPerMinute: 60, concurrency: 2 },
  brandReplySignal:
    'post flags staff/admin/moderator (unless staffIsBrand is false), primary_group_name or flair_name in brandGroups, or username in brandHandles',
  // A brand's own community forum: every topic is about the brand, whether or not it names it.
  filterLocally: false,
  scope: 'brand-owned',
  options: {
    brandGroups: { type: 'list of strings', description: "group names whose members speak for the brand", schema: strings('a list of group names') },
    staffIsBrand: { type: 'boolean', description: "staff, admins and moderators count as the brand", default: true, schema: bool() },
  },
  parsers: {
    topic: (body, ctx) => pageResult(parseTopic(body, { baseUrl: URL.canParse(ctx.url) ? new URL(ctx.url).origin : ctx.url, query: ctx.query })),
  },
  starter: { lines: ({ domain }) => [`baseUrl: "https://community.${domain}"`, 'brandGroups: ["staff"]'] },
  scenario: { options: () => ({ brandGroups: 'acme_staff' }) },
  // Forums that need a login answer 403 with error_type "login_required".
  hints: { authRequired: [/"login_required"/i] },
  fetch: fetchDiscourse,
};
