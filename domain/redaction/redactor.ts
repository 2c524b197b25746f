/**
 * Replaces secrets and personal data in text with typed placeholders that keep evidence useful:
 * `<aws-access-key:…WXYZ>`, `<email:3f9a1c>`. A hash is keyed by the incident (its salt), so the
 * same address reads the same everywhere in one incident and differently in the next: responders
 * and the model can correlate without seeing it, and nobody can join incidents on it.
 *
 * Pure: no SDK, no environment. Text that already holds placeholders is left as it is, so redacting
 * twice (an alert at ingestion, then again on its way into the store) changes nothing.
 */
import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { type Check, PATTERNS, type PatternSpec } from './patterns.js';
import type { RedactionPolicy } from './policy.js';

/** Any placeholder this module writes. */
export const PLACEHOLDER = /<[a-z][a-z0-9-]{1,39}:(?:…[A-Za-z0-9]{4}|[0-9a-f]{6})>/g;

interface Compiled {
  spec: PatternSpec;
  re: RegExp;
}

export interface Found {
  kind: string;
  raw: string;
  placeholder: string;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Visa, Mastercard (51–55, 2221–2720), Amex, Discover, JCB, Diners, UnionPay, Maestro. */
const CARD_PREFIX =
  /^(?:4|5[1-5]|2(?:2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[47]|6011|64[4-9]|65|35|36|38|30[0-5]|62|50|5[6-9]|6[37])/;

const PRIVATE_V4 = [
  /^10\./,
  /^127\./,
  /^0\./,
  /^169\.254\./,
  /^192\.168\./,
  /^172\.(?:1[6-9]|2\d|3[01])\./,
  /^100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
  /^255\.255\.255\.255$/,
];

function publicIp(value: string): boolean {
  if (isIPv4(value)) return !PRIVATE_V4.some((re) => re.test(value));
  if (!isIPv6(value) || !/[0-9a-f]/i.test(value)) return false;
  const v = value.toLowerCase();
  return !(v === '::1' || /^f[cd]/.test(v) || /^fe[89ab]/.test(v));
}

const CHECKS: Record<Check, (value: string) => boolean> = {
  luhn: (v) => {
    const digits = v.replace(/\D/g, '');
    return digits.length >= 13 && digits.length <= 19 && luhn(digits);
  },
  'card-prefix': (v) => CARD_PREFIX.test(v.replace(/\D/g, '')),
  'basic-auth': (v) => {
    const decoded = Buffer.from(v, 'base64').toString('utf8');
    return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded);
  },
  // "Bearer authentication failed" is prose; a token mixes letters with digits or symbols.
  'token-like': (v) => /\d|[._~+/-]/.test(v) && /[A-Za-z]/.test(v),
  'phone-digits': (v) => {
    const n = v.replace(/\D/g, '').length;
    return n >= 10 && n <= 15;
  },
  'public-ip': publicIp,
};

function compile(spec: PatternSpec): Compiled {
  const flags = new Set([...(spec.flags ?? ''), 'g', 'd']);
  return { spec, re: new RegExp(spec.pattern, [...flags].join('')) };
}

const BUILT_IN = PATTERNS.map(compile);

/** A policy compiled once; hands out a redactor per incident. */
export class Redaction {
  private readonly patterns: Compiled[];
  private readonly allow: RegExp[];
  private readonly cache = new Map<string, Redactor>();

  constructor(readonly policy: RedactionPolicy) {
    this.patterns = [
      ...BUILT_IN.filter((c) => !(c.spec.ip && policy.ipAddresses === 'keep')),
      ...policy.patterns.map((p) =>
        compile({ kind: p.name, pattern: p.pattern, flags: p.flags, source: 'deploy configuration' }),
      ),
    ];
    this.allow = policy.allow.map((p) => new RegExp(`^(?:${p})$`));
  }

  forIncident(incidentId: string): Redactor {
    let r = this.cache.get(incidentId);
    if (!r) {
      // A warm Lambda serves many incidents: keep the map small.
      if (this.cache.size > 100) this.cache.clear();
      r = new Redactor(this.patterns, this.allow, incidentId);
      this.cache.set(incidentId, r);
    }
    return r;
  }
}

/** Field names whose values are structure (ids, times, states), never free text. */
const STRUCTURAL = new Set([
  'id',
  'incidentId',
  'fingerprint',
  'sourceEventId',
  'executionArn',
  'at',
  'startedAt',
  'detectedAt',
  'declaredAt',
  'updatedAt',
  'firstSeen',
  'lastSeen',
  'points',
  'status',
  'severity',
  'severityHint',
]);

export class Redactor {
  constructor(
    private readonly patterns: Compiled[],
    private readonly allow: RegExp[],
    private readonly salt: string,
  ) {}

  private placeholder(spec: PatternSpec, value: string): string {
    if (spec.show === 'tail4') return `<${spec.kind}:…${value.slice(-4)}>`;
    const normal = spec.kind === 'email' ? value.toLowerCase() : value;
    const hash = createHmac('sha256', `firebreak-redaction:${this.salt}`)
      .update(`${spec.kind}\0${normal}`)
      .digest('hex')
      .slice(0, 6);
    return `<${spec.kind}:${hash}>`;
  }

  /** Every sensitive value in the text, with the placeholder it becomes; earlier patterns win overlaps. */
  find(text: string): Array<Found & { start: number; end: number }> {
    const taken: Array<[number, number]> = [];
    for (const m of text.matchAll(PLACEHOLDER)) taken.push([m.index, m.index + m[0].length]);
    const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);
    const out: Array<Found & { start: number; end: number }> = [];
    for (const { spec, re } of this.patterns) {
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) {
        const span = m.indices?.groups?.v ?? m.indices?.[0];
        if (!span) continue;
        const [start, end] = span;
        const raw = text.slice(start, end);
        if (!raw || overlaps(start, end)) continue;
        if (spec.checks?.some((c) => !CHECKS[c](raw))) continue;
        if (this.allow.some((a) => a.test(raw))) continue;
        taken.push([start, end]);
        out.push({ kind: spec.kind, raw, placeholder: this.placeholder(spec, raw), start, end });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  }

  // Alerts repeat the same label names and values; a storm would run every pattern over each again.
  private readonly memo = new Map<string, string>();

  text(text: string): string {
    // Nothing in the catalogue is shorter than an address like a@b.io or 1.2.3.4.
    if (!text || text.length < 6) return text;
    const known = this.memo.get(text);
    if (known !== undefined) return known;
    const found = this.find(text);
    let out = text;
    if (found.length) {
      out = '';
      let at = 0;
      for (const f of found) {
        out += text.slice(at, f.start) + f.placeholder;
        at = f.end;
      }
      out += text.slice(at);
    }
    if (text.length <= 512) {
      if (this.memo.size >= 5000) this.memo.clear();
      this.memo.set(text, out);
    }
    return out;
  }

  /** Every string in a JSON-like value, keys included; structural fields keep their values. */
  deep<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(value: unknown, key?: string): unknown {
    if (typeof value === 'string') return key && STRUCTURAL.has(key) ? value : this.text(value);
    if (Array.isArray(value)) return key && STRUCTURAL.has(key) ? value : value.map((v) => this.walk(v));
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k), this.walk(v, k)]));
    }
    return value;
  }
}
