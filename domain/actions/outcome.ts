/** Shared vocabulary of the AWS action adapters: refusals, outcomes and parameter checks. */
import type { ActionOutcome } from '../ports.js';

/** The action cannot run as asked (bad parameter, nothing to change, missing configuration). */
export class ActionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionRefused';
  }
}

/**
 * The state is already what the action would make it. A dry-run says there is nothing to do (so
 * nobody is asked to approve a no-op); a real run succeeds, which makes a retried call idempotent.
 */
export function alreadyDone(dryRun: boolean, state: unknown, detail: string): ActionOutcome {
  return dryRun
    ? { status: 'failed', before: state, after: state, detail: `nothing to change: ${detail}` }
    : { status: 'applied', before: state, after: state, detail: `already done: ${detail}` };
}

/** A change an action has worked out, before anything is touched. */
export interface PlannedChange {
  /** The state as read. */
  before: unknown;
  /** The state the change would leave: what a dry-run shows. */
  expected: unknown;
  /** What changes, in words (the approval request quotes it). */
  detail: string;
  /** The concrete parameters the change resolved to, pinned by a dry-run for the approval. */
  resolvedParams?: ActionOutcome['resolvedParams'];
}

/**
 * The outcome of a planned change: a dry-run reports it without calling `apply`; a real run calls
 * `apply` and reports the state it returns.
 */
export async function changeOutcome(
  dryRun: boolean,
  plan: PlannedChange,
  apply: () => Promise<unknown>,
): Promise<ActionOutcome> {
  const { before, expected, detail, resolvedParams } = plan;
  if (dryRun)
    return { status: 'dry-run', before, after: expected, detail, ...(resolvedParams && { resolvedParams }) };
  return { status: 'applied', before, after: await apply(), detail };
}

/** A whole positive number from a parameter (which may arrive as "4" or 4). */
export function positiveInt(value: unknown, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max) {
    throw new ActionRefused(`${name} must be a whole number from 1 to ${max}`);
  }
  return n;
}

/** A scale factor: more than 1 (scaling up is the mitigation), at most 10. */
export function scaleFactor(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 1 || n > 10) {
    throw new ActionRefused('factor must be a number above 1 and at most 10');
  }
  return n;
}
