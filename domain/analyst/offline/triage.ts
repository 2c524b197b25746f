/**
 * Triage: how bad, who to send, what is involved. Severity weighs the alert's own hint against the
 * service catalog (tier, user-facing), the measured user impact over the dependency graph and the
 * blast radius; anything without user impact (noise, already recovered, internal batch) is SEV4 —
 * a ticket, not a page — except that data at risk, security compromise and a front door's process
 * killed are SEV1–2 (data already lost SEV1), a critical or user-facing service that shows errors
 * is never SEV4, and a person's own severity word stands where the telemetry measures nothing.
 */
import { SEVERITIES, type Severity, type Specialist } from '../../model.js';
import type { TriageDecision } from '../../ports.js';
import { clip } from '../../text.js';
import type { Analysis } from './analysis.js';
import { assessImpact, type Impact } from './evidence/impact.js';
import { isAnomalous } from './evidence/series.js';
import { uniq } from './measure.js';
import type { Candidate } from './rank/candidate.js';

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
  const base = measuredSeverity(a, impact, leading);
  const why = [...base.why];
  let severity = base.severity;
  // Floors that no hint, recovery or tier can go under: they are about what cannot be undone.
  const floor = (level: Severity, reason: string) => {
    if (idx(severity) > idx(level)) {
      why.push(`${reason}: at least ${level}`);
      severity = level;
    }
  };
  // Data already gone is as grave as a breach: no recovery of the service brings it back.
  if (impact.dataLost.length) floor('SEV1', `data lost (${impact.dataLost.join('; ')})`);
  if (impact.compromise.length) floor('SEV2', `security compromise (${impact.compromise.join('; ')})`);
  if (impact.dataAtRisk.length) floor('SEV2', `data at risk (${impact.dataAtRisk.join('; ')})`);
  if (impact.killed.length) floor('SEV2', `front door lost its process (${impact.killed.join('; ')})`);
  if (impact.erroring.length) {
    floor('SEV3', `${impact.erroring.join(', ')} ${impact.erroring.length > 1 ? 'show' : 'shows'} errors`);
  }
  // A person who starts an incident by hand saw something; only recovery seen in the evidence outweighs that.
  if (a.snap.alert?.source === 'manual' && !a.snap.alert.severityHint && !impact.recovered) {
    floor('SEV3', 'a person reported it by hand');
  }
  return { severity, why };
}

/** Severity from the measured impact, the catalog and the alert's own word, before the floors. */
function measuredSeverity(
  a: Analysis,
  impact: Impact,
  leading: Candidate | undefined,
): { severity: Severity; why: string[] } {
  const why: string[] = [];
  const info = a.snap.catalog.get(a.snap.service);
  const hint = a.snap.alert?.severityHint;
  const word = a.snap.alert?.severityWord;
  const stakes = impact.dataAtRisk.length > 0 || impact.compromise.length > 0;
  if (isBreach(leading)) return { severity: 'SEV1', why: ['security breach: credentials or data exposed'] };
  // Errors a healthy verdict accounts for (an announced maintenance's) still floor it at SEV3 below.
  if (leading?.category === 'healthy' && leading.confidence >= 0.6 && !stakes) {
    return {
      severity: 'SEV4',
      why: [`no user impact: ${leading.causalChain.join('; ') || 'nothing abnormal'}`],
    };
  }
  if (impact.recovered && !stakes) {
    return {
      severity: 'SEV4',
      why: [
        `already recovered when investigated (${a.noise.reasons[0] ?? 'alarm back to OK'}): ticket, no page`,
      ],
    };
  }
  const byTier: Severity = info?.tier === 'critical' ? 'SEV2' : info?.tier === 'internal' ? 'SEV4' : 'SEV3';
  const said = hint ? `alert says ${hint}` : word ? `alert says "${word}" (not a known severity word)` : '';
  if (!impact.observed) {
    // Nothing to measure is not the same as nothing wrong: trust the alert, then the catalog.
    return {
      severity: hint ?? byTier,
      why: [
        `no telemetry to measure impact; ${hint ? said : `${said ? `${said}; ` : ''}tier ${info?.tier ?? 'unknown'}`}`,
      ],
    };
  }
  why.push(`impact ${impact.level} (${impact.describe})`);
  if (word) why.push(`${said}; weighed by tier ${info?.tier ?? 'unknown'}`);
  if (impact.level === 'none') {
    // A person's report carries what telemetry may not hold (a customer's email, a tampered
    // download): measuring nothing is not measuring "fine". Their word stands as an alert's does
    // when there is nothing to measure; recovery and a healthy verdict were weighed above.
    if (hint && a.snap.alert?.source === 'manual') {
      return {
        severity: hint,
        why: [...why, `reported by hand as ${hint}; nothing measured contradicts it`],
      };
    }
    return { severity: 'SEV4', why: [...why, 'no user impact: ticket, no page'] };
  }
  let measured = idx(IMPACT_SEVERITY[impact.level]);
  if (!impact.userFacing && info?.tier !== 'critical') {
    measured += 1;
    why.push(
      `${info?.name ?? 'the service'} and its callers are ${info?.tier === 'internal' ? 'internal' : 'not user-facing'}`,
    );
  } else if (info?.tier === 'critical' && impact.level === 'minor') {
    measured -= 1;
    why.push(`${info.name} is critical${impact.userFacing ? ' and user-facing' : ''}`);
  }
  // SEV1 is the business's core path down. A catalog that ranks the whole measured path below
  // `high` says the broken feature is not that path: its outage is major (SEV2), not all hands.
  if (measured <= 0 && (impact.pathTier === 'standard' || impact.pathTier === 'internal')) {
    measured = 1;
    why.push(`outage of a ${impact.pathTier}-tier path, not a critical one: major`);
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
    // Errors only counted (nothing to divide them by) make the measured level a lower bound: the
    // author's one step worse stands; their one step better does not.
    if (!impact.rated && idx(severity) === h + 1) {
      severity = hint;
      why.push(`${said}; the impact is counted, not rated (no request count), so it is a lower bound`);
    } else why.push(said);
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
    impact: {
      level: impact.observed ? impact.level : 'unknown',
      summary: clip([impact.describe, ...impact.dataAtRisk, ...impact.compromise].join('; '), 500),
      failing: impact.services.filter((s) => a.snap.catalog.get(s) || s === service),
    },
  };
}
