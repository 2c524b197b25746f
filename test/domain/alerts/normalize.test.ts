import { describe, expect, it } from 'vitest';
import { detectSource, normalize, normalizeDelivery } from '../../../domain/alerts/normalize.js';
import { ValidationError } from '../../../domain/errors.js';
import { intentOf } from '../../../domain/ingest/intent.js';
import { fixture, pagerDutyEvent, variant } from '../../lambdas/ingest/fixtures.js';

const receivedAt = '2026-11-20T12:00:00.000Z';
const one = (payload: unknown, source?: Parameters<typeof normalize>[1]['source']) => {
  const alerts = normalize(payload, { source, receivedAt });
  expect(alerts).toHaveLength(1);
  return alerts[0];
};
const refusal = (payload: unknown, source?: Parameters<typeof normalize>[1]['source']) => {
  try {
    normalize(payload, { source, receivedAt });
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('CloudWatch via EventBridge', () => {
  it('normalizes a single-metric alarm with tags: service, severity, fingerprint, time, links', () => {
    const a = one(fixture('eventbridge-alarm'));
    expect(a).toMatchObject({
      source: 'cloudwatch-eventbridge',
      sourceEventId: '0b4f6d2e-1c3a-4e5f-9a8b-7c6d5e4f3a21',
      fingerprint: 'cloudwatch:210987654321:eu-west-1:checkout-api-5xx',
      status: 'firing',
      title: 'checkout-api-5xx',
      service: 'checkout-api',
      severityHint: 'SEV1',
      startedAt: '2026-11-20T10:04:00.123Z',
    });
    expect(a.description).toContain('checkout-api target 5xx above 25/min');
    expect(a.description).toContain('Threshold Crossed');
    expect(a.links[0]).toContain('region=eu-west-1#alarmsV2:alarm/checkout-api-5xx');
    expect(a.region).toBe('eu-west-1');
    expect(a.labels).toMatchObject({
      alarmType: 'metric',
      state: 'ALARM',
      previousState: 'OK',
      team: 'payments',
    });
    expect(a.labels.LoadBalancer).toBe('app/checkout-api/0a1b2c3d4e5f6a7b');
    expect(a.raw).toEqual(fixture('eventbridge-alarm'));
  });

  it('maps OK to resolved and INSUFFICIENT_DATA to a note that pages nobody', () => {
    const ok = one(variant('eventbridge-alarm', (d) => (d.detail.state.value = 'OK')));
    expect(ok.status).toBe('resolved');
    expect(intentOf(ok)).toBe('resolve');
    const unknown = one(variant('eventbridge-alarm', (d) => (d.detail.state.value = 'INSUFFICIENT_DATA')));
    expect(unknown.status).toBe('info');
    expect(intentOf(unknown)).toBe('note');
  });

  it('records a composite alarm whose actions are suppressed, naming the triggering child', () => {
    const a = one(fixture('eventbridge-composite-suppressed'));
    expect(a.status).toBe('info');
    expect(a.labels).toMatchObject({
      alarmType: 'composite',
      actionsSuppressedBy: 'WaitPeriod',
      triggeringAlarms: 'orders-latency-p99',
    });
    expect(a.resources).toContain('arn:aws:cloudwatch:eu-west-1:210987654321:alarm:orders-latency-p99');
    expect(a.description).toContain('Actions suppressed by WaitPeriod');
  });

  it('fires a composite alarm once its actions are no longer suppressed', () => {
    const a = one(
      variant('eventbridge-composite-suppressed', (d) => {
        delete d.detail.state.actionsSuppressedBy;
        delete d.detail.state.actionsSuppressedReason;
      }),
    );
    expect(a.status).toBe('firing');
    expect(a.description).toContain('Triggered by orders-latency-p99');
  });

  it('tells anomaly-detection, metric-math and Metrics Insights alarms apart', () => {
    const withMetrics = (metrics: unknown[]) =>
      one(variant('eventbridge-alarm', (d) => (d.detail.configuration.metrics = metrics))).labels.alarmType;
    expect(withMetrics([{ id: 'm1' }, { id: 'ad1', expression: 'ANOMALY_DETECTION_BAND(m1, 2)' }])).toBe(
      'anomaly-detection',
    );
    expect(withMetrics([{ id: 'e1', expression: 'm1/m2' }])).toBe('metric-math');
    expect(withMetrics([{ id: 'q1', expression: 'SELECT AVG(CPUUtilization) FROM "AWS/EC2"' }])).toBe(
      'metrics-insights',
    );
  });

  it('fingerprints a contributor event as its alarm, titled by the contributor', () => {
    const a = one(fixture('eventbridge-contributor'));
    expect(a.fingerprint).toBe('cloudwatch:210987654321:eu-west-1:tables-write-throttles');
    expect(a.title).toBe('tables-write-throttles (TableName=carts)');
    expect(a.status).toBe('firing');
    expect(a.labels).toMatchObject({ contributorId: '9f8e7d6c5b4a3921', 'contributor.TableName': 'carts' });
    // The mute window (tomorrow) does not cover this transition.
    expect(a.labels.mutedBy).toBeUndefined();
    const recovered = one(variant('eventbridge-contributor', (d) => (d.detail.state.value = 'OK')));
    expect(recovered.status).toBe('info');
  });

  it('records an alarm that a mute rule covers instead of paging', () => {
    const a = one(
      variant('eventbridge-contributor', (d) => {
        d['detail-type'] = 'CloudWatch Alarm State Change';
        delete d.detail.alarmContributor;
        d.detail.state.timestamp = '2026-11-21T02:00:00.000+0000';
      }),
    );
    expect(a.status).toBe('info');
    expect(a.labels.mutedBy).toContain('alarm-mute-rule:weekend-maintenance');
  });

  it('refuses configuration changes and malformed events with the reason', () => {
    expect(refusal(fixture('eventbridge-config-change'))).toMatch(/configuration change is not an alert/);
    expect(refusal(variant('eventbridge-alarm', (d) => delete d.detail.alarmName))).toMatch(
      /detail\.alarmName/,
    );
    expect(refusal(variant('eventbridge-alarm', (d) => (d.detail.state.value = 'BROKEN')))).toMatch(
      /detail\.state\.value/,
    );
    expect(
      refusal(variant('eventbridge-alarm', (d) => (d['detail-type'] = 'EC2 Instance State-change'))),
    ).toMatch(/unsupported EventBridge detail-type/);
  });
});

describe('CloudWatch via SNS', () => {
  it('reads the Lambda trigger envelope, with the service from the dimensions', () => {
    const a = one(fixture('sns-lambda-records'));
    expect(a).toMatchObject({
      source: 'cloudwatch-sns',
      sourceEventId: 'a1b2c3d4-e5f6-5a7b-8c9d-0e1f2a3b4c5d',
      fingerprint: 'cloudwatch:345678901234:us-west-2:billing-db-cpu',
      status: 'firing',
      service: 'billing-db',
      startedAt: '2026-11-20T09:15:30.500Z',
    });
    expect(a.labels.DBInstanceIdentifier).toBe('billing-db');
  });

  it('fingerprints the same alarm the same way whichever route delivered it', () => {
    const viaSns = one(fixture('sns-lambda-records'));
    const viaEventBridge = one(
      variant('eventbridge-alarm', (d) => {
        d.account = '345678901234';
        d.region = 'us-west-2';
        d.detail.alarmName = 'billing-db-cpu';
      }),
    );
    expect(viaEventBridge.fingerprint).toBe(viaSns.fingerprint);
  });

  it('reads an HTTP delivery of a metric-math alarm (Trigger.Metrics[])', () => {
    const a = one(fixture('sns-http-metric-math'));
    expect(a.labels.alarmType).toBe('metric-math');
    expect(a.service).toBe('search-api');
    expect(a.description).toContain('Threshold Crossed');
  });

  it('reads composite TriggeringChildren given as strings or as objects', () => {
    const strings = one(fixture('sns-http-composite'));
    expect(strings.labels).toMatchObject({ alarmType: 'composite', triggeringAlarms: 'storefront-5xx' });
    const objects = one(
      variant('sns-http-composite', (d) => {
        const m = JSON.parse(d.Message);
        m.TriggeringChildren = [
          {
            Arn: 'arn:aws:cloudwatch:us-west-2:345678901234:alarm:storefront-latency',
            State: { Value: 'ALARM' },
          },
        ];
        d.Message = JSON.stringify(m);
      }),
    );
    expect(objects.labels.triggeringAlarms).toBe('storefront-latency');
  });

  it('takes the region from the topic when the message has no AlarmArn', () => {
    const a = one(
      variant('sns-http-metric-math', (d) => {
        const m = JSON.parse(d.Message);
        delete m.AlarmArn;
        d.Message = JSON.stringify(m);
      }),
    );
    expect(a.fingerprint).toBe('cloudwatch:345678901234:us-west-2:search-error-ratio');
    expect(a.region).toBe('us-west-2');
  });

  it('accepts a bare alarm message (raw delivery) and a subscription handshake', () => {
    const message = JSON.parse(String(fixture('sns-http-metric-math').Message));
    expect(detectSource(message)).toBe('cloudwatch-sns');
    expect(one(message).title).toBe('search-error-ratio');
    const handshake = normalizeDelivery(fixture('sns-subscription-confirmation'), { receivedAt });
    expect(handshake.alerts).toEqual([]);
    expect(handshake.subscription).toMatchObject({
      type: 'SubscriptionConfirmation',
      topicArn: 'arn:aws:sns:us-west-2:345678901234:ops-alarms',
    });
  });

  it('refuses an SNS message that is not an alarm', () => {
    expect(refusal(variant('sns-http-metric-math', (d) => (d.Message = 'hello')))).toMatch(/not JSON/);
    expect(refusal(variant('sns-http-metric-math', (d) => (d.Message = '{"hello":1}')))).toMatch(/AlarmName/);
  });
});

describe('CloudWatch alarm action (alarmData)', () => {
  it('identifies the transition, since the invocation carries no event id', () => {
    const a = one(fixture('lambda-alarm-action'));
    expect(a).toMatchObject({
      source: 'cloudwatch-lambda-action',
      fingerprint: 'cloudwatch:456789012345:ap-southeast-2:thumbnailer-errors',
      service: 'thumbnailer',
      status: 'firing',
    });
    expect(a.sourceEventId).toBe(one(fixture('lambda-alarm-action')).sourceEventId);
    const later = one(
      variant('lambda-alarm-action', (d) => (d.alarmData.state.timestamp = '2026-11-20T08:00:00.000+0000')),
    );
    expect(later.sourceEventId).not.toBe(a.sourceEventId);
  });
});

describe('PagerDuty V3', () => {
  it('normalizes incident.triggered with the PagerDuty incident as fingerprint', () => {
    const a = one(fixture('pagerduty-triggered'));
    expect(a).toMatchObject({
      source: 'pagerduty-v3',
      sourceEventId: '01HZ7K3M9Q2W4E6R8T0Y2U4I6O',
      fingerprint: 'pagerduty:QABC123DEF456',
      status: 'firing',
      title: 'orders-api p99 latency above 2s',
      service: 'orders-api',
      severityHint: 'SEV2',
      startedAt: '2026-11-20T10:05:09.000Z',
      links: ['https://example.pagerduty.com/incidents/QABC123DEF456'],
    });
  });

  it('maps resolved, acknowledged and other incident events to their intents', () => {
    expect(intentOf(one(pagerDutyEvent('incident.resolved', 'E1')))).toBe('resolve');
    expect(intentOf(one(pagerDutyEvent('incident.acknowledged', 'E2')))).toBe('acknowledge');
    expect(intentOf(one(pagerDutyEvent('incident.reopened', 'E3')))).toBe('fire');
    expect(intentOf(one(pagerDutyEvent('incident.priority_updated', 'E4')))).toBe('note');
    const note = one(fixture('pagerduty-note'));
    expect(note.fingerprint).toBe('pagerduty:QABC123DEF456');
    expect(note.description).toContain('Connection pool saturated');
    expect(intentOf(note)).toBe('note');
  });

  it('refuses service events and events that name no incident', () => {
    expect(refusal(fixture('pagerduty-service-updated'))).toMatch(/service event, not an incident/);
    expect(refusal(variant('pagerduty-note', (d) => delete d.event.data.incident))).toMatch(
      /names no incident/,
    );
  });

  it('keeps labels a sender controls from choosing the intent', () => {
    const am = normalize(
      variant('alertmanager-group', (d) => (d.alerts[0].labels.eventType = 'incident.acknowledged')),
      { receivedAt },
    );
    expect(intentOf(am[0])).toBe('fire');
  });
});

describe('Alertmanager and Grafana', () => {
  it('normalizes every alert of a v4 group with its own fingerprint and status, and notes truncation', () => {
    const d = normalizeDelivery(fixture('alertmanager-group'), { receivedAt });
    expect(d.source).toBe('alertmanager');
    expect(d.alerts.map((a) => [a.fingerprint, a.status])).toEqual([
      ['alertmanager:1a2b3c4d5e6f7081', 'firing'],
      ['alertmanager:92a3b4c5d6e7f809', 'firing'],
      ['alertmanager:0f1e2d3c4b5a6978', 'resolved'],
    ]);
    expect(d.alerts[0]).toMatchObject({
      title: 'KubePodCrashLooping',
      service: 'ledger',
      severityHint: 'SEV3',
      startedAt: '2026-11-20T10:00:12.345Z',
    });
    expect(d.alerts[1].severityHint).toBe('SEV1');
    expect(d.alerts[2].service).toBe('payments');
    expect(d.alerts[0].links).toContain('https://runbooks.example.com/KubePodCrashLooping');
    expect(d.notes[0]).toMatch(/3 more alert\(s\).*truncated/);
    // Each alert keeps the group without its siblings, so a big group is not stored once per alert.
    expect((d.alerts[0].raw as { alerts: unknown[] }).alerts).toHaveLength(1);
  });

  it('gives a repeat notification of the same episode the same event id', () => {
    const first = normalize(fixture('alertmanager-group'), { receivedAt })[0];
    const again = normalize(fixture('alertmanager-group'), { receivedAt: '2026-11-20T14:00:00.000Z' })[0];
    expect(again.sourceEventId).toBe(first.sourceEventId);
  });

  it('normalizes Grafana unified alerting, detected by its extra fields', () => {
    const a = one(fixture('grafana-unified'));
    expect(a).toMatchObject({
      source: 'grafana',
      fingerprint: 'grafana:6e5d4c3b2a190817',
      service: 'checkout-web',
      severityHint: 'SEV2',
      startedAt: '2026-11-20T09:02:00.000Z',
    });
    expect(a.links).toEqual(
      expect.arrayContaining([
        'https://grafana.example.com/d/checkout',
        'https://runbooks.example.com/checkout-latency',
      ]),
    );
  });

  it('refuses an empty group and alerts without labels', () => {
    expect(
      refusal(
        variant('alertmanager-group', (d) => (d.alerts = [])),
        'alertmanager',
      ),
    ).toMatch(/no alerts/);
    expect(
      refusal(
        variant('alertmanager-group', (d) => delete d.alerts[0].labels),
        'alertmanager',
      ),
    ).toMatch(/alerts\.0\.labels/);
  });
});

describe('shapes that are not alerts', () => {
  it('refuses arrays, unknown objects and Opsgenie with a reason', () => {
    expect(refusal([1, 2])).toMatch(/JSON object/);
    expect(refusal({ hello: 'world' })).toMatch(/unknown alert shape/);
    expect(refusal({ action: 'Create', alert: { alertId: 'x', message: 'y' } })).toMatch(/Opsgenie/);
  });
});
