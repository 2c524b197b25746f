/**
 * A provider's blip that is over while a failure of ours that began with it goes on: the provider
 * says its packet loss ended, yet our cluster that split during it is still split. The blip was the
 * trigger; what did not heal is ours, and acting on it (restarting the split cluster) is the way
 * out, where waiting on the provider or moving away from it changes nothing.
 */
import type { Analysis } from '../analysis.js';
import { isExternal } from '../evidence/dependencies.js';
import { isProviderNotice } from '../explain/provider.js';
import { conf, hhmm, lower, ms, uniq } from '../measure.js';
import type { Candidate } from './candidate.js';

/** The provider's own word that its trouble is over. */
const ENDED =
  /\[resolved\]|\b(?:has been |was |is )?resolved\b|\brecovered\b|\bhas ended\b|operating normally/i;

/** Our failure began with the provider's: within minutes of its notice, either side. */
const WITH_MS = 15 * 60_000;

export function outlastedProvider(a: Analysis, list: Candidate[]): void {
  if (!a.noise.ongoing) return;
  for (const p of list) {
    const record = a.snap.changes.find((c) => c.id === p.evidence[0]);
    if (!record || !isProviderNotice(record) || !ENDED.test(record.summary)) continue;
    const ours = list.find(
      (k) =>
        k !== p &&
        !!k.signatures?.length &&
        !!k.since &&
        !k.changeAt &&
        k.category === p.category &&
        k.confidence >= 0.4 &&
        !!a.snap.catalog.get(k.culprit) &&
        !isExternal(a.snap.catalog, k.culprit) &&
        Math.abs(ms(k.since) - ms(record.at)) <= WITH_MS,
    );
    if (!ours) continue;
    const trigger = `${record.actor} reported trouble at ${hhmm(record.at)}, since over: "${record.summary.slice(0, 120)}"`;
    ours.confidence = conf(Math.min(0.95, Math.max(ours.confidence, p.confidence) + 0.05));
    ours.summary = `${ours.summary.replace(/\.$/, '')}; it began with the provider's trouble (${trigger}), and outlasted it.`;
    if (!ours.causalChain.some((l) => l.includes(record.summary.slice(0, 40))))
      ours.causalChain.unshift(trigger);
    ours.evidence = uniq([...ours.evidence, record.id]).slice(0, 10);
    p.confidence = conf(p.confidence * 0.6);
    p.against = `${p.category} (${p.culprit}): over at ${hhmm(record.at)}, while ${lower(ours.culprit)}'s failure goes on`;
  }
}
