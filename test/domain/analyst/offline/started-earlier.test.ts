/**
 * A person reports two hours into an incident. The hour before the report shows the
 * incident as the steady state; the day's read of the same series shows when it began, and the
 * investigation reads the hour before that instead, where the configuration change that stalled
 * the consumer lines up with it. A shift that is over, or an hour that already holds its own
 * onset, moves nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { startedEarlier } from '../../../../domain/analyst/offline/evidence/started-earlier.js';
import { api, at, scenario, series } from './fixtures.js';
import { runScenario } from './harness.js';

/** Five-minute points from 7 h before the report: `base`, then `after` from `from` to `to`. */
const day = (base: number, after: number, from: number, to = 0): Array<[string, number]> => {
  const pts: Array<[string, number]> = [];
  for (let m = -420; m < 0; m += 5) pts.push([at(m), (m >= from && m < to ? after : base) + ((m / 5) % 3)]);
  return pts;
};

const env = (stalledFrom: number, stalledTo = 0): Partial<Scenario['environment']> => ({
  services: [api('webhook-dispatcher')],
  changes: [
    {
      timestamp: at(stalledFrom - 4),
      source: 'appconfig',
      eventName: 'StartDeployment',
      service: 'webhook-dispatcher',
      resource: 'appconfig/dispatcher/prod',
      actor: 'iam-user/ops',
      summary: 'AppConfig profile dispatcher v42 -> v43 deployed (AllAtOnce)',
    },
  ],
  metrics: [
    {
      service: 'webhook-dispatcher',
      namespace: 'AWS/SQS',
      metricName: 'NumberOfMessagesDeleted',
      dimensions: { QueueName: 'webhooks' },
      stat: 'Sum',
      unit: 'Count',
      points: day(900, 0, stalledFrom, stalledTo),
    },
    {
      service: 'webhook-dispatcher',
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'webhooks' },
      stat: 'Maximum',
      unit: 'Count',
      points: day(35, 0, stalledFrom, stalledTo).map(([t, v]) => {
        const m = (Date.parse(t) - Date.parse(at(0))) / 60_000;
        return [t, m >= stalledFrom && m < stalledTo ? 35 + 900 * (m - stalledFrom) : v];
      }),
    },
  ],
});

const report = (stalledFrom: number) =>
  runScenario(
    scenario('webhook-dispatcher', env(stalledFrom), 'customers say no webhooks have arrived for a while'),
  );

describe('an incident reported hours after it began', () => {
  it('is investigated from when its telemetry left the baseline', async () => {
    const { rootCause } = await report(-110);
    expect(rootCause.category).toBe('configuration');
    expect(rootCause.mitigation?.kind).toBe('rollback');
  });
});

describe('an incident reported days after it began', () => {
  /** Hourly points over nine days: `base`, then `after` from `from` minutes on. */
  const days = (base: number, after: number, from: number): Array<[string, number]> => {
    const pts: Array<[string, number]> = [];
    for (let m = -9 * 1440; m < 0; m += 60) pts.push([at(m), (m >= from ? after : base) + ((m / 60) % 3)]);
    return pts;
  };
  const late = (stalledFrom: number) => {
    const e = env(stalledFrom);
    for (const m of e.metrics ?? []) {
      m.points =
        m.metricName === 'NumberOfMessagesDeleted'
          ? days(900, 0, stalledFrom)
          : days(35, 40_000, stalledFrom);
    }
    return runScenario(
      scenario('webhook-dispatcher', e, 'customers say webhooks stopped arriving last week'),
    );
  };

  it('is investigated from when it began, within the week', async () => {
    const { rootCause } = await late(-4 * 1440);
    expect(rootCause.category).toBe('configuration');
    expect(rootCause.mitigation?.kind).toBe('rollback');
  });

  it('is not traced further back than a week', async () => {
    const { rootCause } = await late(-8 * 1440);
    expect(rootCause.mitigation?.kind).not.toBe('rollback');
  });
});

describe('startedEarlier', () => {
  const window = { from: at(-60), to: at(0) };
  const hour = (pts: Array<[string, number]>) => [
    series(
      'Errors',
      pts.filter(([t]) => t >= window.from),
    ),
  ];

  it('answers when a shift still in force began before the hour', () => {
    const pts = day(0, 140, -330);
    expect(startedEarlier(hour(pts), [series('Errors', pts)], window)).toBe(at(-330));
  });

  it('answers nothing for a shift that was over before the hour', () => {
    const pts = day(0, 140, -330, -200);
    expect(startedEarlier(hour(pts), [series('Errors', pts)], window)).toBeUndefined();
  });

  it('answers nothing when the hour holds an onset of its own', () => {
    const early = day(0, 140, -330);
    const now = day(10, 400, -20);
    expect(
      startedEarlier(
        [...hour(early), ...hour(now).map((s) => ({ ...s, id: 'metric:Test/Now' }))],
        [series('Errors', early)],
        window,
      ),
    ).toBeUndefined();
  });

  it("reads the affected service's own series, not a neighbour reacting in the hour", () => {
    const early = day(0, 140, -330);
    const own = hour(early).map((s) => ({ ...s, service: 'allocator' }));
    const reacting = hour(day(60, 5, -20)).map((s) => ({
      ...s,
      id: 'metric:Test/Workers',
      service: 'workers',
    }));
    const earlyDay = [{ ...series('Errors', early), service: 'allocator' }];
    expect(startedEarlier([...own, ...reacting], earlyDay, window, 'allocator')).toBe(at(-330));
    // The affected service's own onset in the hour still keeps the window where it is.
    const ownNow = hour(day(10, 400, -20)).map((s) => ({
      ...s,
      id: 'metric:Test/Now',
      service: 'allocator',
    }));
    expect(startedEarlier([...own, ...ownNow], earlyDay, window, 'allocator')).toBeUndefined();
  });
});
