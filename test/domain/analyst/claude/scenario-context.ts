/** Builds what an analyst step sees from a scenario file: its environment as evidence, and a context. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioEnvironment } from '../../../../adapters/embedded/scenario/environment.js';
import { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import type { InvestigationContext } from '../../../../domain/ports.js';
import { contextFor } from '../offline/harness.js';

export const fixture = (name: string): Scenario =>
  Scenario.parse(JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')));

/** The same context the offline analyst's tests use, so both analysts are measured on one shape. */
export const scenarioContext = (s: Scenario): { env: ScenarioEnvironment; ctx: InvestigationContext } =>
  contextFor(s);

/** The scenario with one more log line on the given service, at the time of its first ERROR. */
export function withLogLine(s: Scenario, service: string, message: string, level = 'ERROR'): Scenario {
  const copy = structuredClone(s);
  const anchor = copy.environment.logs.find((l) => l.level === 'ERROR') ?? copy.environment.logs[0];
  copy.environment.logs.push({ service, timestamp: anchor.timestamp, level, message, count: 40 });
  return copy;
}
