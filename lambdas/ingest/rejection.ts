/**
 * A delivery refused for a reason the sender can act on. The code is the metric dimension and the
 * `error` field of the JSON answer; the status is what the HTTP endpoints answer (never 5xx).
 */
import { ValidationError } from '../../domain/errors.js';

export const REJECT_STATUS = {
  'body-too-large': 413,
  'invalid-json': 400,
  'invalid-payload': 400,
  'topic-not-allowed': 400,
  'missing-signature': 401,
  'bad-signature': 401,
  'stale-signature': 401,
  'missing-token': 401,
  'bad-token': 401,
  'not-configured': 401,
  'not-found': 404,
  'method-not-allowed': 405,
} as const;
export type RejectReason = keyof typeof REJECT_STATUS;

export class DeliveryRejected extends ValidationError {
  override name = 'DeliveryRejected';
  constructor(
    readonly code: RejectReason,
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return REJECT_STATUS[this.code];
  }
}

/** A refusal as every entry point reports it. */
export const rejection = (err: DeliveryRejected | ValidationError) => ({
  decision: 'reject' as const,
  error: err instanceof DeliveryRejected ? err.code : 'invalid-payload',
  reason: err.message,
});
