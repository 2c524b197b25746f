/**
 * Ways around a failure that a service says it has: a flag it logs as available ("flag
 * cart.ddb.failover-region=us-west-2 available", "fallback=dns available", a kill switch). A
 * responder whose dependency is down reaches for exactly these before anything else: they are
 * rehearsed, reversible and act on our side of the failure.
 *
 * Only the service that logged the line is ever a target (a catalog name the evidence carries
 * structurally); the flag's own name is kept for the rationale, never used as a target.
 */
import type { LogSignature } from '../../../ports.js';
import { lower } from '../measure.js';

export interface NamedFallback {
  /** The service whose log names the flag: the action's target. */
  service: string;
  /** The flag's key as logged (`cart.ddb.failover-region`), for the rationale. */
  flag: string;
  /** The flag moves traffic to another region or copy: a failover rather than a degrade. */
  failover: boolean;
  /** An AWS region id the line names as the failover destination. */
  region?: string;
  evidenceId: string;
  at: string;
}

/**
 * A flag key: after the word flag/toggle/kill switch, a dotted, dashed or underscored identifier
 * (plain words after "flag" are prose, not a key).
 */
const FLAG_KEY =
  /\b(?:feature[- ]?flag|flag|toggle|kill[- ]?switch)\s*[:=]?\s*["'`]?([a-z][\w-]*(?:[./:][\w-]+)+|[a-z]+_[\w]+)/i;
/** Words that say the flag sends traffic elsewhere rather than switching a feature off. */
const FAILOVER_WORDS = /fail-?over|secondary|standby|(?:other|alternate|backup) region/i;
const REGION =
  /\b((?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d)\b/i;

/** The fallbacks the logs of known services name, newest mention of each flag last. */
export function namedFallbacks(logs: readonly LogSignature[], services: readonly string[]): NamedFallback[] {
  const known = new Map(services.map((s) => [lower(s), s]));
  const out: NamedFallback[] = [];
  for (const l of logs) {
    const service = known.get(lower(l.service));
    if (!service) continue;
    const text = l.sample || l.signature;
    const key = FLAG_KEY.exec(text)?.[1];
    if (!key) continue;
    if (out.some((f) => f.service === service && f.flag === key)) continue;
    const region = REGION.exec(text)?.[1];
    out.push({
      service,
      flag: key,
      failover: FAILOVER_WORDS.test(text) && !!region,
      ...(region ? { region: region.toLowerCase() } : {}),
      evidenceId: l.id,
      at: l.firstSeen,
    });
  }
  return out;
}
