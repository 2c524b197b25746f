/**
 * Triage: how bad, who to send, what is involved. Severity weighs the alert's own hint against the
 * service catalog (tier, user-facing), the measured user impact and the blast radius; anything
 * without user impact (noise, already recovered, internal batch) is SEV4 — a ticket, not a page.
 */
import { SEVERITIES, type Severity, type Specialist } from '../../model.js';
import type { TriageDecision } from '../../ports.js';
import type { Analysis } from './analysis.js';
import type { Candidate } from './candidate.js';
import { assessImpact, type Impact } from './impact.js';
import { isAnomalous } from './series.js';
import { uniq } from './util.js';

const idx = (s: Severity) => SEVERITIES.indexOf(s);
const at = (i: number): Severity => SEVERITIES[Math.max(0, Math.min(3, i))];

const IMPACT_SEVERITY: Record<Impact['level'], Severity> = {
  outage: 'SEV1',
  major: 'SEV2',
  minor: 'SEV3',
  none: 'SEV4',
};

/** A leading security conclusion that credentials or data are in someone else's hands. */
const isBreach = (c: Candidate | undefined): boolean =>
  c?.category === 'security' &&
  c.confidence >= 0.5 &&
  (c.mitigation?.kind === 'rotate-credentials' ||
    /exposed|compromis|leak|exfiltrat|taken over|takeover/i.test(c.summary));

export function severityOf(
  a: Analysis,
  impact: Impact,
  leading: Candidate | undefined,
): { severity: Severity; why: string[] } {
  const why: string[] = [];
  const info = a.snap.catalog.get(a.snap.service);
  const hint = a.snap.alert?.severityHint;
  if (isBreach(leading)) return { severity: 'SEV1', why: ['security breach: credentials or data exposed'] };
  if (leading?.category === 'healthy' && leading.confidence >= 0.6) {
    return {
      severity: 'SEV4',
      why: [`no user impact: ${leading.causalChain.join('; ') || 'nothing abnormal'}`],
    };
  }
  if (!impact.observed) {
    // Nothing to measure is not the same as nothing wrong: trust the alert, then the catalog.
    const byTier = info?.tier === 'critical' ? 'SEV2' : info?.tier === 'internal' ? 'SEV4' : 'SEV3';
    const severity = hint ?? byTier;
    return {
      severity,
      why: [
        `no telemetry to measure impact; ${hint ? `alert says ${hint}` : `tier ${info?.tier ?? 'unknown'}`}`,
      ],
    };
  }
  why.push(`impact ${impact.level} (${impact.describe})`);
  if (impact.level === 'none') return { severity: 'SEV4', why: [...why, 'no user impact: ticket, no page'] };
  let measured = idx(IMPACT_SEVERITY[impact.level]);
  if (!impact.userFacing) {
    measured += 1;
    why.push(
      `${info?.name ?? 'the service'} and its callers are ${info?.tier === 'internal' ? 'internal' : 'not user-facing'}`,
    );
  } else if (info?.tier === 'critical' && impact.level === 'minor') {
    measured -= 1;
    why.push(`${info.name} is critical and user-facing`);
  }
  if (impact.services.length >= 4 || impact.firingAlarms >= 4) {
    measured -= 1;
    why.push(`blast radius: ${impact.services.length} services, ${impact.firingAlarms} alarms`);
  }
  let severity = at(measured);
  if (hint) {
    // The alert's author knew the service; move at most one step away from their hint.
    const h = idx(hint);
    severity = at(h + Math.sign(measured - h) * Math.min(1, Math.abs(measured - h)));
    why.push(`alert says ${hint}`);
  }
  return { severity, why };
}

export function chooseSpecialists(a: Analysis, impact: Impact): Specialist[] {
  const out: Specialist[] = ['logs', 'metrics', 'changes'];
  const deps = a.snap.catalog.dependencies(a.snap.service);
  if (
    deps.length ||
    a.dependencies.length ||
    a.snap.alarms.some((x) => x.state === 'ALARM' && x.service !== a.snap.service)
  ) {
    out.push('dependencies');
  }
  const text = `${a.snap.alert?.title ?? ''} ${a.snap.alert?.description ?? ''}`;
  if (
    a.snap.security.length ||
    /login|auth|waf|attack|ddos|credential|iam|guardduty|unauthori[sz]ed|brute/i.test(text)
  ) {
    out.push('security');
  }
  if (
    a.saturation.length ||
    impact.latencyFactor !== undefined ||
    a.views.some((v) => isAnomalous(v) && v.kind === 'traffic')
  ) {
    out.push('performance');
  }
  return out;
}

export function triage(a: Analysis, leading: Candidate | undefined): TriageDecision {
  const impact = assessImpact(a);
  const { severity, why } = severityOf(a, impact, leading);
  const service = a.snap.service;
  const services = uniq([
    ...(service ? [service, ...a.snap.catalog.dependencies(service)] : []),
    ...impact.services.filter((s) => a.snap.catalog.get(s)),
  ]);
  return {
    severity,
    specialists: chooseSpecialists(a, impact),
    services,
    rationale: `${severity}: ${why.join('; ')}.`,
  };
}
