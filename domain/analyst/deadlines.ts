/**
 * How long each model step may take before the offline analyst answers instead. Each deadline is
 * nested inside its phase's budget: deadline + FALLBACK_RESERVE_MS < the phase's Lambda timeout
 * (lib/profiles.ts) < its Task's TimeoutSeconds (statemachines/incident-response.asl.json),
 * which is also what the local engine enforces. A step that outlived its Task would be cut off by the
 * engine before the fallback had its turn, and the incident would stop with no severity;
 * test/lambdas/flow/deadlines.test.ts holds the three figures together.
 */

export type ModelStep = 'triage' | 'specialist' | 'synthesis' | 'postmortem';

export const MODEL_STEP_DEADLINE_MS: Readonly<Record<ModelStep, number>> = {
  triage: 30_000,
  specialist: 220_000,
  synthesis: 220_000,
  postmortem: 220_000,
};

/**
 * What a phase keeps for itself around its model step: reading the incident and its evidence before,
 * the offline answer and the writes and messages after.
 */
export const FALLBACK_RESERVE_MS = 20_000;

/** The Task (and Lambda) that runs each model step. */
export const MODEL_STEP_PHASE = {
  triage: 'TriageFunctionArn',
  specialist: 'InvestigateFunctionArn',
  synthesis: 'SynthesizeFunctionArn',
  postmortem: 'PostmortemFunctionArn',
} as const satisfies Record<ModelStep, string>;
