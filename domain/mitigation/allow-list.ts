/**
 * The gate between what an analyst (or a model) proposes and what may run. Only this code decides:
 * the kind must be in the catalog, the target must be something the incident's own evidence names,
 * and parameters must be plain values of the expected form.
 */
import type { FirebreakConfig } from '../config.js';
import { type Incident, MitigationAction, type Severity } from '../model.js';
import type { ChangeRecord, ServiceInfo } from '../ports.js';

export type Verdict = { ok: true; action: MitigationAction } | { ok: false; reason: string };

const PARAMS: Record<MitigationAction['kind'], RegExp> = {
  // `change`: the id of the configuration change to revert, as the Evidence port named it;
  // `toTime`: the instant a datastore is restored to (a snapshot or point in time before data loss).
  rollback: /^(toVersion|fromVersion|change|toTime)$/,
  scale: /^(desiredCount|reservedConcurrency|factor)$/,
  restart: /^$/,
  'feature-flag': /^(enabled|application|environment)$/,
  failover: /^(region|from|to)$/,
  'block-traffic': /^(ipSet|cidr|rule)$/,
  'rotate-credentials': /^(secret|principal|accessKeyId)$/,
};

// Redaction placeholders (`<ip:3f9a1c>/32`, `<aws-access-key:…WXYZ>`) are plain values too: the
// Actions port swaps them for the value structured evidence holds (domain/redaction/actions.ts).
const SAFE_VALUE = /^(?:[A-Za-z0-9._:/@+-]|<[a-z][a-z0-9-]{1,39}:(?:…[A-Za-z0-9]{4}|[0-9a-f]{6})>){1,128}$/;

/** A string parameter value the allow-list passes: an identifier, a version, an ARN or a placeholder. */
export const isSafeParamValue = (value: string): boolean => SAFE_VALUE.test(value);

/** Resources the incident's evidence knows about: the only valid action targets. */
export function knownTargets(
  incident: Incident,
  services: ServiceInfo[],
  changes: ChangeRecord[],
): Set<string> {
  const names = [
    ...incident.services,
    ...(incident.service ? [incident.service] : []),
    ...services.map((s) => s.name),
    ...changes.flatMap((c) => [c.service, c.resource]),
  ].filter((n): n is string => !!n);
  return new Set(names.map((n) => n.toLowerCase()));
}

export function vetAction(proposal: unknown, targets: Set<string>): Verdict {
  const parsed = MitigationAction.safeParse(proposal);
  if (!parsed.success) return { ok: false, reason: 'proposal is not an allow-listed action' };
  const action = parsed.data;
  if (!targets.has(action.target.toLowerCase())) {
    return { ok: false, reason: `target "${action.target.slice(0, 60)}" is not a resource of this incident` };
  }
  for (const [key, value] of Object.entries(action.params)) {
    if (!PARAMS[action.kind].test(key))
      return { ok: false, reason: `parameter ${key} is not valid for ${action.kind}` };
    if (typeof value === 'string' && !SAFE_VALUE.test(value)) {
      return { ok: false, reason: `parameter ${key} has an unsafe value` };
    }
    if (typeof value === 'number' && (!Number.isFinite(value) || value < 0 || value > 10_000)) {
      return { ok: false, reason: `parameter ${key} is out of range` };
    }
  }
  return { ok: true, action: { ...action, rationale: action.rationale.slice(0, 500) } };
}

export const isEnabled = (config: FirebreakConfig, action: MitigationAction) =>
  config.enabledActions.includes(action.kind);

export const needsApproval = (config: FirebreakConfig, severity: Severity) =>
  config.approvalRequiredFor.includes(severity);

/** Two actions are the same when kind, target and every parameter match. */
export const sameAction = (a: MitigationAction, b: MitigationAction) =>
  a.kind === b.kind &&
  a.target === b.target &&
  JSON.stringify(Object.entries(a.params).sort()) === JSON.stringify(Object.entries(b.params).sort());
