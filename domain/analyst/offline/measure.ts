/** Small numeric and time helpers shared by the offline analyst's detectors. */
import { mentionsWord } from '../../text.js';

export const ms = (iso: string): number => new Date(iso).getTime();

/** Minutes from `a` to `b` (positive when `b` is later). */
export const minutesBetween = (a: string, b: string): number => (ms(b) - ms(a)) / 60_000;

export function median(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median absolute deviation scaled to estimate a standard deviation robustly. */
export function robustSigma(values: number[]): number {
  const m = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - m)));
}

export const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));

/** Rounds a confidence to two decimals so findings read cleanly. */
export const conf = (x: number): number => Math.round(clamp01(x) * 100) / 100;

export const uniq = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];

export const lower = (s: string | undefined): string => (s ?? '').toLowerCase();

/**
 * Names from a known list that a piece of text mentions, longest first so that "orders-db" wins
 * over "orders". Free text is only ever matched against known names, never used as a name itself.
 */
export function mentionedNames(text: string, names: Iterable<string>): string[] {
  const hay = text.toLowerCase();
  const found = uniq(names)
    .filter((n) => n.length >= 3)
    .filter((n) => mentionsWord(hay, n.toLowerCase()))
    .sort((a, b) => b.length - a.length);
  return found.filter(
    (n, i) => !found.slice(0, i).some((longer) => longer.toLowerCase().includes(n.toLowerCase())),
  );
}

/**
 * Every part of a multi-part name is a word of the text, one of them distinctive (5+ letters or a
 * 4+ digit id): `update-batch-88231941` in "applied object update batch 88231941", `ci-jenkins` in
 * "ci.example.org serves Jenkins".
 */
export function namedByParts(text: string, name: string): boolean {
  const parts = name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (parts.length < 2 || !parts.some((p) => p.length >= 5 || /^\d{4,}$/.test(p))) return false;
  const words = new Set(text.toLowerCase().split(/[^a-z0-9]+/));
  return parts.every((p) => words.has(p));
}

/** An availability zone (`use1-az4`, `us-east-1d`) or region a provider's notice is scoped to. */
const ZONE_OR_REGION = /\b(?:[a-z]{2,4}\d-az\d+|[a-z]{2}(?:-gov)?-[a-z]+-\d[a-z]?)\b/i;

/** The first zone or region a text names. */
export const zoneIn = (text: string): string | undefined => ZONE_OR_REGION.exec(text)?.[0];

export const fmtNumber = (v: number): string =>
  Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 100) / 100);

export const hhmm = (iso: string): string => new Date(iso).toISOString().slice(11, 16);

/** A traceback's header line, which says only that a stack follows. */
const TRACEBACK_HEADER = /Traceback \(most recent call last\):?\s*$/;
/** The line of a traceback that names the exception and its message. */
const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Fault|Warning)\b/;

/**
 * The line of a log sample that says what happened: its first line, except that a Python
 * traceback is headed by the exception it ends with.
 *
 * @example headline('Traceback (most recent call last):\n  File "x.py"...\nKeyError: \'id\'') // "KeyError: 'id'"
 */
export function headline(sample: string): string {
  const lines = sample.split('\n');
  if (lines.length > 1 && TRACEBACK_HEADER.test(lines[0])) {
    const raised = lines.findLast((l) => EXCEPTION_LINE.test(l.trim()));
    if (raised) return raised.trim();
  }
  return lines[0];
}

/**
 * The words of a name of four letters or more, camelCase and separators split, lower-cased, those
 * in `skip` left out: `transactional_sent_ratio` → transactional, sent, ratio.
 */
export const nameWords = (name: string, skip: ReadonlySet<string> = new Set()): string[] =>
  uniq(
    name
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 4 && !skip.has(w)),
  );
