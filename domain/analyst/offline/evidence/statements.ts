/**
 * What a database spent its time on, read from its own slow-statement lines (the MySQL slow log,
 * PostgreSQL's `duration:` lines, a document store's slow-operation summary): the table the slow
 * statements touch and who sent them. A DBA's first question about a saturated database is "which
 * query, from whom?", and the answer names the workload to fix, which the database's own metrics
 * cannot.
 *
 * The sender is only ever the name the line itself logs (a database user, an application name); it
 * becomes a catalog service only when it is that service's name exactly, separators aside.
 */
import type { LogSignature } from '../../../ports.js';
import { lower } from '../measure.js';

export interface HotStatements {
  /** The service that logged the statements: the database. */
  resource: string;
  /** The table (or collection) the slowest work touches, without its schema. */
  table: string;
  /** The database user or client most of that work came from, as logged. */
  sender?: string;
  /** The catalog service the sender is, when its name is one. */
  senderService?: string;
  /** Slow statements on the table (lines, counting repeats). */
  count: number;
  /** The longest of them, in seconds. */
  worstSeconds: number;
  evidence: string[];
}

/** Below this a statement is ordinary work, not what a database was stuck on. */
const SLOW_SECONDS = 1;

const DURATIONS: ReadonlyArray<[RegExp, number]> = [
  [/\bduration:\s*([\d.]+)\s*ms\b/i, 1e-3],
  [/\bQuery_time:\s*([\d.]+)/, 1],
  [/\bdurationMillis"?\s*:\s*(\d+)/, 1e-3],
  [/\bquer(?:y|ies)\s*>\s*([\d.]+)\s*s\b/i, 1],
  [/\b(?:took|ran for)\s*([\d.]+)\s*ms\b/i, 1e-3],
  [/\b(?:took|ran for)\s*([\d.]+)\s*s\b/i, 1],
];

const SQL = /\b(?:SELECT|INSERT|UPDATE|DELETE|MERGE)\b/;
const IDENT = String.raw`(?:[\`"\[]?[A-Za-z_][\w$]*[\`"\]]?\.)*[\`"\[]?([A-Za-z_][\w$]*)[\`"\]]?`;
const SQL_TABLE = new RegExp(String.raw`\b(?:FROM|JOIN|UPDATE|INTO)\s+${IDENT}`, 'gi');
/** `tasks.scheduled_tasks`, `"ns": "app.orders"`: a document store names db.collection. */
const NAMESPACE = /(?:"ns"\s*:\s*"|\bon\s+)[A-Za-z_][\w-]*\.([A-Za-z_][\w]*)/;
const SLOW_WORK = /\b(?:slow|quer(?:y|ies)|operations?)\b/i;
/** Words SQL puts after FROM that are not tables. */
const NOT_TABLES = new Set(['select', 'lateral', 'unnest', 'generate_series', 'dual', 'only', 'the', 'a']);

const SENDERS: readonly RegExp[] = [
  /\bUser@Host:\s*([\w.-]+)\[/,
  // RDS PostgreSQL's prefix `%t:%r:%u@%d:[%p]:`.
  /[\s:)]([A-Za-z_][\w.-]*)@[A-Za-z_][\w.-]*:\[\d+\]/,
  /\bapplication_name=([\w.-]+)/,
  /"appName"\s*:\s*"([^"]+)"/,
  /\(all from ([\w.-]+)\)/,
];

function seconds(text: string): number | undefined {
  for (const [re, unit] of DURATIONS) {
    const m = text.match(re);
    if (m) return Number(m[1]) * unit;
  }
  return undefined;
}

function tableOf(text: string): string | undefined {
  if (SQL.test(text)) {
    for (const m of text.matchAll(SQL_TABLE)) {
      if (!NOT_TABLES.has(lower(m[1]))) return m[1];
    }
  }
  return SLOW_WORK.test(text) ? text.match(NAMESPACE)?.[1] : undefined;
}

const senderOf = (text: string): string | undefined => {
  for (const re of SENDERS) {
    const m = text.match(re);
    if (m) return m[1];
  }
  return undefined;
};

const norm = (name: string) => lower(name).replace(/[_.\s]+/g, '-');

/**
 * The heaviest slow work each service logged, by table: time spent (count × duration) decides.
 *
 * @example
 *   hotStatements(logs, ['paysafe-db', 'mail-delivery']).get('paysafe-db')
 *   // { table: 'email_dispatch', sender: 'mail_delivery', senderService: 'mail-delivery', … }
 */
export function hotStatements(
  logs: readonly LogSignature[],
  services: readonly string[],
): Map<string, HotStatements> {
  const byName = new Map(services.map((s) => [norm(s), s]));
  const tally = new Map<string, { weight: number; hot: HotStatements; senders: Map<string, number> }>();
  for (const l of logs) {
    if (!l.service) continue;
    const secs = seconds(l.sample);
    if (secs === undefined || secs < SLOW_SECONDS) continue;
    const table = tableOf(l.sample);
    if (!table) continue;
    const key = `${lower(l.service)}\n${lower(table)}`;
    const t = tally.get(key) ?? {
      weight: 0,
      hot: { resource: l.service, table, count: 0, worstSeconds: 0, evidence: [] },
      senders: new Map<string, number>(),
    };
    const weight = Math.max(1, l.count) * secs;
    t.weight += weight;
    t.hot.count += Math.max(1, l.count);
    t.hot.worstSeconds = Math.max(t.hot.worstSeconds, secs);
    t.hot.evidence.push(l.id);
    const sender = senderOf(l.sample);
    if (sender) t.senders.set(sender, (t.senders.get(sender) ?? 0) + weight);
    tally.set(key, t);
  }
  const out = new Map<string, HotStatements>();
  for (const t of [...tally.values()].sort((x, y) => y.weight - x.weight)) {
    const res = lower(t.hot.resource);
    if (out.has(res)) continue;
    const sender = [...t.senders].sort((x, y) => y[1] - x[1])[0]?.[0];
    const senderService = sender ? byName.get(norm(sender)) : undefined;
    out.set(res, {
      ...t.hot,
      ...(sender ? { sender } : {}),
      ...(senderService && norm(senderService) !== res ? { senderService } : {}),
    });
  }
  return out;
}
