/**
 * Makes a normalized alert storable by construction. A body within the size limit can still break
 * DynamoDB: a 3,000-character event id exceeds the 1,024-byte sort key, a 205 KB description repeated
 * in the raw payload exceeds the 400 KB item, and a lone UTF-16 surrogate is not valid UTF-8. Each of
 * those used to fail the write on every retry, which the sender was told was temporary.
 *
 * - key parts (event id, fingerprint, service) longer than KEY_PART_CHARS keep a readable head and
 *   end in a hash of the whole, so they stay distinct and deterministic (dedup still works);
 * - text fields are cut with the cut marked, and lists and maps are capped by total size;
 * - the raw payload is kept verbatim up to RAW_BYTES, otherwise its head is kept, marked truncated;
 * - lone surrogates become U+FFFD everywhere, the raw payload included.
 *
 * What remains is far below the item limit; `boundAlert` still measures it and refuses (a
 * ValidationError: a 4xx, never a retry) anything that would not fit.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { NormalizedAlert } from '../model.js';

export const KEY_PART_CHARS = 200;
export const LIMITS = {
  title: 500,
  description: 8_000,
  labelKey: 200,
  labelValue: 1_000,
  labelsTotal: 16_000,
  link: 2_000,
  linksTotal: 8_000,
  resource: 2_048,
  resourcesTotal: 16_000,
  rawBytes: 64 * 1024,
} as const;
/** The most one linked-alert item may hold before the store's own attributes (limit: 400 KB). */
export const MAX_ALERT_BYTES = 300 * 1024;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string with every unpaired surrogate replaced by U+FFFD (String.prototype.toWellFormed). */
export const wellFormed = (s: string): string => s.replace(LONE_SURROGATE, '\ufffd');

/** Cuts at `max` characters, saying how much was cut; never splits a surrogate pair. */
export function capText(s: string, max: number): string {
  const clean = wellFormed(s);
  if (clean.length <= max) return clean;
  const marker = ` … [cut: ${clean.length} characters in all]`;
  let head = clean.slice(0, Math.max(0, max - marker.length));
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return `${head}${marker}`;
}

/** A key part that fits any DynamoDB key: itself when short, else a readable head and a hash of all of it. */
export function keyPart(s: string): string {
  const clean = wellFormed(s);
  if (clean.length <= KEY_PART_CHARS && Buffer.byteLength(clean) <= KEY_PART_CHARS * 2) return clean;
  const digest = createHash('sha256').update(clean).digest('hex').slice(0, 32);
  let head = clean.slice(0, 96);
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return `${head}~${digest}`;
}

function capList(items: string[], each: number, total: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (const item of items) {
    const v = capText(item, each);
    if (used + v.length > total) {
      out.push(`[cut: ${items.length - out.length} more]`);
      break;
    }
    out.push(v);
    used += v.length;
  }
  return out;
}

function capLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Object.entries(labels);
  let used = 0;
  for (let i = 0; i < entries.length; i++) {
    const k = capText(entries[i][0], LIMITS.labelKey);
    const v = capText(entries[i][1], LIMITS.labelValue);
    if (used + k.length + v.length > LIMITS.labelsTotal) {
      out['firebreak.cut'] = `${entries.length - i} more labels not kept`;
      break;
    }
    out[k] = v;
    used += k.length + v.length;
  }
  return out;
}

/**
 * The JSON text with its lone surrogates replaced. JSON.stringify writes a paired surrogate as the
 * character itself and a lone one as a `\udxxx` escape, so every such escape (not preceded by an
 * escaped backslash) is a lone surrogate, which would turn back into one on reading.
 */
const wellFormedJson = (text: string): string =>
  text.replace(/\\(\\|ud[89a-f][0-9a-f]{2})/g, (m, g: string) => (g === '\\' ? m : '\\ufffd'));

function capRaw(raw: unknown): unknown {
  if (raw === undefined) return undefined;
  const json = JSON.stringify(raw) ?? 'null';
  const text = wellFormedJson(json);
  const bytes = Buffer.byteLength(text);
  if (bytes <= LIMITS.rawBytes) return text === json ? raw : JSON.parse(text);
  // Characters, not bytes: at most 3 UTF-8 bytes per UTF-16 unit keeps it within the limit.
  return {
    truncated: true,
    bytes,
    head: capText(text, Math.floor(LIMITS.rawBytes / 3)),
  };
}

export function boundAlert(alert: NormalizedAlert): NormalizedAlert {
  const bounded: NormalizedAlert = {
    ...alert,
    sourceEventId: keyPart(alert.sourceEventId),
    fingerprint: keyPart(alert.fingerprint),
    ...(alert.service === undefined ? {} : { service: keyPart(alert.service) }),
    title: capText(alert.title, LIMITS.title),
    description: capText(alert.description, LIMITS.description),
    resources: capList(alert.resources, LIMITS.resource, LIMITS.resourcesTotal),
    links: capList(alert.links, LIMITS.link, LIMITS.linksTotal),
    labels: capLabels(alert.labels),
    raw: capRaw(alert.raw),
  };
  const bytes = Buffer.byteLength(JSON.stringify(bounded));
  if (bytes > MAX_ALERT_BYTES) {
    throw new ValidationError(
      `the alert ${bounded.title.slice(0, 80)} needs ${bytes} bytes stored; the limit is ${MAX_ALERT_BYTES}`,
    );
  }
  return bounded;
}
