/** Builds what an analyst step sees from a scenario file: its environment as evidence, and a context. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalize } from '../../lambdas/core/alerts/normalize.js';
import { ManualClock } from '../../lambdas/core/clock.js';
import type { Incident } from '../../lambdas/core/model.js';
import type { InvestigationContext } from '../../lambdas/core/ports.js';
import { ScenarioEnvironment } from '../../lambdas/core/scenario/environment.js';
import { Scenario } from '../../lambdas/core/scenario/schema.js';

export const fixture = (name: string): Scenario =>
  Scenario.parse(JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')));

export function scenarioContext(s: Scenario): { env: ScenarioEnvironment; ctx: InvestigationContext } {
  const at = s.alert.receivedAt ?? '2026-01-01T00:00:00.000Z';
  const alerts = normalize(s.alert.payload, { source: s.alert.source, receivedAt: at });
  const primary = alerts.find((a) => a.status === 'firing') ?? alerts[0];
  const env = new ScenarioEnvironment(s, new ManualClock(at), at);
  const incident: Incident = {
    id: 'inc-claude-test',
    status: 'TRIAGE',
    title: primary.title,
    service: primary.service,
    services: primary.service ? [primary.service] : [],
    fingerprint: primary.fingerprint,
    source: primary.source,
    detectedAt: primary.startedAt,
    updatedAt: at,
    escalationTier: 0,
    alertCount: alerts.length,
  };
  const from = new Date(new Date(primary.startedAt).getTime() - 60 * 60_000).toISOString();
  return {
    env,
    ctx: {
      incident,
      alerts,
      window: { from, to: at },
      services: s.environment.services.map((x) => ({ ...x })),
    },
  };
}

/** The scenario with one more log line on the given service, at the time of its first ERROR. */
export function withLogLine(s: Scenario, service: string, message: string, level = 'ERROR'): Scenario {
  const copy = structuredClone(s);
  const anchor = copy.environment.logs.find((l) => l.level === 'ERROR') ?? copy.environment.logs[0];
  copy.environment.logs.push({ service, timestamp: anchor.timestamp, level, message, count: 40 });
  return copy;
}
