/**
 * Runs a scenario through the offline analyst the way the pipeline does: parse, normalize the
 * alert, build the investigation context (window = the hour before the alert), triage,
 * investigate each chosen specialist, synthesize. Shared by the unit tests and the measurement.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioEnvironment } from '../../../../adapters/embedded/scenario/environment.js';
import { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { normalize } from '../../../../domain/alerts/normalize.js';
import { OfflineAnalyst, type OfflineAnalystOptions } from '../../../../domain/analyst/offline/index.js';
import { ManualClock } from '../../../../domain/clock.js';
import { type Finding, type Incident, type RootCause, SEVERITIES } from '../../../../domain/model.js';
import type { InvestigationContext, TriageDecision } from '../../../../domain/ports.js';
import { anIncident } from '../../../support/incidents.js';

export interface Run {
  scenario: Scenario;
  env: ScenarioEnvironment;
  ctx: InvestigationContext;
  triage: TriageDecision;
  findings: Finding[];
  rootCause: RootCause;
}

export const loadScenario = (file: string): Scenario =>
  Scenario.parse(JSON.parse(readFileSync(file, 'utf8')));

/** Scenario files in the given folders (missing folders are skipped). */
export function scenarioFiles(dirs: string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names.sort()) if (n.endsWith('.json')) out.push(join(dir, n));
  }
  return out;
}

/** The alert's time as the pipeline sees it: its own timestamp, else the scenario's receivedAt. */
function alertTime(s: Scenario): string {
  const fallback = s.alert.receivedAt ?? '2026-01-01T00:00:00.000Z';
  const [alert] = normalize(s.alert.payload, { source: s.alert.source, receivedAt: fallback });
  return alert?.startedAt ?? fallback;
}

export function contextFor(s: Scenario): { env: ScenarioEnvironment; ctx: InvestigationContext } {
  const at = alertTime(s);
  const alerts = normalize(s.alert.payload, { source: s.alert.source, receivedAt: s.alert.receivedAt ?? at });
  const primary = alerts.find((a) => a.status === 'firing') ?? alerts[0];
  const env = new ScenarioEnvironment(s, new ManualClock(at), at);
  const incident: Incident = anIncident({
    id: 'inc-test',
    title: primary.title,
    service: primary.service,
    services: primary.service ? [primary.service] : [],
    fingerprint: primary.fingerprint,
    source: primary.source,
    detectedAt: primary.startedAt,
    updatedAt: at,
  });
  const from = new Date(new Date(at).getTime() - 60 * 60_000).toISOString();
  const ctx: InvestigationContext = {
    incident,
    alerts,
    window: { from, to: at },
    services: s.environment.services.map((x) => ({ ...x })),
  };
  return { env, ctx };
}

export async function runScenario(s: Scenario, opts: OfflineAnalystOptions = {}): Promise<Run> {
  const { env, ctx } = contextFor(s);
  const analyst = new OfflineAnalyst(env, opts);
  const triage = (await analyst.triage(ctx)).value;
  const findings: Finding[] = [];
  for (const sp of triage.specialists) findings.push((await analyst.investigate(sp, ctx)).value);
  const rootCause = (await analyst.synthesize(findings, ctx)).value;
  return { scenario: s, env, ctx, triage, findings, rootCause };
}

export interface Score {
  id: string;
  category: boolean;
  culprit: boolean;
  severity: boolean;
  mitigation: boolean;
  keywords: boolean;
  got: { category: string; culprit: string; severity: string; mitigation: string };
  want: { category: string; culprit: string; severity: string; mitigation: string };
}

const sevIndex = (s: string) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);

/** Scores a run the way `firebreak eval` does: category, culprit substring, severity, first action. */
export function score(run: Run): Score {
  const { expected } = run.scenario;
  const rc = run.rootCause;
  const text = `${rc.culprit} ${rc.summary}`.toLowerCase();
  const culprit = !expected.culprit || text.includes(expected.culprit.toLowerCase());
  const tolerance = expected.severityTolerance ?? 0;
  const severity = Math.abs(sevIndex(run.triage.severity) - sevIndex(expected.severity)) <= tolerance;
  const gotMitigation = rc.mitigation?.kind ?? 'none';
  const wantMitigation = expected.mitigation ?? 'none';
  const mitigation = gotMitigation === wantMitigation;
  const keywords = (expected.requiredKeywords ?? []).every((k) =>
    rc.summary.toLowerCase().includes(k.toLowerCase()),
  );
  return {
    id: run.scenario.id,
    category: rc.category === expected.category,
    culprit,
    severity,
    mitigation,
    keywords,
    got: {
      category: rc.category,
      culprit: rc.culprit,
      severity: run.triage.severity,
      mitigation: gotMitigation,
    },
    want: {
      category: expected.category,
      culprit: expected.culprit ?? '',
      severity: expected.severity,
      mitigation: wantMitigation,
    },
  };
}
