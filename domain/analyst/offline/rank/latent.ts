/**
 * Latent causes: a change made hours or days before the incident that set the limit the peak then
 * hit (a database downsized on Tuesday that collapses at Thursday's peak, a fleet expanded in the
 * morning whose per-peer threads cross the process limit at noon, a behaviour flag enabled for
 * everyone yesterday that saturates the cluster it changed at the evening peak). Timing alone
 * weighs such a change down to nothing (`timingWeight`: 0.2 past an hour); here it is considered
 * again, only when what saturated is what it changed, and with a weight that decays with its age.
 * It never outranks a fresh change that explains the onset.
 */
import type { Category } from '../../../model.js';
import type { Analysis } from '../analysis.js';
import {
  isAutomaticReaction,
  isResponseStep,
  type ScoredChange,
  undoneAlready,
} from '../evidence/changes.js';
import { conf, hhmm, lower, ms, uniq } from '../measure.js';
import { action, type Candidate } from './candidate.js';

/** Older than this, a change is no longer "fresh": the ordinary timing weight has given up on it. */
const FRESH_MINUTES = 60;
/** A latent change's weight halves every three days. */
const HALF_LIFE_HOURS = 72;

export const latentWeight = (leadMinutes: number): number => 0.5 ** (leadMinutes / 60 / HALF_LIFE_HOURS);

/** Knowledge entries about running out of a bounded thing (threads, connections, slots, a quota). */
const LIMIT_ENTRY = /thread|too-many|max-clients|max-conn|slots|pool|descriptor|quota|limit|exhaust/;

/** Instance sizes in relative units, for "db.r5.8xlarge -> db.r5.2xlarge". */
function sizeUnits(word: string): number | undefined {
  const m = /(\d*)(nano|micro|small|medium|xlarge|large|metal)\b/i.exec(word);
  if (!m) return undefined;
  const base: Record<string, number> = {
    nano: 0.03,
    micro: 0.06,
    small: 0.12,
    medium: 0.25,
    large: 0.5,
    xlarge: 1,
    metal: 96,
  };
  const unit = base[m[2].toLowerCase()];
  return m[1] && m[2].toLowerCase() === 'xlarge' ? Number(m[1]) * unit : unit;
}

/** The change moves between instance sizes (`db.r6g.xlarge -> db.r6g.4xlarge`). */
const resized = (summary: string): boolean => {
  const pair = /([\w.]+)\s*(?:->|→|=>|\bto\b)\s*([\w.]+)/.exec(summary);
  return !!pair && sizeUnits(pair[1]) !== undefined && sizeUnits(pair[2]) !== undefined;
};

/**
 * Whether a capacity change added or took away: the first "a -> b" pair it records (counts or
 * instance sizes), else its words.
 */
export function capacityDirection(summary: string): 'up' | 'down' | undefined {
  const pair = /([\w.]+)\s*(?:->|→|=>|\bto\b)\s*([\w.]+)/.exec(summary);
  if (pair) {
    const [a, b] = [pair[1], pair[2]];
    const [x, y] = [Number(a), Number(b)];
    if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return y > x ? 'up' : 'down';
    const [sa, sb] = [sizeUnits(a), sizeUnits(b)];
    if (sa !== undefined && sb !== undefined && sa !== sb) return sb > sa ? 'up' : 'down';
  }
  if (/\b(?:downsiz|reduc|decreas|shrink|cut|lower|remov)/i.test(summary)) return 'down';
  if (/\b(?:expan|increas|add|grow|rais|upsiz)/i.test(summary)) return 'up';
  return undefined;
}

interface Symptom {
  candidate: Candidate;
  resource: string;
  at: string;
  /** The limit is on connections (slots, clients): what every member of a calling fleet holds. */
  connections: boolean;
}

const CONNECTIONS = /conn|clients|slots/i;

/** A candidate that says a resource ran out of something: a saturation, or a limit signature. */
function asSymptom(c: Candidate): Symptom | undefined {
  if (c.changeAt) return undefined;
  const connections = CONNECTIONS.test(`${c.effect?.headline ?? ''} ${(c.signatures ?? []).join(' ')}`);
  if (c.effect?.loadLinked && !c.effect.explained)
    return { candidate: c, resource: c.effect.resource, at: c.effect.at, connections };
  if (c.since && c.signatures?.some((id) => LIMIT_ENTRY.test(id)))
    return { candidate: c, resource: c.culprit, at: c.since, connections };
  return undefined;
}

/** What a latent change can be blamed for: the thing it changed, or (a fleet grown) what that fleet calls. */
function touches(a: Analysis, change: ScoredChange, up: boolean, sym: Symptom): boolean {
  const own = [lower(change.service), lower(change.change.resource)].filter((n) => n.length >= 3);
  // A larger instance does not make that instance run out. (More of them can: a fleet grown past
  // what each member's per-peer threads allow.)
  if (own.includes(lower(sym.resource))) return !(up && resized(change.change.summary));
  // More members each holding connections to a dependency can exhaust the dependency's connection
  // limit; they do not set its CPU or memory.
  return (
    change.flavor === 'capacity' &&
    up &&
    sym.connections &&
    a.snap.catalog.dependencies(change.service).map(lower).includes(lower(sym.resource))
  );
}

const CATEGORY: Partial<Record<ScoredChange['flavor'], Category>> = {
  capacity: 'capacity',
  flag: 'configuration',
  config: 'configuration',
  database: 'database',
};

function latentCandidate(a: Analysis, s: ScoredChange, sym: Symptom, more: number): Candidate {
  const ch = s.change;
  const hours = Math.round(s.leadMinutes / 60);
  const age = hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} h`;
  const dir = capacityDirection(ch.summary);
  const limit = s.flavor === 'capacity';
  const culprit = limit ? sym.resource : (ch.resource ?? s.service ?? sym.resource);
  const what = ch.summary.slice(0, 120);
  const x = sym.candidate;
  // A cut is made good by adding capacity back; anything else that set the limit is undone.
  const revert = () =>
    action('rollback', s.service ?? ch.resource, a.knownNames, `revert: ${what}`, { change: ch.id });
  const mitigation =
    limit && dir !== 'up'
      ? action('scale', sym.resource, a.knownNames, `restore the capacity cut ${age} before: ${what}`)
      : s.flavor === 'flag'
        ? (action('feature-flag', ch.resource, a.knownNames, `turn ${ch.resource} off`, { enabled: false }) ??
          revert())
        : revert();
  const confidence = x.confidence * (0.55 + 0.4 * latentWeight(s.leadMinutes)) + Math.min(0.1, 0.05 * more);
  return {
    category: CATEGORY[s.flavor] ?? 'configuration',
    culprit,
    summary:
      `${sym.resource} hit a limit at ${hhmm(sym.at)} that a change ${age} earlier set: ` +
      `${ch.resource ?? s.service ?? ''} at ${hhmm(ch.at)} ("${what}"); ${x.summary}`,
    causalChain: [
      `${what} (${ch.resource ?? s.service}, ${age} before the onset)`,
      `${sym.resource} reached its new limit at ${hhmm(sym.at)}`,
      ...x.causalChain,
    ],
    confidence: conf(Math.min(0.85, confidence)),
    evidence: uniq([ch.id, ...x.evidence]),
    mitigation: undoneAlready(ch) ? null : mitigation,
    specialists: uniq(['changes', ...x.specialists]),
    signatures: x.signatures,
    rulesOut: x.rulesOut,
    since: ch.at,
  };
}

/**
 * Adds a latent change as the cause of a saturation on what it changed, and weakens the
 * saturation (now its effect). A fresh, corroborated change on the incident's path stays ahead.
 */
export function latentCauses(a: Analysis, list: Candidate[]): Candidate[] {
  const out = [...list];
  const onset = ms(a.onset);
  const symptoms = list.map(asSymptom).filter((x): x is Symptom => !!x);
  const fresh = list.filter(
    (c) =>
      c.changeAt &&
      !c.against &&
      c.confidence >= 0.6 &&
      (onset - ms(c.changeAt)) / 60_000 <= FRESH_MINUTES &&
      (onset - ms(c.changeAt)) / 60_000 >= -6,
  );
  const ceiling = Math.max(0, ...fresh.map((c) => c.confidence)) - 0.05;
  for (const s of [...a.changes, ...a.olderChanges]) {
    if (s.leadMinutes <= FRESH_MINUTES || !CATEGORY[s.flavor]) continue;
    if (
      isAutomaticReaction(s.change) ||
      isResponseStep(s.change) ||
      s.change.status === 'rolled-back' ||
      undoneAlready(s.change)
    )
      continue;
    const up = capacityDirection(s.change.summary) === 'up';
    const hit = symptoms
      .filter(
        (sym) =>
          touches(a, s, up, sym) &&
          // It began with this incident, long after the change: the limit was reached, not broken.
          Math.abs(ms(sym.at) - onset) <= 30 * 60_000 &&
          ms(sym.at) - ms(s.change.at) > FRESH_MINUTES * 60_000,
      )
      .sort((x, y) => y.candidate.confidence - x.candidate.confidence);
    if (!hit.length) continue;
    const sym = hit[0];
    // Other signs that the same resource gave way with this incident (its own failure lines) agree.
    const own = a.knowledge.filter(
      (h) =>
        h.on !== 'change' &&
        lower(h.service) === lower(sym.resource) &&
        Math.abs(ms(h.at) - onset) <= 30 * 60_000,
    );
    const more = hit.length - 1 + uniq(own.map((h) => h.entry.id)).length;
    const cand = latentCandidate(a, s, sym, more);
    if (fresh.length) cand.confidence = conf(Math.min(cand.confidence, ceiling));
    if (cand.confidence < 0.3) continue;
    // The change's own candidate, if any, is this one; when its content already tied it to the
    // failure more firmly than its age allows here, it stays as it was.
    const itsOwn = out.findIndex((c) => c.changeAt && c.evidence[0] === s.change.id);
    if (itsOwn >= 0 && out[itsOwn].confidence > cand.confidence) continue;
    for (const h of hit) {
      h.candidate.confidence = conf(h.candidate.confidence * 0.6);
      h.candidate.against = `${h.candidate.category} (${h.candidate.culprit}): the limit it reached was set ${Math.round(s.leadMinutes / 60)} h before by ${s.change.summary.slice(0, 80)}`;
    }
    if (itsOwn >= 0) out.splice(itsOwn, 1);
    out.push(cand);
  }
  return out;
}
