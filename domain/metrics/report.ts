/**
 * The response report over a window of incidents: how many, how bad, how fast we acknowledged and
 * resolved, what keeps causing them, what keeps coming back, and whether the follow-ups get done.
 * Pure: the caller lists the incidents and says what "now" is.
 */
import { ValidationError } from '../errors.js';
import { type Incident, SEVERITIES, type Severity } from '../model.js';
import { responseMetrics } from './response.js';

export interface SeverityFigures {
  incidents: number;
  acknowledged: number;
  resolved: number;
  /** Mean seconds, null when no incident of this severity reached the milestone. */
  mttdSeconds: number | null;
  mttaSeconds: number | null;
  mttmSeconds: number | null;
  mttrSeconds: number | null;
}

export interface RepeatGroup {
  by: 'fingerprint' | 'service+category';
  key: string;
  incidents: string[];
}

export interface ResponseReport {
  from: string;
  to: string;
  total: number;
  bySeverity: Record<Severity | 'unclassified', number>;
  byStatus: Record<string, number>;
  response: Record<Severity, SeverityFigures>;
  topCategories: Array<{ category: string; incidents: number }>;
  repeats: RepeatGroup[];
  actionItems: { open: number; closed: number; overdue: number };
  /** Incidents the store holds outside the window, and the window that would include them all. */
  outside: { incidents: number; oldest?: string; since?: string };
}

const DAY = 86_400;
// `m` stays minutes (as in Prometheus and Grafana durations); months are `mo` (or `M`), 30 days.
const UNITS: Record<string, number> = {
  m: 60,
  h: 3600,
  d: DAY,
  w: 7 * DAY,
  mo: 30 * DAY,
  M: 30 * DAY,
  y: 365 * DAY,
};

/** `90m`, `24h`, `7d`, `2w`, `6mo`, `1y` → seconds. */
export function parseSince(text: string): number {
  const m = /^(\d{1,4})(mo|[mhdwMy])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) {
    throw new ValidationError(
      `--since must look like 90m, 24h, 7d, 2w, 6mo or 1y, not "${text.slice(0, 20)}"`,
    );
  }
  return Number(m[1]) * UNITS[m[2]];
}

/** The shortest whole window (in days, weeks or years) reaching back to `oldest`. */
function windowReaching(oldest: string, now: Date): string {
  const days = Math.max(1, Math.ceil((now.getTime() - new Date(oldest).getTime()) / (DAY * 1000)));
  return days > 3 * 365 ? `${Math.ceil(days / 365)}y` : `${days}d`;
}

const mean = (values: number[]): number | null =>
  values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null;

const defined = (values: Array<number | undefined>): number[] =>
  values.filter((v): v is number => v !== undefined);

export function buildReport(
  incidents: Incident[],
  opts: { now: Date; sinceSeconds: number },
): ResponseReport {
  const from = new Date(opts.now.getTime() - opts.sinceSeconds * 1000).toISOString();
  const to = opts.now.toISOString();
  const inWindow = incidents.filter((i) => i.detectedAt >= from && i.detectedAt <= to);
  const before = incidents
    .filter((i) => i.detectedAt < from)
    .map((i) => i.detectedAt)
    .sort();

  const bySeverity = { SEV1: 0, SEV2: 0, SEV3: 0, SEV4: 0, unclassified: 0 };
  const byStatus: Record<string, number> = {};
  for (const i of inWindow) {
    bySeverity[i.severity ?? 'unclassified']++;
    byStatus[i.status] = (byStatus[i.status] ?? 0) + 1;
  }

  const response = {} as Record<Severity, SeverityFigures>;
  for (const severity of SEVERITIES) {
    const metrics = inWindow.filter((i) => i.severity === severity).map(responseMetrics);
    const acks = defined(metrics.map((m) => m.seconds.acknowledge));
    const resolves = defined(metrics.map((m) => m.seconds.resolve));
    response[severity] = {
      incidents: metrics.length,
      acknowledged: acks.length,
      resolved: resolves.length,
      mttdSeconds: mean(defined(metrics.map((m) => m.seconds.detect))),
      mttaSeconds: mean(acks),
      mttmSeconds: mean(defined(metrics.map((m) => m.seconds.mitigate))),
      mttrSeconds: mean(resolves),
    };
  }

  const categories = new Map<string, number>();
  for (const i of inWindow) {
    const category = i.rootCause?.category ?? 'unknown';
    categories.set(category, (categories.get(category) ?? 0) + 1);
  }
  const topCategories = [...categories]
    .map(([category, n]) => ({ category, incidents: n }))
    .sort((a, b) => b.incidents - a.incidents || a.category.localeCompare(b.category))
    .slice(0, 5);

  const items = inWindow.flatMap((i) => i.actionItems ?? []);
  const today = to.slice(0, 10);
  return {
    from,
    to,
    total: inWindow.length,
    bySeverity,
    byStatus,
    response,
    topCategories,
    repeats: repeatGroups(inWindow),
    outside: before.length
      ? { incidents: before.length, oldest: before[0], since: windowReaching(before[0], opts.now) }
      : { incidents: 0 },
    actionItems: {
      open: items.filter((a) => a.status === 'open').length,
      closed: items.filter((a) => a.status === 'closed').length,
      overdue: items.filter((a) => a.status === 'open' && a.due < today).length,
    },
  };
}

/**
 * Incidents that came back: the same alert fingerprint, or the same service failing for the same
 * kind of reason. A service+category group that is exactly a fingerprint group is not repeated.
 */
function repeatGroups(incidents: Incident[]): RepeatGroup[] {
  const group = (key: (i: Incident) => string | undefined) => {
    const groups = new Map<string, string[]>();
    for (const i of [...incidents].sort((a, b) => a.detectedAt.localeCompare(b.detectedAt))) {
      const k = key(i);
      if (k) groups.set(k, [...(groups.get(k) ?? []), i.id]);
    }
    return [...groups].filter(([, ids]) => ids.length > 1);
  };
  const byFingerprint = group((i) => i.fingerprint);
  const seen = new Set(byFingerprint.map(([, ids]) => ids.join(',')));
  const byCause = group((i) => {
    const category = i.rootCause?.category;
    return i.service && category && category !== 'unknown' ? `${i.service}/${category}` : undefined;
  }).filter(([, ids]) => !seen.has(ids.join(',')));
  return [
    ...byFingerprint.map(([key, ids]) => ({ by: 'fingerprint' as const, key, incidents: ids })),
    ...byCause.map(([key, ids]) => ({ by: 'service+category' as const, key, incidents: ids })),
  ].sort((a, b) => b.incidents.length - a.incidents.length || a.key.localeCompare(b.key));
}
