/**
 * The console's read model: what the pages show, read through the IncidentStore port only. The list
 * pages the status index newest first with a cursor (never a scan); an incident page reads one
 * incident, its timeline, its alerts and its pending approval.
 */
import * as z from 'zod';
import { type ApprovalBrief, approvalBrief, blastRadiusOf } from '../approval/brief.js';
import { type FirebreakConfig, policyFor } from '../config.js';
import { IncidentId } from '../flow/phase-io.js';
import type { IncidentMemory, MemoryBounds } from '../memory/port.js';
import type { SimilarIncident } from '../memory/records.js';
import {
  type Audience,
  type Incident,
  IncidentStatus,
  OPEN_STATUSES,
  Severity,
  type TimelineEvent,
} from '../model.js';
import { type ApprovalTokenRecord, type IncidentStore, listPosition } from '../ports.js';
import { EVIDENCE_EVENT, EvidenceSnapshot } from './evidence.js';

/** The incident id an address names, or undefined (a malformed escape is no id, not an error). */
export function incidentIdFrom(segment: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  const id = IncidentId.safeParse(decoded);
  return id.success ? id.data : undefined;
}

/** The list's filters and page, as parsed from the query string. Anything else is a 400. */
export const ListQuery = z.strictObject({
  status: z.union([z.literal('open'), z.literal('all'), IncidentStatus]).default('open'),
  severity: z.union([z.literal(''), Severity]).default(''),
  service: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9._:/-]*$/, 'not a service name')
    .default(''),
  /** `listPosition` of the last incident the previous page showed. */
  cursor: z
    .string()
    .max(200)
    .regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z#[A-Za-z0-9_-]{1,64}$/, 'not a cursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** `rows`: only the table body, for the page's live refresh. */
  fragment: z.literal('rows').optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

export interface IncidentRow {
  id: string;
  title: string;
  severity?: string;
  status: string;
  service?: string;
  detectedAt: string;
  /** Minutes since detection, until resolution once resolved. */
  ageMinutes: number;
  /** Who is paged: the severity's audiences and every escalation tier reached. */
  paged: string[];
  category?: string;
}

/** At most this many index items are read for one filtered page, so a rare filter costs a bound. */
export const MAX_EXAMINED = 500;

/** Who the severity's policy pages, plus the escalation tiers already reached. */
export function pagedAudiences(incident: Incident, config: FirebreakConfig): Audience[] {
  if (!incident.severity || incident.status === 'TICKETED') return [];
  const policy = policyFor(config, incident.severity);
  const tiers = policy.escalation.slice(0, incident.escalationTier).map((t) => t.audience);
  return [...new Set<Audience>([...policy.audiences, ...tiers])];
}

export function toRow(incident: Incident, config: FirebreakConfig, now: Date): IncidentRow {
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now.getTime();
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    service: incident.service,
    detectedAt: incident.detectedAt,
    ageMinutes: Math.max(0, Math.round((end - Date.parse(incident.detectedAt)) / 60_000)),
    paged: pagedAudiences(incident, config),
    category: incident.rootCause?.category,
  };
}

/**
 * One page of incidents, newest first. Severity and service are not in the index, so they filter
 * index pages as they are read; reading stops after MAX_EXAMINED items, and the cursor then points
 * past what was examined, so a rare filter pages on instead of scanning.
 */
export async function listIncidents(
  store: IncidentStore,
  q: ListQuery,
  config: FirebreakConfig,
  now: Date,
): Promise<{ rows: IncidentRow[]; next?: string }> {
  const statuses = q.status === 'open' ? [...OPEN_STATUSES] : q.status === 'all' ? undefined : [q.status];
  const matches = (i: Incident) =>
    (!q.severity || i.severity === q.severity) &&
    (!q.service || i.service === q.service || i.services.includes(q.service));
  const found: Incident[] = [];
  let before = q.cursor;
  let examined = 0;
  const batch = q.severity || q.service ? Math.min(100, q.limit * 4) : q.limit + 1;
  while (found.length <= q.limit && examined < MAX_EXAMINED) {
    const page = await store.list({ statuses, limit: batch, before });
    examined += page.length;
    for (const i of page) {
      if (found.length > q.limit) break;
      if (matches(i)) found.push(i);
      before = listPosition(i);
    }
    if (page.length < batch) {
      if (found.length <= q.limit) before = undefined;
      break;
    }
  }
  const shown = found.slice(0, q.limit);
  const next =
    found.length > q.limit ? listPosition(shown[shown.length - 1]) : before !== q.cursor ? before : undefined;
  return { rows: shown.map((i) => toRow(i, config, now)), next };
}

export interface SentMessage {
  at: string;
  kind: string;
  subject: string;
  sms?: string;
}

export interface IncidentView {
  incident: Incident;
  timeline: TimelineEvent[];
  alertTitles: string[];
  evidence?: EvidenceSnapshot;
  /** Notifications recorded on the timeline, by audience. */
  messages: Partial<Record<Audience, SentMessage[]>>;
  /** Findings as the specialists recorded them (for the hypotheses that lost). */
  findings: TimelineEvent[];
  pending?: { record: ApprovalTokenRecord; brief: ApprovalBrief; open: boolean; why?: string };
  similar?: SimilarIncident[];
  paged: Audience[];
}

export async function incidentView(
  deps: {
    store: IncidentStore;
    memory?: IncidentMemory;
    config: FirebreakConfig;
    memoryBounds?: MemoryBounds;
  },
  id: string,
  now: Date,
  opts: { waiting?: boolean } = {},
): Promise<IncidentView | undefined> {
  const incident = await deps.store.get(id);
  if (!incident) return undefined;
  const [timeline, alerts, approval, similar] = await Promise.all([
    deps.store.timeline(id),
    deps.store.alerts(id),
    deps.store.getApprovalToken(id),
    deps.memory && deps.memoryBounds
      ? deps.memory.similar(incident, deps.memoryBounds).catch(() => undefined)
      : Promise.resolve(undefined),
  ]);
  const snapshot = [...timeline].reverse().find((e) => e.type === EVIDENCE_EVENT);
  const parsed = snapshot ? EvidenceSnapshot.safeParse(snapshot.data) : undefined;
  const messages: IncidentView['messages'] = {};
  for (const e of timeline.filter((t) => t.type === 'notification')) {
    const d = (e.data ?? {}) as { kind?: string; audience?: Audience; subject?: string; sms?: string };
    if (!d.audience) continue;
    const list = messages[d.audience] ?? [];
    messages[d.audience] = list;
    list.push({ at: e.at, kind: d.kind ?? '', subject: d.subject ?? e.text, sms: d.sms });
  }
  let pending: IncidentView['pending'];
  if (approval) {
    const why = approval.usedAt
      ? `decided at ${approval.usedAt}`
      : approval.expiresAt < now.toISOString() && !opts.waiting
        ? `expired at ${approval.expiresAt}`
        : undefined;
    pending = {
      record: approval,
      open: !why,
      why,
      brief: approvalBrief(incident, approval.action, {
        preview: incident.mitigation?.detail || undefined,
        expiresAt: approval.expiresAt,
        blastRadius: blastRadiusOf(incident, timeline),
      }),
    };
  }
  return {
    incident,
    timeline,
    alertTitles: [...new Set(alerts.map((a) => a.title))].slice(0, 20),
    evidence: parsed?.success ? parsed.data : undefined,
    messages,
    findings: timeline.filter((e) => e.type === 'finding'),
    pending,
    similar: similar?.matches,
    paged: pagedAudiences(incident, deps.config),
  };
}
