import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import type { NormalizedAlert } from '../../../domain/model.js';
import type { Ports } from '../../../domain/ports.js';
import { checkRecovery } from '../../../lambdas/check-recovery/index.js';
import { anIncident } from '../../support/incidents.js';
import { testPorts } from '../../support/ports.js';

let db: EmbeddedDynamoDB;
let ports: Ports;
beforeAll(async () => {
  ({ ports, db } = await testPorts('2026-11-20T10:20:00Z'));
});
afterAll(async () => db.close());

const alert = (status: 'firing' | 'resolved', startedAt: string): NormalizedAlert => ({
  source: 'pagerduty-v3',
  sourceEventId: `evt-${status}`,
  fingerprint: 'pagerduty:Q1',
  status,
  title: '[orders-api] p95 latency above 2s',
  description: '',
  resources: [],
  startedAt,
  links: [],
  labels: {},
  raw: {},
});

const monitor = { checks: 0, healthyChecks: 0, waitSeconds: 300, lastUpdateAt: null };

describe('CheckRecovery for a source with no CloudWatch alarm', () => {
  it('stays unhealthy while the source has only said firing, and counts its resolution as healthy', async () => {
    await ports.store.create(
      anIncident({
        id: 'inc-pd-1',
        status: 'ACTIVE',
        severity: 'SEV2',
        title: '[orders-api] p95 latency above 2s',
        service: undefined,
        services: ['orders-api'],
        fingerprint: 'pagerduty:Q1',
        source: 'pagerduty-v3',
        detectedAt: '2026-11-20T10:06:00.000Z',
        declaredAt: '2026-11-20T10:06:00.000Z',
        updatedAt: '2026-11-20T10:06:00.000Z',
      }),
    );
    await ports.store.linkAlert('inc-pd-1', alert('firing', '2026-11-20T10:06:00.000Z'));
    const before = await checkRecovery({ incidentId: 'inc-pd-1', monitor }, ports);
    expect(before).toMatchObject({ healthyChecks: 0, alarm: 'ALARM' });

    await ports.store.linkAlert('inc-pd-1', alert('resolved', '2026-11-20T10:18:00.000Z'));
    const after = await checkRecovery({ incidentId: 'inc-pd-1', monitor: before }, ports);
    expect(after).toMatchObject({ healthyChecks: 1, alarm: 'OK', next: 'wait' });
    const confirmed = await checkRecovery({ incidentId: 'inc-pd-1', monitor: after }, ports);
    expect(confirmed).toMatchObject({ healthyChecks: 2, next: 'resolve' });
  });
});
