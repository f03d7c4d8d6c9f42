// A user's script: audits Hacker News through the installed package, with HN's base URL pointed at argv[2].
import { audit, planAudit } from 'earshot';

const plan = planAudit({
  brand: 'acme cloud',
  sources: ['hn'],
  handles: ['AcmeCloudSupport'],
  since: '2026-11-09',
  now: new Date('2026-11-23T09:00:00Z'),
  options: { hn: { hitsPerPage: 4 } },
  baseUrls: { hn: process.argv[2] },
  // The polite default would make the test wait; a local fixture server does not mind.
  rateLimits: { hn: { requestsPerMinute: 6000 } },
  timeZone: 'America/New_York',
  businessHours: 'Mon-Fri 09:00-17:00',
});
const report = await audit(plan);
process.stdout.write(`${JSON.stringify(report)}\n`);
