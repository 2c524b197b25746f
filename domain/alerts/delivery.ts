/** What one delivery from one source turns into, before any decision is taken on it. */
import type * as z from 'zod';
import { describeIssues, ValidationError } from '../errors.js';
import type { AlertSource, NormalizedAlert } from '../model.js';

/** An SNS HTTP(S) subscription handshake: it carries no alert, only a token to confirm with. */
export interface SnsHandshake {
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  topicArn: string;
  token?: string;
  subscribeUrl?: string;
}

export interface NormalizedDelivery {
  source: AlertSource;
  /** Zero or more alerts: an Alertmanager group carries several, a handshake none. */
  alerts: NormalizedAlert[];
  /** Facts about the delivery as a whole worth recording (truncated alerts, a handshake). */
  notes: string[];
  subscription?: SnsHandshake;
  /** The source's id for the delivery itself, where replays must be refused (PagerDuty's event id). */
  deliveryId?: string;
}

/** Parses a payload against a shape, failing with the first few problems named. */
export function parseShape<S extends z.ZodType>(schema: S, payload: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error.issues);
  throw new ValidationError(`not a valid ${what}: ${issues.slice(0, 3).join('; ')}`, issues);
}
