/**
 * Why a model step did not produce a usable answer. Every one of these makes the analyst fall back to
 * the offline analyst for that step; the reason goes on the timeline so people know what happened.
 */
import Anthropic from '@anthropic-ai/sdk';
import { FirebreakError } from '../../errors.js';
import type { TokenUsage } from '../../model.js';

export type StepFailure =
  | 'refusal'
  | 'invalid-output'
  | 'ungrounded'
  | 'budget'
  | 'steps'
  | 'timeout'
  | 'rate-limited'
  | 'overloaded'
  | 'server-error'
  | 'connection'
  | 'api-error'
  | 'error';

export class ModelStepError extends FirebreakError {
  override name = 'ModelStepError';
  constructor(
    readonly reason: StepFailure,
    message: string,
    /** Tokens spent before the step failed: they are billed, so they are reported. */
    readonly usage?: TokenUsage,
  ) {
    super(message);
  }
}

/** Maps whatever a step threw to a typed failure (the SDK has already retried what it retries). */
export function classify(err: unknown, usage?: TokenUsage): ModelStepError {
  if (err instanceof ModelStepError)
    return err.usage || !usage ? err : new ModelStepError(err.reason, err.message, usage);
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof Anthropic.APIUserAbortError || err instanceof Anthropic.APIConnectionTimeoutError) {
    return new ModelStepError('timeout', 'the model did not answer in time', usage);
  }
  if (err instanceof Anthropic.APIConnectionError) {
    return new ModelStepError('connection', `cannot reach the model: ${message}`, usage);
  }
  if (err instanceof Anthropic.APIError) {
    const status = err.status ?? 0;
    if (status === 429) return new ModelStepError('rate-limited', 'rate limited (429) after retries', usage);
    if (status === 529)
      return new ModelStepError('overloaded', 'model overloaded (529) after retries', usage);
    if (status >= 500)
      return new ModelStepError('server-error', `model API error ${status} after retries`, usage);
    return new ModelStepError(
      'api-error',
      `model API refused the request (${status}): ${message.slice(0, 200)}`,
      usage,
    );
  }
  return new ModelStepError(
    'error',
    `${err instanceof Error ? err.name : 'error'}: ${message.slice(0, 200)}`,
    usage,
  );
}
