/**
 * `npm run bench:memory`: similar-incident lookups against 10,000 past incidents in the embedded
 * store. Prints one JSON line: items read and milliseconds per lookup (mean, p50, p95, max). The
 * items read stay at the per-partition bound however many incidents share a service or an alarm.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoMemory } from '../adapters/aws/memory.js';
import { startEmbeddedDynamoDB } from '../adapters/embedded/dynamodb.js';
import { defaultConfig } from '../domain/config.js';
import { memoryKeys, partitionsOf, recordOf } from '../domain/memory/records.js';
import { CATEGORIES, type Incident } from '../domain/model.js';

const PAST = Number(process.env.PAST ?? 10_000);
const LOOKUPS = Number(process.env.LOOKUPS ?? 200);
const SERVICES = 20;
const ALARMS = 100;
const now = Date.parse('2026-11-20T00:00:00.000Z');

const pastIncident = (i: number): Incident => ({
  id: `inc-bench-${i}`,
  status: 'RESOLVED',
  title: `alarm-${i % ALARMS}`,
  service: `svc-${i % SERVICES}`,
  services: [`svc-${i % SERVICES}`, `svc-${(i + 1) % SERVICES}`],
  fingerprint: `cw:alarm-${i % ALARMS}`,
  source: 'cloudwatch-eventbridge',
  // Spread over a year, so the horizon (90 days by default) cuts through them.
  detectedAt: new Date(now - ((i * 3_153_600) % 31_536_000_000) - 60_000).toISOString(),
  updatedAt: new Date(now).toISOString(),
  escalationTier: 0,
  rootCause: {
    category: CATEGORIES[i % 8] ?? 'code',
    culprit: `culprit-${i % 7}`,
    summary: 'a cause',
    causalChain: [],
    confidence: 0.7,
    evidence: [],
    ruledOut: [],
    mitigation: null,
    degraded: false,
  },
});

const db = await startEmbeddedDynamoDB();
try {
  const memory = new DynamoMemory(db.doc, db.tableName);
  // Seeded with batch writes of the same items `remember` writes, 25 at a time.
  const items = Array.from({ length: PAST }, (_, i) => pastIncident(i)).flatMap((inc) =>
    partitionsOf(inc).map((pk) => ({ pk, sk: memoryKeys.sort(inc.detectedAt, inc.id), ...recordOf(inc) })),
  );
  const seedStart = performance.now();
  for (let i = 0; i < items.length; i += 25) {
    await db.doc.send(
      new BatchWriteCommand({
        RequestItems: { [db.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const bounds = defaultConfig().memory;
  const times: number[] = [];
  const reads: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const current = { ...pastIncident(PAST + i), detectedAt: new Date(now).toISOString() };
    const start = performance.now();
    const result = await memory.similar(current, bounds);
    times.push(performance.now() - start);
    reads.push(result.itemsRead);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({
      pastIncidents: PAST,
      indexItems: items.length,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      lookups: LOOKUPS,
      bounds,
      itemsReadPerLookup: { mean: reads.reduce((a, b) => a + b, 0) / reads.length, max: Math.max(...reads) },
      msPerLookup: {
        mean: Math.round((times.reduce((a, b) => a + b, 0) / times.length) * 10) / 10,
        p50: pct(0.5),
        p95: pct(0.95),
        max: pct(1),
      },
    })}\n`,
  );
} finally {
  await db.close();
}
