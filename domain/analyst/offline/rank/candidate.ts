/**
 * A candidate root cause: what the explainers propose and synthesis chooses between. The
 * mitigation is built here, and only here, so that an action's target is always a name the
 * evidence knows structurally (catalog service, deployed service, change resource, metric
 * service) and never a string lifted from a log line or alert text.
 */
import type { RuledOut } from '../../../knowledge/schema.js';
import { isSafeParamValue } from '../../../mitigation/allow-list.js';
import type { ActionKind, Category, MitigationAction, Specialist } from '../../../model.js';
import type { ChangeRecord } from '../../../ports.js';
import type { Analysis } from '../analysis.js';
import { lower } from '../measure.js';

/**
 * Where a candidate is capped when its evidence makes it a lead and never a conclusion (an attack
 * that hurt nothing, a provider's notice nothing of ours confirms): under the bar from which
 * synthesis names even a tentative cause (`TENTATIVE_CONFIDENCE` in `candidates.ts`).
 */
export const LEAD_ONLY = 0.2;

export interface Candidate {
  category: Category;
  culprit: string;
  summary: string;
  causalChain: string[];
  confidence: number;
  evidence: string[];
  mitigation: MitigationAction | null;
  /** Specialists whose finding reports this candidate. */
  specialists: Specialist[];
  /** Failure-knowledge entries its evidence matched. */
  signatures?: string[];
  /** What those entries rule out: other hypotheses this one, if true, explains away. */
  rulesOut?: RuledOut[];
  /** Why another hypothesis weakened it, for the ruled-out list. */
  against?: string;
  /** When its own evidence began (knowledge matches), to order it against the effects. */
  since?: string;
  /** Its signatures name causes no catalog action undoes (a deletion, an exhausted id space). */
  noRemedy?: boolean;
  /** For a change: when it landed, and the service it touched. */
  changeAt?: string;
  changeService?: string;
  /** For an effect (saturation, failing dependency): when it began and on what. */
  effect?: {
    at: string;
    resource: string;
    /** It names its own trigger (a consumer, a leak), so a change cannot claim it. */
    explained: boolean;
    /** One clause for a causal summary: "pricing-rules ran out of CPU". */
    headline: string;
    /**
     * A change elsewhere can have caused it by sending more load (a resource, an internal
     * dependency whose traffic rose). Otherwise only a change to the resource itself can.
     */
    loadLinked: boolean;
    /** More requests were reaching it (its own or its callers') as it ran out. */
    surged?: boolean;
  };
}

/**
 * An allow-listed action against a known target, or null when the target is not a known name.
 * `known` must come from structured evidence fields only.
 */
export function action(
  kind: ActionKind,
  target: string | undefined,
  known: string[],
  rationale: string,
  params: Record<string, string | number | boolean> = {},
): MitigationAction | null {
  if (!target) return null;
  const match = known.find((k) => lower(k) === lower(target));
  if (!match) return null;
  return { kind, target: match, params, rationale };
}

/**
 * Rolling a service back from a release to the one before it, the version pair as parameters.
 *
 * @example releaseRollback(deploy, 'checkout', a.knownNames) // roll checkout back from v42 to v41
 */
export function releaseRollback(
  ch: Pick<ChangeRecord, 'version' | 'previousVersion'>,
  target: string | undefined,
  known: string[],
  why = '',
): MitigationAction | null {
  return action(
    'rollback',
    target,
    known,
    `roll ${target} back from ${ch.version ?? 'the new version'} to ${ch.previousVersion ?? 'the previous version'}${why}`,
    // A label the allow-list cannot carry ("dns-as-code MR !407") is left out: the adapter then rolls
    // back to the deployment before the current one, which is the same release.
    ch.previousVersion && isSafeParamValue(ch.previousVersion) && isSafeParamValue(ch.version ?? 'none')
      ? { toVersion: ch.previousVersion, fromVersion: ch.version ?? '' }
      : {},
  );
}

/**
 * The release a deployment candidate blames (the record its evidence starts with), or undefined
 * when the candidate is about anything else.
 */
export function releaseOf(a: Pick<Analysis, 'snap'>, c: Candidate): ChangeRecord | undefined {
  if (c.category !== 'deployment' || !c.changeAt) return undefined;
  const record = a.snap.changes.find((r) => r.id === c.evidence[0]);
  return record?.kind === 'deployment' ? record : undefined;
}
