// A user's script: imports the installed package by name, analyses the fixture mentions, prints what it got.
import { createReadStream } from 'node:fs';
import { analyze, readMentions, renderReport, plainStyle, SCHEMA_VERSION } from 'earshot';

const file = process.argv[2];
const report = await analyze(readMentions(createReadStream(file), { fileName: file, brand: 'Acme Cloud' }), {
  brand: 'Acme Cloud',
  now: new Date('2024-03-08T12:00:00Z'),
  businessHours: 'Mon-Fri 09:00-17:00',
  thresholds: { responseRate: 0.9 },
});
const table = [...renderReport('table', report, { style: plainStyle, width: 80, top: 3, rawCsv: false })].join('');
process.stdout.write(`${JSON.stringify({ schemaVersion: report.schemaVersion, expected: SCHEMA_VERSION, mentions: report.mentions.length, total: report.summary.overall.volume.total, rate: report.summary.overall.response.rate, breaches: report.breaches, tableStarts: table.split('\n')[0] })}\n`);
