/**
 * An announced maintenance: a notice we published hours or days ahead of a window that covers the
 * onset, naming the service it takes down or degrades and saying how. Failures of the affected
 * service on that dependency, inside that window, are the announced cost of planned work, not an
 * incident to fix: nothing is rolled back mid-maintenance, and the work done inside the window is
 * the maintenance itself. A notice that expects no impact ("no customer impact expected") is not
 * one: when such work breaks things, it is the cause, as any change is.
 */
import type { ChangeRecord } from '../../../ports.js';
import type { Analysis } from '../analysis.js';
import { NEGATED } from '../evidence/security.js';
import { conf, headline, hhmm, lower, mentionedNames, ms } from '../measure.js';
import type { Candidate } from './candidate.js';

const ANNOUNCEMENT =
  /\b(?:scheduled|planned|announced)\b.{0,20}\bmaintenance\b|\bmaintenance\b.{0,12}\b(?:scheduled|window)\b/i;
/** `2026-01-11 08:00-09:00 UTC`, `2026-01-11, 08:00 to 09:30`: a date, then a span of time (UTC). */
const WINDOW = /(\d{4}-\d{2}-\d{2})\D{0,12}?(\d{1,2}:\d{2})\s*(?:-|–|to)\s*(\d{1,2}:\d{2})/;
/** What the notice says users will see; a negated clause ("no impact expected") is dropped first. */
const IMPACT =
  /\b(?:degraded|unavailable|downtime|outage|read-only|interrupt\w*|503|errors?|will be (?:down|offline)|may (?:fail|return|time out|be slow))\b/i;

/** Notices must come this long before the window: a notice posted as things break is a status update. */
const AHEAD_MS = 6 * 3_600_000;

interface Announcement {
  record: ChangeRecord;
  /** The maintained service: the notice's own service, else one it names. */
  service: string;
  from: number;
  to: number;
}

function announced(a: Analysis): Announcement | undefined {
  const self = a.snap.service;
  if (!self) return undefined;
  const scope = [self, ...a.snap.catalog.dependencies(self)].map(lower);
  const onset = ms(a.onset);
  for (const c of [...a.changes, ...a.olderChanges]) {
    const r = c.change;
    if (!ANNOUNCEMENT.test(r.summary) || !IMPACT.test(r.summary.replace(NEGATED, ' '))) continue;
    const w = WINDOW.exec(r.summary);
    if (!w) continue;
    const from = Date.parse(`${w[1]}T${w[2].padStart(5, '0')}:00Z`);
    let to = Date.parse(`${w[1]}T${w[3].padStart(5, '0')}:00Z`);
    if (to <= from) to += 86_400_000;
    if (ms(r.at) > from - AHEAD_MS || onset < from - 5 * 60_000 || onset > to) continue;
    const service =
      (c.service && scope.includes(lower(c.service)) ? c.service : undefined) ??
      mentionedNames(`${r.resource ?? ''} ${r.summary}`, a.snap.catalog.names()).find((n) =>
        scope.includes(lower(n)),
      );
    if (service) return { record: r, service, from, to };
  }
  return undefined;
}

const utc = (t: number) => new Date(t).toISOString().slice(11, 16);

/**
 * Adds the announced maintenance as the expected explanation and weakens what it accounts for:
 * changes made inside its window to what it maintains, and that service's failure seen from ours.
 */
export function announcedMaintenance(a: Analysis, list: Candidate[]): void {
  const m = announced(a);
  if (!m) return;
  const maintained = lower(m.service);
  const why = `the announced maintenance of ${m.service} (${utc(m.from)}–${utc(m.to)} UTC)`;
  for (const c of list) {
    const madeInside =
      !!c.changeAt &&
      ms(c.changeAt) >= m.from - 5 * 60_000 &&
      ms(c.changeAt) <= m.to &&
      (lower(c.changeService) === maintained || lower(c.culprit).includes(maintained));
    const itsFailure = !c.changeAt && lower(c.culprit).includes(maintained) && c.category !== 'security';
    if (!madeInside && !itsFailure) continue;
    c.confidence = conf(c.confidence * 0.5);
    c.against ??= `${c.category} (${c.culprit}): part of ${why}`;
  }
  const notice = headline(m.record.summary).slice(0, 200);
  list.push({
    category: 'healthy',
    culprit: m.service,
    summary:
      `${a.snap.service}'s failures are the announced impact of planned maintenance on ${m.service}, ` +
      `${utc(m.from)}–${utc(m.to)} UTC, announced at ${hhmm(m.record.at)} on ${m.record.at.slice(0, 10)}: "${notice}". ` +
      `Nothing to roll back mid-maintenance; escalate if it overruns ${utc(m.to)} UTC or reaches beyond what was announced.`,
    causalChain: [
      `maintenance on ${m.service} announced for ${utc(m.from)}–${utc(m.to)} UTC`,
      `${a.snap.service} degraded as announced`,
      `${a.snap.alert?.title ?? 'the alert'} fired`,
    ],
    confidence: 0.85,
    evidence: [m.record.id],
    mitigation: null,
    specialists: ['changes'],
  });
}
