/**
 * The two views of an eval that say *how* the analyst is wrong, not only how often: a confusion
 * matrix of categories (expected rows, concluded columns) and the misses, each with what the
 * analyst concluded instead.
 */
import type { Check } from './eval/score.js';

export type Confusion = Record<string, Record<string, number>>;

interface Scored {
  id: string;
  checks: Record<string, Check>;
  concluded?: string;
  error?: string;
}

export function confusionMatrix(results: readonly Scored[]): Confusion {
  const m: Confusion = {};
  for (const r of results) {
    const { got, want } = r.checks.category;
    if (!want) continue;
    m[want] ??= {};
    m[want][got] = (m[want][got] ?? 0) + 1;
  }
  return m;
}

export function confusionLines(m: Confusion): string[] {
  const rows = Object.keys(m).sort();
  const cols = [...new Set([...rows, ...rows.flatMap((r) => Object.keys(m[r]))])].sort();
  const w = Math.max(8, ...cols.map((c) => Math.min(c.length, 13)));
  const cell = (s: string) => (s.length > w ? s.slice(0, w) : s.padStart(w));
  const lines = ['category confusion (rows: expected, columns: concluded)'];
  lines.push(`${''.padEnd(14)}${cols.map(cell).join(' ')}`);
  for (const r of rows) {
    lines.push(
      `${r.padEnd(14).slice(0, 14)}${cols.map((c) => cell(m[r][c] ? String(m[r][c]) : '.')).join(' ')}`,
    );
  }
  return lines;
}

export function missLines(results: readonly Scored[]): string[] {
  const misses = results.filter((r) => Object.values(r.checks).some((c) => c.pass === false) || r.error);
  if (!misses.length) return ['no misses'];
  const lines = [`misses (${misses.length}):`];
  for (const r of misses) {
    const failed = Object.entries(r.checks)
      .filter(([, c]) => c.pass === false)
      .map(([name, c]) => `${name} ${c.got} (want ${c.want})`);
    lines.push(`- ${r.id}: ${failed.join('; ') || r.error}`);
    if (r.concluded) lines.push(`    concluded: ${r.concluded.replace(/\s+/g, ' ').slice(0, 220)}`);
  }
  return lines;
}
