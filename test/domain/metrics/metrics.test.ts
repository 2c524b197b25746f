/** Response metrics: one definition for the postmortem, the report and CloudWatch (EMF). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import type { EmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import { ScenarioEnvironment } from '../../../adapters/embedded/scenario/environment.js';
import { Scenario } from '../../../adapters/embedded/scenario/schema.js';
import { ManualClock } from '../../../domain/clock.js';
import { EmfMetricsSink, emfDocument, incidentFigures } from '../../../domain/metrics/emf.js';
import { emitResponseMetrics } from '../../../domain/metrics/emit.js';
import { estimateImpactStart } from '../../../domain/metrics/onset.js';
import { formatDuration, responseMetrics } from '../../../domain/metrics/response.js';
import type { Incident } from '../../../domain/model.js';
import { anIncident } from '../../support/incidents.js';
import { fixture } from '../../support/response-harness.js';
import { startTestStore } from '../../support/store.js';

const incident: Incident = anIncident({
  id: 'inc-metrics-1',
  status: 'RESOLVED',
  severity: 'SEV1',
  title: 'payments-api-5xx',
  service: 'payments-api',
  services: ['payments-api'],
  fingerprint: 'fp',
  impactStartedAt: '2026-05-04T09:23:00.000Z',
  detectedAt: '2026-05-04T09:30:00.000Z',
  declaredAt: '2026-05-04T09:30:30.000Z',
  acknowledgedAt: '2026-05-04T09:34:00.000Z',
  mitigatedAt: '2026-05-04T09:35:00.000Z',
  resolvedAt: '2026-05-04T09:55:00.000Z',
  updatedAt: '2026-05-04T09:55:00.000Z',
  escalationTier: 1,
});

describe('response metrics', () => {
  it('measures each milestone in seconds; what never happened stays undefined', () => {
    expect(responseMetrics(incident)).toEqual({
      seconds: { detect: 420, declare: 30, acknowledge: 240, mitigate: 300, resolve: 1500 },
      impactSeconds: 1920,
    });
    const open = responseMetrics({
      ...incident,
      impactStartedAt: undefined,
      mitigatedAt: undefined,
      resolvedAt: undefined,
    });
    expect(open.seconds).toMatchObject({ detect: undefined, mitigate: undefined, resolve: undefined });
    expect(open.impactSeconds).toBeUndefined();
    expect([
      formatDuration(372),
      formatDuration(3900),
      formatDuration(7200),
      formatDuration(undefined),
    ]).toEqual(['6.2 min', '1 h 5 min', '2 h', 'n/a']);
  });

  it('writes one valid CloudWatch EMF document per incident, cut by severity and service', () => {
    const lines: string[] = [];
    const figures = incidentFigures(incident);
    expect(figures).toEqual({
      Incidents: 1,
      EscalationTier: 1,
      TimeToDetect: 420,
      TimeToDeclare: 30,
      TimeToAcknowledge: 240,
      TimeToMitigate: 300,
      TimeToResolve: 1500,
      ImpactDuration: 1920,
    });
    const at = new Date('2026-05-04T09:56:00.000Z');
    new EmfMetricsSink((l) => lines.push(l)).record(
      figures,
      { Severity: 'SEV1', Service: 'payments-api', incidentId: incident.id },
      at,
    );
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]);
    expect(doc).toEqual(
      emfDocument(figures, { Severity: 'SEV1', Service: 'payments-api' }, at, { incidentId: incident.id }),
    );
    const directive = doc._aws.CloudWatchMetrics[0];
    expect(doc._aws.Timestamp).toBe(at.getTime());
    expect(directive.Namespace).toBe('Firebreak');
    expect(directive.Dimensions).toEqual([['Severity'], ['Severity', 'Service']]);
    // Every metric named in the directive is a number at the top level; every dimension a string.
    for (const m of directive.Metrics) expect(typeof doc[m.Name], m.Name).toBe('number');
    expect(directive.Metrics.find((m: { Name: string }) => m.Name === 'TimeToResolve').Unit).toBe('Seconds');
    expect(doc.Severity).toBe('SEV1');
    expect(doc.incidentId).toBe(incident.id); // a property, never a dimension (cardinality)
    expect(directive.Dimensions.flat()).not.toContain('incidentId');
  });

  it('estimates when users were first affected from the service’s own metrics', async () => {
    const scenario = Scenario.parse(fixture('sev1-payments-rollback'));
    const env = new ScenarioEnvironment(
      scenario,
      new ManualClock('2026-05-04T09:30:00Z'),
      '2026-05-04T09:30:00Z',
    );
    expect(await estimateImpactStart(env, { ...incident, impactStartedAt: undefined })).toBe(
      '2026-05-04T09:23:00.000Z',
    );
    expect(
      await estimateImpactStart(env, { ...incident, service: 'unknown-service', services: [] }),
    ).toBeUndefined();
  });
});

describe('emitting once', () => {
  let db: EmbeddedDynamoDB;
  let store: DynamoIncidentStore;
  beforeAll(async () => {
    ({ db, store } = await startTestStore());
  });
  afterAll(async () => db.close());

  it('records the figures on the timeline and to the sink once, even when the phase is retried', async () => {
    await store.create(incident);
    const recorded: Array<Record<string, number>> = [];
    const ports = {
      store,
      clock: new ManualClock('2026-05-04T09:56:00Z'),
      metrics: { record: async (f: Record<string, number>) => void recorded.push(f) },
    };
    expect(await emitResponseMetrics(ports, incident)).toMatchObject({ TimeToResolve: 1500 });
    expect(await emitResponseMetrics(ports, incident)).toBeUndefined();
    expect(recorded).toHaveLength(1);
    const events = (await store.timeline(incident.id)).filter((e) => e.type === 'response-metrics');
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ TimeToAcknowledge: 240 });
  });
});
