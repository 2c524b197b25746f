/**
 * `firebreak report`: exact figures on incidents with known timestamps (a fixed clock), and the
 * same report over a batch of real local runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import { type EmbeddedDynamoDB, withLocalStore } from '../../../adapters/embedded/dynamodb.js';
import { renderReport, reportFromStore } from '../../../bin/commands/report.js';
import { ManualClock } from '../../../domain/clock.js';
import { buildReport, parseSince } from '../../../domain/metrics/report.js';
import type { Category, Incident } from '../../../domain/model.js';
import { anIncident, aRootCause } from '../../support/incidents.js';
import { fixture, run, tempDir } from '../../support/response-harness.js';
import { startTestStore } from '../../support/store.js';

const at = (minutes: number) =>
  new Date(Date.parse('2026-05-10T12:00:00.000Z') + minutes * 60_000).toISOString();

function incident(id: string, o: Partial<Incident> & { t: number }): Incident {
  const { t, ...rest } = o;
  return anIncident({
    id,
    status: 'RESOLVED',
    severity: 'SEV2',
    title: id,
    detectedAt: at(t),
    updatedAt: at(t),
    ...rest,
  });
}

const rc = (category: Category) => aRootCause({ category, summary: category });

describe('report with a fixed clock', () => {
  let db: EmbeddedDynamoDB;
  let store: DynamoIncidentStore;
  beforeAll(async () => {
    ({ db, store } = await startTestStore());
    const items = [
      { id: 'AI-1', title: 'a', owner: 'x', due: '2026-05-12', status: 'open' as const },
      { id: 'AI-2', title: 'b', owner: 'x', due: '2026-05-30', status: 'open' as const },
      { id: 'AI-3', title: 'c', owner: 'x', due: '2026-05-11', status: 'closed' as const, closedAt: at(60) },
    ];
    for (const i of [
      // SEV1: acknowledged after 4 and 6 min, resolved after 30 and 50 min.
      incident('s1-a', {
        t: 0,
        severity: 'SEV1',
        impactStartedAt: at(-5),
        declaredAt: at(1),
        acknowledgedAt: at(4),
        mitigatedAt: at(10),
        resolvedAt: at(30),
        rootCause: rc('deployment'),
        fingerprint: 'fp-checkout-5xx',
        actionItems: items,
      }),
      incident('s1-b', {
        t: 1440,
        severity: 'SEV1',
        declaredAt: at(1441),
        acknowledgedAt: at(1446),
        resolvedAt: at(1490),
        rootCause: rc('deployment'),
        fingerprint: 'fp-checkout-5xx',
      }),
      // SEV2: one resolved in 20 min, one still open (not in MTTR), the same service and cause as s2-a.
      incident('s2-a', {
        t: 2000,
        service: 'search',
        services: ['search'],
        declaredAt: at(2002),
        acknowledgedAt: at(2010),
        resolvedAt: at(2020),
        rootCause: rc('capacity'),
      }),
      incident('s2-b', {
        t: 3000,
        service: 'search',
        services: ['search'],
        status: 'ACTIVE',
        escalationTier: 2,
        declaredAt: at(3001),
        rootCause: rc('capacity'),
      }),
      // SEV4 ticket, no acknowledgement; and one too old for the window.
      incident('s4-a', { t: 4000, severity: 'SEV4', status: 'TICKETED', rootCause: rc('code') }),
      incident('old', {
        t: -20_000,
        severity: 'SEV1',
        declaredAt: at(-19_999),
        acknowledgedAt: at(-19_990),
        resolvedAt: at(-19_000),
      }),
    ]) {
      await store.create(i);
    }
  });
  afterAll(async () => db.close());

  it('counts by severity, MTTA/MTTR by severity, causes, repeats and action items over the window', async () => {
    const clock = new ManualClock(at(5000)); // 3.5 days after the first; "old" is 17.4 days before now
    const r = await reportFromStore(store, { since: '7d', clock });
    expect(r.total).toBe(5);
    expect(r.bySeverity).toEqual({ SEV1: 2, SEV2: 2, SEV3: 0, SEV4: 1, unclassified: 0 });
    expect(r.byStatus).toEqual({ RESOLVED: 3, ACTIVE: 1, TICKETED: 1 });
    expect(r.response.SEV1).toEqual({
      incidents: 2,
      acknowledged: 2,
      resolved: 2,
      mttdSeconds: 300,
      mttaSeconds: (4 * 60 + 6 * 60) / 2,
      mttmSeconds: 600,
      mttrSeconds: (30 * 60 + 50 * 60) / 2,
    });
    expect(r.response.SEV2).toMatchObject({
      incidents: 2,
      acknowledged: 1,
      resolved: 1,
      mttaSeconds: 600,
      mttrSeconds: 1200,
    });
    expect(r.response.SEV4).toMatchObject({
      incidents: 1,
      acknowledged: 0,
      resolved: 0,
      mttaSeconds: null,
      mttrSeconds: null,
    });
    expect(r.topCategories).toEqual([
      { category: 'capacity', incidents: 2 },
      { category: 'deployment', incidents: 2 },
      { category: 'code', incidents: 1 },
    ]);
    expect(r.repeats).toEqual([
      { by: 'fingerprint', key: 'fp-checkout-5xx', incidents: ['s1-a', 's1-b'] },
      { by: 'service+category', key: 'search/capacity', incidents: ['s2-a', 's2-b'] },
    ]);
    expect(r.actionItems).toEqual({ open: 2, closed: 1, overdue: 1 });
    const text = renderReport(r).join('\n');
    expect(text).toMatch(/SEV1 +2 +2 +2 +5 min +5 min +10 min +40 min/);
    expect(text).toMatch(/SEV2 +2 +1 +1 +— +10 min +— +20 min/);
    expect(text).toContain('same alert fp-checkout-5xx: 2× (s1-a, s1-b)');
    expect(text).toContain('Action items: 2 open (1 overdue), 1 closed');
    // A wider window takes in the old incident.
    const month = buildReport(await store.list({ limit: 100 }), {
      now: clock.now(),
      sinceSeconds: parseSince('4w'),
    });
    expect(month.bySeverity.SEV1).toBe(3);
    expect(month.response.SEV1.mttrSeconds).toBe(Math.round((30 * 60 + 50 * 60 + 1000 * 60) / 3));
  });

  it('refuses a window it cannot read', () => {
    for (const bad of ['7', '7x', '-1d', '0d', 'week'])
      expect(() => parseSince(bad)).toThrow(/--since must look like/);
    expect(parseSince('90m')).toBe(5400);
    expect(parseSince('2w')).toBe(1_209_600);
    expect(parseSince('6mo')).toBe(6 * 30 * 86_400);
    expect(parseSince('1y')).toBe(365 * 86_400);
  });

  it('says how many incidents lie outside the window and which window shows them', async () => {
    const now = new Date('2026-12-06T05:00:00.000Z');
    const old = incident('old-1', { t: 0, detectedAt: '2026-03-10T14:07:00.000Z' });
    const r = buildReport([old], { now, sinceSeconds: parseSince('7d') });
    expect(r.total).toBe(0);
    expect(r.outside).toEqual({ incidents: 1, oldest: old.detectedAt, since: '271d' });
    const text = renderReport(r).join('\n');
    expect(text).toContain('No incidents in this window.');
    expect(text).toContain(
      '1 older incident(s) lie outside this window (the oldest detected 2026-03-10); see them with: firebreak report --since 271d',
    );
    expect(buildReport([old], { now, sinceSeconds: parseSince('271d') }).total).toBe(1);
  });
});

describe('report after a batch of local runs', () => {
  it('counts what ran and averages what the incidents recorded', async () => {
    const dataDir = tempDir();
    const rollback = (target: string) => ({ kind: 'rollback' as const, target, params: {} });
    const runs = [
      await run(fixture('sev1-payments-rollback'), {
        dataDir,
        script: { severity: 'SEV1', mitigation: rollback('payments-api') },
      }),
      await run(fixture('sev3-reports-rollback'), {
        dataDir,
        script: { severity: 'SEV3', mitigation: rollback('report-exporter') },
      }),
      await run(fixture('sev3-reports-rollback'), {
        dataDir,
        script: { severity: 'SEV3', mitigation: rollback('report-exporter') },
      }),
      await run(fixture('sev4-admin-cosmetic'), { dataDir, script: { severity: 'SEV4', category: 'code' } }),
      await run(fixture('sev2-checkout-needs-rollback'), {
        dataDir,
        approve: 'deny',
        script: { severity: 'SEV2', mitigation: rollback('checkout') },
        config: { monitorDeadlineMinutes: 35 },
      }),
    ];
    const latest = Math.max(...runs.map((r) => Date.parse(r.incident.updatedAt)));
    const r = await withLocalStore(dataDir, (store) =>
      reportFromStore(store, { since: '1d', clock: new ManualClock(new Date(latest + 60_000)) }),
    );
    expect(r.total).toBe(5);
    expect(r.bySeverity).toEqual({ SEV1: 1, SEV2: 1, SEV3: 2, SEV4: 1, unclassified: 0 });
    // The SEV4 fixture's alarm clears by itself, so its ticket closes as resolved.
    expect(r.byStatus).toMatchObject({ RESOLVED: 4 });
    expect(r.byStatus.TICKETED ?? 0).toBe(0);
    const meanResolve = (sev: string) => {
      const resolved = runs.map((x) => x.incident).filter((i) => i.severity === sev && i.resolvedAt);
      // Whole seconds per incident, then the mean: the report's documented definition.
      const total = resolved.reduce(
        (s, i) => s + Math.round((Date.parse(i.resolvedAt as string) - Date.parse(i.detectedAt)) / 1000),
        0,
      );
      return Math.round(total / resolved.length);
    };
    expect(r.response.SEV1.mttrSeconds).toBe(meanResolve('SEV1'));
    expect(r.response.SEV3.mttrSeconds).toBe(meanResolve('SEV3'));
    expect(r.response.SEV1.mttrSeconds).toBeGreaterThan(15 * 60); // the fixture recovers 14 min after the rollback
    // Every run here was answered by --approve auto/deny: nobody acknowledged anything.
    expect(r.response.SEV2).toMatchObject({ incidents: 1, acknowledged: 0, resolved: 0, mttrSeconds: null });
    expect(r.response.SEV1).toMatchObject({ acknowledged: 0, mttaSeconds: null });
    expect(r.repeats).toEqual([
      {
        by: 'fingerprint',
        key: runs[1].incident.fingerprint,
        incidents: expect.arrayContaining([runs[1].incident.id, runs[2].incident.id]),
      },
    ]);
    expect(r.actionItems.open).toBe(runs.reduce((n, x) => n + (x.incident.actionItems?.length ?? 0), 0));
    expect(r.actionItems.closed).toBe(0);
  });
});
