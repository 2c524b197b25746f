/**
 * Small synthetic scenarios and series for unit tests: a manual alert at a fixed time, a catalog,
 * and minute series built from a baseline and a step, so each test states only what it is about.
 */

import { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import type { MetricSeries } from '../../../../domain/ports.js';

export const T0 = Date.parse('2026-05-01T12:00:00Z');
/** ISO time `m` minutes after T0 (negative for before). */
export const at = (m: number): string => new Date(T0 + m * 60_000).toISOString();

/** Deterministic small wobble so baselines look like telemetry, not constants. */
const wobble = (i: number, amp: number) => amp * Math.sin(i * 1.7) * 0.5;

/** 60 one-minute points from minute -60 to -1: `base` until `stepAt`, then `after`. */
export function stepPoints(
  base: number,
  after: number,
  stepAt: number,
  amp = base * 0.03,
): Array<[string, number]> {
  const pts: Array<[string, number]> = [];
  for (let m = -60; m < 0; m++) {
    const v = m < stepAt ? base + wobble(m, amp) : after + wobble(m, amp);
    pts.push([at(m), Math.round(v * 100) / 100]);
  }
  return pts;
}

export function series(
  metricName: string,
  points: Array<[string, number]>,
  extra: Partial<MetricSeries> = {},
): MetricSeries {
  return { id: `metric:Test/${metricName}`, namespace: 'Test', metricName, dimensions: {}, points, ...extra };
}

type Env = Partial<Scenario['environment']>;

/** A scenario whose alert is a manual start for `service` at T0. */
export function scenario(service: string, env: Env, alertSummary = `${service} is failing`): Scenario {
  return Scenario.parse({
    id: 'synthetic',
    title: 'synthetic',
    alert: {
      source: 'manual',
      receivedAt: at(0),
      payload: { service, summary: alertSummary, startedAt: at(0) },
    },
    environment: env,
    expected: { severity: 'SEV3', category: 'healthy' },
  });
}

export const api = (name: string, dependsOn: string[] = [], more: Record<string, unknown> = {}) => ({
  name,
  tier: 'critical' as const,
  owner: 'team',
  userFacing: true,
  dependsOn,
  ...more,
});

/** A scenario alerted by Alertmanager: `alertname` on `service`, firing since T0. */
export function alertmanagerScenario(service: string, alertname: string, env: Env): Scenario {
  return Scenario.parse({
    id: 'synthetic-am',
    title: 'synthetic',
    alert: {
      source: 'alertmanager',
      receivedAt: at(0),
      payload: {
        version: '4',
        status: 'firing',
        alerts: [
          {
            status: 'firing',
            labels: { alertname, service, severity: 'warning' },
            annotations: {},
            startsAt: at(0),
          },
        ],
      },
    },
    environment: env,
    expected: { severity: 'SEV4', category: 'healthy' },
  });
}
