/** Grounding a proposed action: its target and every parameter against the facts and sane bounds. */
import type { MitigationAction } from '../../../model.js';
import type { ChangeRecord } from '../../../ports.js';
import { mentionsWord } from '../../../text.js';

import { contains, coveringPrefix, evidenceSources, parseRange } from './addresses.js';
import { knownNames, OK, precedesOnset, refuse, type Verdict } from './conclusions.js';
import { changedTargets, type FactItem, type Facts, lower } from './facts.js';

export interface ActionBounds {
  /** The most a scale action may multiply capacity by (a factor, or an absolute count over the current). */
  maxScaleFactor: number;
  /** Narrowest prefix a block may be widened to, whatever the sources: a sanity floor. */
  minIpv4Prefix: number;
  minIpv6Prefix: number;
}

export const DEFAULT_ACTION_BOUNDS: ActionBounds = {
  maxScaleFactor: 3,
  minIpv4Prefix: 16,
  minIpv6Prefix: 48,
};

/** A value a parameter names must appear in the text of some evidence item. */
export function namedByEvidence(value: string, facts: Facts): boolean {
  const v = lower(value).trim();
  if (v.length < 2) return false;
  if (knownNames(facts).includes(v)) return true;
  for (const item of facts.items.values()) if (mentionsWord(item.text, v)) return true;
  return false;
}

export function rollbackVerdict(action: MitigationAction, facts: Facts): Verdict {
  const target = lower(action.target);
  if (!changedTargets(facts.changes).has(target)) {
    return refuse(`rollback of ${action.target}: nothing of that name changed in the window`);
  }
  const records = facts.changes.filter((c) => lower(c.service) === target || lower(c.resource) === target);
  const versions = new Set(
    records.flatMap((c) => [c.version, c.previousVersion]).filter(Boolean) as string[],
  );
  for (const key of ['toVersion', 'fromVersion']) {
    const v = action.params[key];
    if (v !== undefined && !versions.has(String(v))) {
      return refuse(
        `rollback of ${action.target}: ${key}=${String(v).slice(0, 40)} is not a version the evidence shows for it`,
      );
    }
  }
  let blamed: ChangeRecord | undefined;
  const changeId = action.params.change;
  if (changeId !== undefined) {
    blamed = records.find((c) => c.id === String(changeId));
    if (!blamed) {
      return refuse(
        `rollback of ${action.target}: change=${String(changeId).slice(0, 60)} is not a change the evidence shows for it`,
      );
    }
  } else if (action.params.fromVersion !== undefined) {
    blamed = records.find((c) => c.version === String(action.params.fromVersion));
  }
  if (blamed) {
    return precedesOnset(blamed, facts.onset)
      ? OK
      : refuse(
          `rollback of ${action.target}: ${blamed.id} at ${blamed.at} came after the onset at ${facts.onset}`,
        );
  }
  if (!records.some((c) => precedesOnset(c, facts.onset))) {
    return refuse(`rollback of ${action.target}: every change to it came after the onset at ${facts.onset}`);
  }
  return OK;
}

/** The current level of what a scale action sets, from the evidence's metrics for the target. */
export function currentLevel(target: string, key: string, facts: Facts): number | undefined {
  const pattern =
    key === 'reservedConcurrency'
      ? /concurren/i
      : /(desired|running|pending)?task.?count|desiredcount|instances?|capacity|replicas?/i;
  const levels = [...facts.items.values()]
    .filter(
      (i) => i.kind === 'metric' && lower(i.service) === target && i.metricName && pattern.test(i.metricName),
    )
    .map((i) => i.latest)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return levels.length ? Math.max(...levels) : undefined;
}

export function scaleVerdict(action: MitigationAction, facts: Facts, bounds: ActionBounds): Verdict {
  const target = lower(action.target);
  for (const [key, value] of Object.entries(action.params)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return refuse(`scale: ${key} must be a number`);
    if (key === 'factor') {
      if (value <= 0 || value > bounds.maxScaleFactor) {
        return refuse(`scale: factor ${value} is outside (0, ${bounds.maxScaleFactor}]`);
      }
      continue;
    }
    if (!Number.isInteger(value) || value < 1)
      return refuse(`scale: ${key}=${value} must be a whole number ≥ 1`);
    const current = currentLevel(target, key, facts);
    if (current === undefined) {
      return refuse(
        `scale: ${key}=${value} but no evidence shows the current level of ${action.target}; propose a factor instead`,
      );
    }
    const ceiling = Math.max(1, Math.ceil(current * bounds.maxScaleFactor));
    if (value > ceiling) {
      return refuse(
        `scale: ${key}=${value} is more than ${bounds.maxScaleFactor}× the current ${current} of ${action.target}`,
      );
    }
  }
  return OK;
}

export function blockVerdict(action: MitigationAction, facts: Facts, bounds: ActionBounds): Verdict {
  for (const [key, value] of Object.entries(action.params)) {
    if (key !== 'cidr') {
      if (!namedByEvidence(String(value), facts)) {
        return refuse(`block-traffic: ${key}=${String(value).slice(0, 60)} is not named by any evidence`);
      }
      continue;
    }
    const range = parseRange(String(value));
    if (!range) return refuse(`block-traffic: cidr=${String(value).slice(0, 60)} is not an address range`);
    const floor = range.v === 4 ? bounds.minIpv4Prefix : bounds.minIpv6Prefix;
    if (range.prefix < floor) {
      return refuse(`block-traffic: cidr=${value} is wider than /${floor}`);
    }
    const covered = evidenceSources(facts).filter((s) => contains(range, s));
    if (!covered.length) {
      return refuse(`block-traffic: cidr=${value} covers no source address the evidence names`);
    }
    const needed = coveringPrefix(covered);
    if (range.prefix < needed) {
      return refuse(
        `block-traffic: cidr=${value} is wider than the evidence's sources (/${needed} covers them)`,
      );
    }
  }
  return OK;
}

export const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export function failoverVerdict(action: MitigationAction, facts: Facts): Verdict {
  const { from, to, region } = action.params;
  if (from !== undefined && !namedByEvidence(String(from), facts)) {
    return refuse(`failover: from=${String(from).slice(0, 60)} is not named by any evidence`);
  }
  for (const [key, value] of [
    ['to', to],
    ['region', region],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || !REGION.test(value)) {
      return refuse(`failover: ${key}=${String(value).slice(0, 60)} is not a region`);
    }
    if (from !== undefined && lower(String(from)) === lower(value)) {
      return refuse(`failover: ${key} is the region being failed away from`);
    }
  }
  return OK;
}

export function namedParamsVerdict(action: MitigationAction, facts: Facts, keys: string[]): Verdict {
  for (const key of keys) {
    const value = action.params[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !namedByEvidence(value, facts)) {
      return refuse(`${action.kind}: ${key}=${String(value).slice(0, 60)} is not named by any evidence`);
    }
  }
  return OK;
}

/**
 * Whether a model-proposed action is supported by the evidence:
 * - a rollback must undo a deployment or change in the window that preceded the onset, with any
 *   version or change id the change records show for that target;
 * - any other action must target the incident's services (or their dependencies) or something that
 *   changed, and some cited evidence must name that target;
 * - every parameter is bounded: scale by at most the configured factor (absolute counts only against
 *   a current level the metrics show), blocks no wider than the evidence's sources, and keys,
 *   principals, secrets, rules and flags only as the evidence names them.
 */
export function groundAction(
  action: MitigationAction,
  facts: Facts,
  cited: FactItem[],
  bounds: ActionBounds = DEFAULT_ACTION_BOUNDS,
): Verdict {
  if (action.kind === 'rollback') return rollbackVerdict(action, facts);
  const target = lower(action.target);
  if (!facts.scope.has(target) && !changedTargets(facts.changes).has(target)) {
    return refuse(`${action.kind} of ${action.target}: not a service of this incident`);
  }
  if (!cited.some((i) => lower(i.service) === target || mentionsWord(i.text, target))) {
    return refuse(`${action.kind} of ${action.target}: no cited evidence names it`);
  }
  switch (action.kind) {
    case 'scale':
      return scaleVerdict(action, facts, bounds);
    case 'restart':
      return Object.keys(action.params).length ? refuse('restart takes no parameters') : OK;
    case 'feature-flag': {
      const enabled = action.params.enabled;
      if (enabled !== undefined && typeof enabled !== 'boolean')
        return refuse('feature-flag: enabled must be true or false');
      return namedParamsVerdict(action, facts, ['application', 'environment']);
    }
    case 'failover':
      return failoverVerdict(action, facts);
    case 'block-traffic':
      return blockVerdict(action, facts, bounds);
    case 'rotate-credentials':
      return namedParamsVerdict(action, facts, ['accessKeyId', 'principal', 'secret']);
  }
}
