/**
 * What a metric measures, from its name: the kinds the rules reason with. Counts of things
 * received or ingested are traffic (a client's events multiplying is demand), as requests are.
 */
import { describe, expect, it } from 'vitest';
import { metricKind } from '../../../../../domain/analyst/offline/evidence/metric-kinds.js';

const kind = (metricName: string) => metricKind({ metricName });

describe('metric kinds', () => {
  it('reads counts of what arrives as traffic', () => {
    expect(kind('EventsReceived')).toBe('traffic');
    expect(kind('BytesIngested')).toBe('traffic');
    expect(kind('RequestCount')).toBe('traffic');
  });

  it('keeps failures and latency apart from traffic, whatever else the name says', () => {
    expect(kind('EventsRejected')).toBe('errors');
    expect(kind('ReceiveLatency')).toBe('latency');
    expect(kind('CPUUtilization')).toBe('cpu');
  });
});
