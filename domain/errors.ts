/**
 * Typed errors. Their `name` is what Step Functions matches in Retry and Catch
 * (a Lambda's errorType), so these names are part of the ASL contract. Each class states its name
 * as a literal: a minifier renames classes, and `new.target.name` would then report `"s"`.
 */
export class FirebreakError extends Error {
  override name = 'FirebreakError';
}

/** Bad input from a caller: rejected with a reason, nothing written. */
export class ValidationError extends FirebreakError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
  }
}

/** A fault worth retrying (throttling, a dropped connection). Retried by the state machine. */
export class TransientError extends FirebreakError {
  override name = 'TransientError';
}

/** The incident or item asked for does not exist. */
export class NotFoundError extends FirebreakError {
  override name = 'NotFoundError';
}

/** A conditional write lost: someone else changed the item first. */
export class ConflictError extends FirebreakError {
  override name = 'ConflictError';
}

/** A human rejected the proposed mitigation. Caught by the flow, which escalates. */
export class ApprovalRejected extends FirebreakError {
  override name = 'ApprovalRejected';
}

/** Summarises zod issues as one readable line per problem. */
export function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string[] {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
}
