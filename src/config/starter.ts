/** The commented starter earshot.yml that `earshot init` writes; every section explained, examples for the brand given. */

import { SOURCES } from '../sources/index.js';
import type { StarterNames } from '../sources/types.js';
import { OPTIONS } from './options.js';

/** The brand used in examples when none is given (fictional). */
export const PLACEHOLDER_BRAND = 'Acme Cloud';

/** YAML double-quoted scalar (JSON strings are valid YAML). */
function q(s: string): string {
  return JSON.stringify(s);
}

/** Each source's section, from its own `starter` metadata (registry order): listed when audited, else commented. */
function sourceSections(names: StarterNames): string {
  return Object.values(SOURCES)
    .flatMap((s) => {
      if (!s.starter) return [];
      const lines = s.starter.lines(names);
      return s.starter.audited ? [`  ${s.id}:`, ...lines.map((l) => `    # ${l}`)] : [`  # ${s.id}:`, ...lines.map((l) => `  #   ${l}`)];
    })
    .join('\n');
}

/** Builds the starter config text for `brand` (or the placeholder); it loads back without errors. */
export function starterConfig(brand?: string): string {
  const name = (brand ?? '').replace(/\s+/g, ' ').trim() || PLACEHOLDER_BRAND;
  const glued = name.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '') || 'acmecloud';
  const domain = `${glued}.example`;
  // Defaults come from the options table, so the starter shows what earshot does without it.
  const formats = `${OPTIONS.format.choices.slice(0, -1).join(', ')} or ${OPTIONS.format.choices.at(-1)}`;
  return `# earshot.yml: settings for \`earshot audit\`, \`fetch\` and \`analyze\` (docs/config.md lists every key).
# Flags on the command line win over EARSHOT_* environment variables, which win over this file.
# Written by \`earshot init\`; edit freely. Lines starting with # are comments.

# The brand to audit (required). Every mention is stamped with it.
brand: ${q(name)}${brand === undefined ? '   # an example: put your brand here (earshot init --brand NAME fills it in)' : ''}

# Other names people use for it. The default query looks for the brand OR any alias.
aliases:
  - ${q(glued)}

# The search, in earshot's query syntax (docs/query.md), applied the same way to every source:
#   "a phrase"  whole words in order (also matches them glued: #${glued}, ${glued}.com)
#   a OR b      either one (| works too);  a b  both;  -word or -"a phrase"  leave out
# Leave it out to search for the brand OR its aliases.
# query: '${q(name)} OR ${glued} -"${name.toLowerCase()} anvil"'

# Words or phrases that mark a mention as not about this brand (added to the query as exclusions).
exclude:
  - ${q(`${name.toLowerCase()} anvil`)}

# The brand's own accounts, per source (or "all"): their posts and replies are the brand's answers.
handles:
  all:
    - ${q(glued)}
  # reddit: [${q(`${glued}_support`)}]
  # github: [${q(`${glued}-bot`)}]

# Competitors audited alongside, with the same fields as the brand.
# competitors:
#   - name: "Globex Cloud"
#     aliases: ["globexcloud"]
#     handles:
#       all: ["globex"]

# Sources to read. Listed sources are audited unless "enabled: false"; \`earshot sources\` shows them all.
# Each may set baseUrl, rateLimit (requestsPerMinute, concurrency) and its own options.
sources:
${sourceSections({ glued, domain })}

# When the brand is open for replies; off-hours mentions are judged by the next opening (docs/business-hours.md).
businessHours: "Mon-Fri 09:00-17:00"
timezone: ${q(OPTIONS.tz.defaultValue)}
# Closed days, YYYY-MM-DD.
# holidays:
#   - "2026-12-25"

# The window to audit: a duration back from now (30d, 12h) or a date (2026-11-01).
since: ${q(OPTIONS.since.defaultValue)}
# until: "2026-11-30"

# Most mentions gathered per source.
limit: ${OPTIONS.limit.defaultValue}

# Longest one source may take in all; a source that runs out keeps what it fetched and is reported as timeout.
# sourceBudget: ${q(OPTIONS.sourceBudget.defaultValue)}

# The reply time the brand aims for: replies slower than this count as late.
replyTarget: "4h"

# Canned replies: near-identical brand replies used this many times are a template (never fewer than 2).
# canned:
#   minUses: 2
#   similarity: 0.85      # share of words two masked replies share to be one template, 0 to 1

# Published benchmarks (docs/benchmarks.md) the brand's figures are set against; false leaves them out.
# benchmarks: false
# How long each triage class may wait for a reply before it counts as overdue (these are the defaults).
# triage:
#   outage: "1h"          # a service down or a bug report
#   churn: "2h"           # "cancelling", "switching to"
#   complaint: "4h"
#   purchase: "8h"        # "is it worth it", "looking for a tool that"
#   question: "24h"

# Limits for alerting (cron jobs): with any of these set, earshot exits 1 when a figure breaches one.
# thresholds:
#   responseRate: 0.8     # share of complaints and questions answered, 0 to 1
#   medianReply: "4h"     # median time to the first brand reply
#   negativeShare: 0.3    # share of negative mentions, 0 to 1
#   sourceErrors: true    # exit 1 when any source failed (network, blocked, auth)

# Where reports go: format is ${formats}.
output:
  format: ${OPTIONS.format.defaultValue}
  # dir: reports

# Trend lines over the last 12 reports: the folder of earlier report.json files (or report folders).
# history: reports
`;
}
