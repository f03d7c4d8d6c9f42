import { describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINES, deadlinesWith } from '../../../src/analysis/deadlines.js';
import { deadlinesFrom } from '../../../src/cli/resolve.js';
import { parseConfigText } from '../../../src/config/load.js';
import { mergeSettings } from '../../../src/config/merge.js';

async function refused(text: string): Promise<string> {
  try {
    await parseConfigText(text, 'earshot.yml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('triage deadlines in earshot.yml and --deadline', () => {
  it('reads `triage:` durations, keeping the defaults for classes left out', async () => {
    const { config } = await parseConfigText('brand: Acme\ntriage: { outage: 30m, complaint: 2h }\n', 'earshot.yml');
    expect(config.triage).toEqual({ outage: '30m', complaint: '2h' });
    const merged = mergeSettings({}, {}, config, {});
    const minutes = deadlinesFrom({ triage: merged.triage as Record<string, string>, deadline: undefined });
    expect(minutes).toEqual({ outage: 30, complaint: 120 });
    expect(deadlinesWith(minutes)).toEqual({ ...DEFAULT_DEADLINES, outage: 30, complaint: 120 });
  });

  it('lets --deadline override the config, class by class', () => {
    expect(deadlinesFrom({ triage: { outage: '30m', question: '48h' }, deadline: ['outage=15m'] })).toEqual({ outage: 15, question: 2880 });
    expect(deadlinesFrom({ triage: {}, deadline: undefined })).toBeUndefined();
  });

  it('refuses an unknown class, a number without a unit and a bad flag entry, naming them', async () => {
    expect(await refused('brand: Acme\ntriage: { outgae: 1h }\n')).toMatch(/triage\.outgae: unknown key \(did you mean outage\?\)/);
    expect(await refused('brand: Acme\ntriage: { outage: 60 }\n')).toMatch(/triage\.outage: found a number \(60\), expected a duration such as "4h"/);
    expect(await refused('brand: Acme\ntriage: { outage: "60" }\n')).toMatch(/triage\.outage: .*expected a duration/);
    expect(() => deadlinesFrom({ triage: {}, deadline: ['praise=1h'] })).toThrow(/--deadline: found "praise=1h", expected class=duration with class one of outage, churn, complaint, purchase, question/);
    expect(() => deadlinesFrom({ triage: {}, deadline: ['outage=soon'] })).toThrow(/--deadline outage/);
  });
});
