/**
 * "Nothing is wrong" only when nothing that shows harm is speaking. Each case is a quiet alarm
 * (its metric never left its band) plus one thing that shows harm, and must not come out healthy;
 * the controls (the quiet alarm alone, a recovered blip, a flapping alarm, WAF-blocked probes, a
 * person's report that telemetry of its kind contradicts) must.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { analyze } from '../../../../domain/analyst/offline/analysis.js';
import { gather } from '../../../../domain/analyst/offline/evidence/gather.js';
import { explainHealth, harmShown } from '../../../../domain/analyst/offline/explain/health.js';
import { candidates } from '../../../../domain/analyst/offline/rank/candidates.js';
import { alertmanagerScenario, api, at, scenario, stepPoints } from './fixtures.js';
import { contextFor } from './harness.js';

type Env = Partial<Scenario['environment']>;

async function weigh(s: Scenario) {
  const { env, ctx } = contextFor(s);
  const a = analyze(await gather(env, ctx));
  return { health: explainHealth(a), harm: harmShown(a), top: candidates(a)[0] };
}

const latency = (points: Array<[string, number]>, service = 'admin') => ({
  namespace: 'App',
  metricName: 'LatencyP99',
  service,
  unit: 'Milliseconds',
  points,
});

/** `admin-latency-high` on a service whose latency never left its band, plus `more`. */
const quietAlarm = (more: Env = {}, services = [api('admin')]) =>
  alertmanagerScenario('admin', 'admin-latency-high', {
    services,
    ...more,
    metrics: [latency(stepPoints(120, 120, 0, 4)), ...(more.metrics ?? [])],
  });

describe('the healthy verdict', () => {
  it('holds for an alarm whose metric never moved', async () => {
    const { health, harm, top } = await weigh(quietAlarm());
    expect(harm).toEqual([]);
    expect(health?.category).toBe('healthy');
    expect(top.category).toBe('healthy');
  });

  it('holds for a blip that recovered on its own', async () => {
    const blip = stepPoints(120, 120, 0, 4).map(([t, v], i): [string, number] => [
      t,
      i >= 20 && i < 30 ? 900 : v,
    ]);
    const s = alertmanagerScenario('admin', 'admin-latency-high', {
      services: [api('admin')],
      metrics: [latency(blip)],
      alarmStates: [
        { name: 'admin-latency-high', service: 'admin', state: 'ALARM', timestamp: at(-38) },
        { name: 'admin-latency-high', service: 'admin', state: 'OK', timestamp: at(-28) },
      ],
    });
    const { health, harm } = await weigh(s);
    expect(harm).toEqual([]);
    expect(health?.summary).toMatch(/recovered/);
  });

  it('holds for an alarm flapping around its threshold', async () => {
    // Still in ALARM at the end: flapping, not recovered.
    const flaps = [-50, -40, -30, -20].flatMap((m) => [
      { name: 'admin-latency-high', service: 'admin', state: 'ALARM' as const, timestamp: at(m) },
      ...(m < -20
        ? [{ name: 'admin-latency-high', service: 'admin', state: 'OK' as const, timestamp: at(m + 3) }]
        : []),
    ]);
    const { health, harm } = await weigh(quietAlarm({ alarmStates: flaps }));
    expect(harm).toEqual([]);
    expect(health?.summary).toMatch(/flapping/);
  });

  it('is withheld while a user-facing caller is still failing', async () => {
    const s = alertmanagerScenario('admin', 'admin-latency-high', {
      services: [api('web', ['admin']), { ...api('admin'), userFacing: false }],
      metrics: [
        latency(stepPoints(120, 120, 0, 4)),
        {
          namespace: 'AWS/ApplicationELB',
          metricName: 'HTTPCode_Target_5XX_Count',
          service: 'web',
          unit: 'Count',
          points: stepPoints(2, 400, -20, 1),
        },
      ],
    });
    const { health, harm, top } = await weigh(s);
    expect(harm.join(' ')).toMatch(/impact still measured \(web erroring/);
    expect(health).toBeUndefined();
    expect(top?.category ?? 'unknown').not.toBe('healthy');
  });

  it('holds through a handful of errors that triage does not rate as impact', async () => {
    const s = quietAlarm({
      logs: [
        {
          service: 'admin',
          timestamp: at(-20),
          level: 'ERROR',
          message: 'GET /wp-login.php 404 not found',
          count: 12,
        },
      ],
    });
    const { health, harm } = await weigh(s);
    expect(harm).toEqual([]);
    expect(health?.category).toBe('healthy');
  });

  it('is withheld while another alarm on its path is still firing, not once it has cleared', async () => {
    const other = (states: Array<'ALARM' | 'OK'>) =>
      states.map((state, i) => ({
        name: 'admin-db-cpu',
        service: 'admin-db',
        state,
        timestamp: at(-30 + i * 10),
      }));
    const services = [api('admin', ['admin-db']), api('admin-db', [], { userFacing: false })];
    const firing = await weigh(quietAlarm({ alarmStates: other(['ALARM']) }, services));
    expect(firing.harm.join(' ')).toMatch(/still in ALARM: admin-db-cpu/);
    expect(firing.health).toBeUndefined();

    const cleared = await weigh(quietAlarm({ alarmStates: other(['ALARM', 'OK']) }, services));
    expect(cleared.harm).toEqual([]);
    expect(cleared.health?.category).toBe('healthy');
  });

  it('is withheld while the alert’s own backlog climbs steadily, with no step to leave a band by', async () => {
    const age = (climb: number) => ({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      service: 'push-worker',
      dimensions: { QueueName: 'push' },
      points: Array.from(
        { length: 61 },
        (_, i) => [at(i - 60), 2 + Math.max(0, i - 20) * climb] as [string, number],
      ),
    });
    const backlog = (climb: number) =>
      alertmanagerScenario('push-worker', 'QueueBacklogOld', {
        services: [api('push-worker')],
        metrics: [age(climb)],
      });
    const growing = await weigh(backlog(9));
    expect(growing.harm.join(' ')).toMatch(/push-worker: ApproximateAgeOfOldestMessage/);
    expect(growing.health).toBeUndefined();
    const flat = await weigh(backlog(0));
    expect(flat.health?.category).toBe('healthy');
  });

  it('takes a second synthetic check beside a synthetic alert as the same prober, not as harm', async () => {
    const probeAlarm = (more: Env) =>
      alertmanagerScenario('admin', 'AdminSyntheticAvailabilityLow', {
        services: [api('admin')],
        ...more,
        metrics: [latency(stepPoints(120, 120, 0, 4))],
      });
    const firing = (name: string) => [{ name, service: 'admin', state: 'ALARM' as const, timestamp: at(-5) }];
    const twin = await weigh(probeAlarm({ alarmStates: firing('CheckoutSyntheticAvailabilityLow') }));
    expect(twin.harm).toEqual([]);
    expect(twin.health?.category).toBe('healthy');
    // An alarm on what users send is a witness of its own.
    const users = await weigh(probeAlarm({ alarmStates: firing('admin-alb-5xx') }));
    expect(users.harm.join(' ')).toMatch(/still in ALARM: admin-alb-5xx/);
    // A service's name says nothing of what an alarm checks: renamed, the verdict would change.
    const named = await weigh(
      alertmanagerScenario('admin', 'synthetic-prober admin DOWN', {
        services: [api('admin'), api('synthetic-prober')],
        alarmStates: firing('CheckoutSyntheticAvailabilityLow'),
        metrics: [latency(stepPoints(120, 120, 0, 4))],
      }),
    );
    expect(named.harm.join(' ')).toMatch(/still in ALARM: CheckoutSyntheticAvailabilityLow/);
  });

  it('is withheld by a security finding other than WAF-blocked probes, not by blocked probes alone', async () => {
    const stuffing = await weigh(
      quietAlarm({
        securityEvents: [
          {
            timestamp: at(-20),
            kind: 'FailedLogin',
            count: 4000,
            detail: 'credential stuffing from 203.0.113.9',
          },
        ],
      }),
    );
    expect(stuffing.harm.join(' ')).toMatch(/security findings: failed-logins/);
    expect(stuffing.health).toBeUndefined();

    const probes = await weigh(
      quietAlarm({
        securityEvents: [
          { timestamp: at(-20), kind: 'WAFBlock', count: 900, detail: 'blocked by rate-based rule' },
        ],
      }),
    );
    expect(probes.harm).toEqual([]);
    expect(probes.health?.category).toBe('healthy');
  });

  it('on a person’s report: WAF-blocked probes account for reported errors, not for reported wrong data', async () => {
    const env = (summary: string) =>
      scenario(
        'tenant-db',
        {
          services: [api('tenant-db', [])],
          logs: [
            {
              service: 'tenant-db',
              timestamp: at(-30),
              level: 'INFO',
              count: 900,
              message: 'backup generation uploaded',
            },
          ],
          securityEvents: [
            {
              timestamp: at(-120),
              kind: 'waf-block',
              count: 4200,
              detail: 'routine scanner traffic blocked',
            },
          ],
        },
        summary,
      );
    const errors = await weigh(
      env('thousands of 404s on the dashboard in the last half hour, is something broken?'),
    );
    expect(errors.health?.category).toBe('healthy');
    const data = await weigh(
      env('two customers see tables and rows that are not theirs; their own rows are missing'),
    );
    expect(data.harm.join(' ')).toMatch(/not measured by any telemetry/);
    expect(data.health).toBeUndefined();
  });

  it('is withheld while a dependency refuses writes', async () => {
    const s = quietAlarm(
      {
        logs: [
          {
            service: 'admin-db',
            timestamp: at(-15),
            level: 'ERROR',
            message: 'could not extend file "base/16384/2619": No space left on device',
            count: 3,
          },
        ],
      },
      [api('admin', ['admin-db']), api('admin-db', [], { userFacing: false })],
    );
    const { health, harm } = await weigh(s);
    expect(harm.join(' ')).toMatch(/admin-db: writes refused/);
    expect(health).toBeUndefined();
  });

  it('is withheld once the kernel killed the service’s process', async () => {
    const s = quietAlarm({
      logs: [
        {
          service: 'admin',
          timestamp: at(-30),
          level: 'warn',
          message: 'kernel: Out of memory: Killed process 2417 (adminsrv) total-vm:15923412kB',
        },
      ],
    });
    const { health, harm } = await weigh(s);
    expect(harm.join(' ')).toMatch(/admin: a process killed/);
    expect(health).toBeUndefined();
  });

  it('is withheld while healthy capacity reads zero, though it never moved in the window', async () => {
    const hosts = (n: number) => ({
      namespace: 'AWS/ApplicationELB',
      metricName: 'HealthyHostCount',
      service: 'admin',
      unit: 'Count',
      points: stepPoints(n, n, 0, 0),
    });
    const none = await weigh(quietAlarm({ metrics: [hosts(0)] }));
    expect(none.harm.join(' ')).toMatch(/HealthyHostCount reads zero/);
    expect(none.health).toBeUndefined();

    const two = await weigh(quietAlarm({ metrics: [hosts(2)] }));
    expect(two.harm).toEqual([]);
    expect(two.health?.category).toBe('healthy');
  });

  it('reads a probe failing from one location, while the others still succeed, as that location’s trouble', async () => {
    const probe = (location: string, value: number) => ({
      namespace: 'Uptime/Probes',
      metricName: 'ProbeSuccess',
      service: 'admin',
      dimensions: { Target: 'admin', Location: location },
      points: stepPoints(1, value, -4, 0),
    });
    const one = await weigh(quietAlarm({ metrics: [probe('lon', 0), probe('fra', 1), probe('nyc', 1)] }));
    expect(one.harm).toEqual([]);
    const all = await weigh(quietAlarm({ metrics: [probe('lon', 0), probe('fra', 0), probe('nyc', 0)] }));
    expect(all.harm.join(' ')).toMatch(/ProbeSuccess reads zero/);
  });

  it('takes a person’s report of harm at their word unless telemetry of its kind contradicts it', async () => {
    const traffic = {
      namespace: 'AWS/CloudFront',
      metricName: 'Requests',
      service: 'downloads',
      unit: 'None',
      points: stepPoints(1800, 1800, 0, 40),
    };
    const env = (metrics: Env['metrics']) => ({ services: [api('downloads')], metrics });
    const tampered = await weigh(
      scenario(
        'downloads',
        env([traffic]),
        'A customer says the installer we serve does not match its published checksum',
      ),
    );
    expect(tampered.harm.join(' ')).toMatch(/not measured by any telemetry/);
    expect(tampered.health).toBeUndefined();
    expect(tampered.top?.category ?? 'unknown').not.toBe('healthy');

    const slow = await weigh(
      scenario(
        'downloads',
        env([traffic, latency(stepPoints(80, 80, 0, 3), 'downloads')]),
        'downloads feel slow today',
      ),
    );
    expect(slow.harm).toEqual([]);
    expect(slow.health?.category).toBe('healthy');
  });
});
