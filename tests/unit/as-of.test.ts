/** Issue #14 item 2: the as-of time caps the data. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { brandReply, mention } from '../helpers/make-mention.js';

const NOW = new Date('2017-11-01T00:00:00Z');

describe('the as-of time', () => {
  it('counts nothing created after it, a reply after it answers nothing, and "open for" runs to it', async () => {
    const mentions = [
      mention('q', '2017-10-31T22:00:00Z', 'How do I reset my password?'),
      brandReply('r', '2017-11-02T09:00:00Z', 'q', 'Use the reset link on the login page.'),
      mention('late', '2017-11-05T10:00:00Z', 'Why is my invoice wrong?'),
    ];
    const report = await analyze(mentions, { now: NOW, brand: 'Acme' });
    const o = report.summary.overall;
    expect(o.volume.total).toBe(1);
    expect(o.response.needingReply).toBe(1);
    expect(o.response.answered).toBe(0);
    expect(report.mentions.map((m) => m.id)).toEqual(['t:q']);
    expect(report.mentions[0]!.response.openMinutes).toBe(120);
    expect(o.volume.byDay.map((d) => d.date)).toEqual(['2017-10-31']);
    expect(report.warnings).toContain('2 mentions were created after the as-of time 2017-11-01T00:00:00.000Z and left out of every figure (set --now to a later time to count them).');
  });
});
