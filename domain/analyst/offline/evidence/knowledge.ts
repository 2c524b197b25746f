/**
 * Matches the failure knowledge library against one snapshot: every log signature (whatever its
 * level: an upgrade announced at INFO or a slow-regex WARN says as much as an ERROR), every change
 * event and every metric anomaly. A hit says which entry matched which piece of evidence, where
 * that evidence lives and when it began. What the hits mean is decided in explain-knowledge.ts.
 */
import type { KnowledgeEntry } from '../../../knowledge/schema.js';
import type { ChangeRecord, LogSignature, SecuritySignal } from '../../../ports.js';
import { PLACEHOLDER } from '../../../redaction/redactor.js';
import { mentionedNames, ms } from '../measure.js';
import { changeFlavor, isAutomaticReaction } from './changes.js';
import type { SeriesView } from './series.js';

export interface KnowledgeHit {
  entry: KnowledgeEntry;
  on: 'log' | 'change' | 'metric' | 'security';
  evidenceId: string;
  /** The service the evidence belongs to (the log's, the change's, the series'). */
  service?: string;
  /** The change's resource, for change hits. */
  resource?: string;
  /** First seen (log), landed (change) or left its baseline (metric). */
  at: string;
  /** How often the line repeated; 1 for changes and metrics. */
  count: number;
  /** The matched text, for quoting; never used as a name. */
  sample: string;
  /** Known names the matched text mentions. */
  mentions: string[];
  /** Began at or after the onset (less a little slack), not chronic background. */
  isNew: boolean;
}

interface Compiled {
  entry: KnowledgeEntry;
  logs: RegExp[];
  changes: RegExp[];
}

const compiledCache = new WeakMap<readonly KnowledgeEntry[], Compiled[]>();

const entryCache = new WeakMap<KnowledgeEntry, Compiled>();

function compileEntry(entry: KnowledgeEntry): Compiled {
  const hit = entryCache.get(entry);
  if (hit) return hit;
  const out = {
    entry,
    logs: (entry.match.logs ?? []).map((p) => new RegExp(p, 'i')),
    changes: (entry.match.changes ?? []).map((p) => new RegExp(p, 'i')),
  };
  entryCache.set(entry, out);
  return out;
}

function compile(entries: readonly KnowledgeEntry[]): Compiled[] {
  const hit = compiledCache.get(entries);
  if (hit) return hit;
  const out = entries.map(compileEntry);
  compiledCache.set(entries, out);
  return out;
}

/**
 * Known names the text mentions; failing an exact mention, a multi-part name written another way
 * (`xds-control-plane` in `io.grpc.xds.ControlPlaneClient`), compared without separators.
 */
function mentions(text: string, names: string[]): string[] {
  const exact = mentionedNames(text, names);
  if (exact.length) return exact;
  const flat = text.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return names.filter((n) => {
    const parts = n
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    const joined = parts.join('');
    return parts.length >= 2 && joined.length >= 8 && flat.includes(joined);
  });
}

/** An autoscaler's reaction or bookkeeping is not a change anyone made to the system. */
const madeByAnyone = (change: ChangeRecord): boolean =>
  !isAutomaticReaction(change) && changeFlavor(change) !== 'benign';

const describes = (c: Compiled, change: ChangeRecord): boolean =>
  c.changes.some((re) => re.test(asPrinted(`${change.status ?? ''} ${change.summary}`)));

/**
 * The entry's change patterns describe this change record, read as the matcher reads changes: one
 * of the changes its failure is known to follow (a password changed, for refused logins).
 */
export const knownToCause = (entry: KnowledgeEntry, change: ChangeRecord): boolean =>
  madeByAnyone(change) && describes(compileEntry(entry), change);

/** Minutes before the onset a signal may begin and still count as part of the incident. */
const SLACK_MIN = 5;
const PRECURSOR_MIN = 30;

export function matchKnowledge(
  entries: readonly KnowledgeEntry[],
  input: {
    logs: LogSignature[];
    /** Lines from before the window (`Snapshot.earlierLogs`): matched as precursors only. */
    earlierLogs?: LogSignature[];
    security?: SecuritySignal[];
    changes: ChangeRecord[];
    views: SeriesView[];
    onset: string;
    knownNames: string[];
  },
): KnowledgeHit[] {
  const compiled = compile(entries);
  const since = ms(input.onset) - SLACK_MIN * 60_000;
  const hits: KnowledgeHit[] = [];
  const causeSince = ms(input.onset) - PRECURSOR_MIN * 60_000;
  hits.push(
    ...logHits(
      compiled,
      input.logs,
      input.knownNames,
      (entry, log) => ms(log.firstSeen) >= (entry.role === 'cause' ? causeSince : since),
    ),
  );
  // A specific, known cause logged before the window — hours before anyone was paged — is a
  // precursor, part of the incident; symptoms and vague signatures from then are history.
  hits.push(
    ...logHits(
      compiled.filter((c) => c.entry.role === 'cause' && c.entry.specificity === 'high'),
      input.earlierLogs ?? [],
      input.knownNames,
      () => true,
    ),
  );
  for (const signal of input.security ?? []) {
    const text = `${signal.kind}: ${signal.detail}`.slice(0, 2000);
    for (const c of compiled) {
      if (!c.logs.some((re) => re.test(asPrinted(text)))) continue;
      hits.push({
        entry: c.entry,
        on: 'security',
        evidenceId: signal.id,
        at: signal.at,
        count: signal.count,
        sample: text,
        mentions: mentions(`${signal.source ?? ''} ${text}`, input.knownNames),
        // A finding reports a state, found whenever someone looked: it is never background noise.
        isNew: true,
      });
    }
  }
  for (const change of input.changes) {
    if (!madeByAnyone(change)) continue;
    for (const c of compiled) {
      if (!describes(c, change)) continue;
      hits.push({
        entry: c.entry,
        on: 'change',
        evidenceId: change.id,
        service: change.service,
        resource: change.resource,
        at: change.at,
        count: 1,
        sample: change.summary,
        mentions: mentionedNames(`${change.resource ?? ''} ${change.summary}`, input.knownNames),
        // A change can be a cause only when it came before the symptoms (a rollout a little after).
        isNew: ms(change.at) <= ms(input.onset) + (change.kind === 'deployment' ? 6 : 3) * 60_000,
      });
    }
  }
  // A metric moving is what every incident shows; it supports a signature that its own words or
  // change matched, and stands alone only for an entry that is about nothing but that metric.
  const worded = new Set(hits.map((h) => h.entry));
  for (const v of input.views) {
    const o = v.onset;
    if (!o || o.sustainedRatio < 0.5 || o.magnitude < 0.25) continue;
    for (const c of compiled) {
      const metricOnly = !c.logs.length && !c.changes.length;
      if (!metricOnly && !worded.has(c.entry)) continue;
      const signal = (c.entry.match.metrics ?? []).find(
        (m) =>
          m.direction === o.direction &&
          (!m.namespace || m.namespace === v.series.namespace) &&
          new RegExp(m.name, 'i').test(v.series.metricName),
      );
      if (!signal) continue;
      hits.push({
        entry: c.entry,
        on: 'metric',
        evidenceId: v.series.id,
        service: v.service,
        at: o.at,
        count: 1,
        sample: `${v.series.metricName} ${o.direction} from ${o.baseline} to ${o.peak}`,
        mentions: [],
        isNew: ms(o.at) >= since,
      });
    }
  }
  return hits;
}

/** Every entry a log line matches, as hits; `isNew` says whether it is part of the incident. */
/** A redaction placeholder read as a value of its kind, as the software printed one. */
const AS_PRINTED: Record<string, string> = { ip: '192.0.2.1', email: 'user@example.com' };

/**
 * Redaction (`domain/redaction`) masks addresses and people before an analyst reads a line, but
 * signatures are written against what software prints (`connect to mx1[192.0.2.25]:25`): they are
 * matched with each masked address read as an address. Quotes keep the masked text.
 */
export const asPrinted = (text: string): string =>
  text.includes('<') ? text.replace(PLACEHOLDER, (m) => AS_PRINTED[m.slice(1, m.indexOf(':'))] ?? m) : text;

function logHits(
  compiled: Compiled[],
  logs: LogSignature[],
  knownNames: string[],
  isNew: (entry: KnowledgeEntry, log: LogSignature) => boolean,
): KnowledgeHit[] {
  const hits: KnowledgeHit[] = [];
  for (const log of logs) {
    // Only the first line of a multi-line sample: a stack trace's frames are not the message.
    const text = log.sample.length > 2000 ? log.sample.slice(0, 2000) : log.sample;
    const printed = asPrinted(text);
    for (const c of compiled) {
      if (!c.logs.some((re) => re.test(printed))) continue;
      hits.push({
        entry: c.entry,
        on: 'log',
        evidenceId: log.id,
        service: log.service,
        at: log.firstSeen,
        count: log.count,
        sample: text,
        mentions: mentions(text, knownNames),
        isNew: isNew(c.entry, log),
      });
    }
  }
  return hits;
}
