/**
 * Small readers for untrusted JSON: each takes `unknown` and returns a typed value or undefined,
 * so normalizers never trust a field's type because the documentation says so.
 */
import { createHash } from 'node:crypto';

export type Json = Record<string, unknown>;

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A non-empty string, or undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length ? v : undefined);

/** A string or a number as a string (PagerDuty and Alertmanager v3 send some ids as numbers). */
export const text = (v: unknown): string | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? String(v) : str(v);

export const obj = (v: unknown): Json => (isObj(v) ? v : {});
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Short stable id for payloads that carry none. */
export const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** String-valued map (labels, tags, dimensions); non-scalar values are dropped, not stringified. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(obj(v))) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[k] = String(value);
  }
  return out;
}

/**
 * An ISO-8601 time, or `fallback`. CloudWatch writes "2026-11-20T10:04:00.000+0000", which Date
 * cannot read as is; LocalStack snapshots write "date".
 */
export function toIso(v: unknown, fallback: string): string {
  const s = str(v);
  if (!s) return fallback;
  const t = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(t) ? fallback : new Date(t).toISOString();
}

/** Parses a JSON string field (CloudWatch's reasonData, SNS's Message); undefined when it is not JSON. */
export function parseJsonField(v: unknown): Json | undefined {
  const s = str(v);
  if (!s) return undefined;
  try {
    const parsed: unknown = JSON.parse(s);
    return isObj(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** An AWS region code (`eu-west-1`), or undefined for anything else (a placeholder, a long name). */
export const region = (v: unknown): string | undefined => {
  const s = str(v);
  return s && /^[a-z]{2}(-[a-z]+)+-\d$/.test(s) ? s : undefined;
};

/** The region of an ARN (`arn:aws:sns:eu-west-1:…`), when it has one. */
export const arnRegion = (arn: unknown): string | undefined => region(str(arn)?.split(':')[3]);

/** The resource name at the end of an alarm ARN (`…:alarm:ServerCpuTooHigh` → `ServerCpuTooHigh`). */
export const alarmNameFromArn = (arn: string): string => arn.split(':alarm:')[1] ?? arn;
