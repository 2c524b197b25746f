/**
 * How ingestion decides: the grouping window, how long claims live, the replay window. One schema
 * for every engine: the Lambda reads it from INGEST_OPTIONS (JSON), the CLI and `serve` use the
 * defaults.
 */
import * as z from 'zod';
import { describeIssues, ValidationError } from '../errors.js';

export const IngestOptions = z.object({
  /**
   * Alerts of one service within this many minutes of the last alert grouped into an incident join
   * it instead of opening another (0 turns grouping off; fingerprints still dedup).
   */
  groupWindowMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(15),
  /** How long a fingerprint's claim on its open incident lives without a resolution (DynamoDB TTL). */
  claimHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  /**
   * A claim whose incident never appeared is taken over after this long. It must exceed the ingest
   * function's timeout, so a slow writer is never mistaken for a dead one.
   */
  claimLeaseSeconds: z.number().int().min(5).max(3600).default(60),
  /**
   * How long one process reuses a routing (fingerprint → open incident) during a storm (0: never).
   * Safe to keep for seconds: every join re-reads its incident (consistently) before linking, and
   * an alert routed to one that closed meanwhile is routed again.
   */
  routeCacheMs: z.number().int().min(0).max(60_000).default(30_000),
  /** How long a PagerDuty delivery id is remembered for replay protection. */
  replayKeepHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(7 * 24),
  /** SNS topics whose notifications and subscription handshakes are accepted (empty: any). */
  snsTopicArns: z.array(z.string().startsWith('arn:')).default([]),
});
export type IngestOptions = z.infer<typeof IngestOptions>;

export function parseIngestOptions(input: unknown): IngestOptions {
  const parsed = IngestOptions.safeParse(input ?? {});
  if (!parsed.success) {
    throw new ValidationError('invalid ingest options', describeIssues(parsed.error.issues));
  }
  return parsed.data;
}

/** The largest body any endpoint accepts: larger deliveries are refused with 413. */
export const MAX_BODY_BYTES = 256 * 1024;
