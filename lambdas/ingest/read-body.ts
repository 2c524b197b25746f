/**
 * From raw bytes to a normalized delivery, with every way it can fail named: the same steps for the
 * HTTP endpoints, the Lambda event sources and `firebreak ingest`.
 */
import type { NormalizedDelivery } from '../../domain/alerts/delivery.js';
import { normalizeDelivery } from '../../domain/alerts/normalize.js';
import { ValidationError } from '../../domain/errors.js';
import { MAX_BODY_BYTES } from '../../domain/ingest/options.js';
import type { AlertSource } from '../../domain/model.js';
import { DeliveryRejected } from './rejection.js';

export function checkSize(body: Buffer | string): void {
  const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (bytes > MAX_BODY_BYTES) {
    throw new DeliveryRejected(
      'body-too-large',
      `the body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES}`,
    );
  }
}

export function parseJson(body: Buffer | string): unknown {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (!text.trim()) throw new DeliveryRejected('invalid-json', 'the body is empty');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DeliveryRejected('invalid-json', `the body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Normalizes a parsed payload; a shape problem becomes an `invalid-payload` refusal naming it. */
export function toDelivery(
  payload: unknown,
  source: AlertSource | undefined,
  receivedAt: string,
): NormalizedDelivery {
  try {
    return normalizeDelivery(payload, { source, receivedAt });
  } catch (err) {
    if (err instanceof ValidationError && !(err instanceof DeliveryRejected))
      throw new DeliveryRejected('invalid-payload', err.message);
    throw err;
  }
}

/** Size, JSON, shape: the whole read of a body. */
export function readDelivery(body: Buffer | string, source: AlertSource | undefined, receivedAt: string) {
  checkSize(body);
  const payload = parseJson(body);
  return { payload, delivery: toDelivery(payload, source, receivedAt) };
}
