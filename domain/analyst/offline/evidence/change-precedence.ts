/**
 * How changes stand against one another once each is scored: a change that came after its service
 * had already gone wrong, a maintenance window whose own work is on record, a setting superseded by
 * a later change the failing service is seen taking in. Each weakens the one that is not the cause
 * and says why, for the ruled-out list.
 */

import type { LogSignature } from '../../../ports.js';
import { lower, ms } from '../measure.js';
import { ownErrors } from './change-effects.js';
import { affinity } from './change-relevance.js';
import { isAutomaticReaction, type ScoredChange } from './changes.js';
import type { RankedSignature } from './logs.js';
import { isAnomalous, type SeriesView } from './series.js';

/**
 * A change to the affected service whose words have nothing to do with its new errors, followed
 * before the failure by a change the service is seen taking in (it loaded the file that change
 * wrote), is not what broke it: weakened, the later change named.
 */
export function supersededBy(
  early: ScoredChange,
  all: ScoredChange[],
  signatures: RankedSignature[],
  names: readonly string[],
): void {
  if (early.takenIn || early.relation !== 'self' || early.change.kind === 'deployment') return;
  const later = all.find((o) => o.takenIn && ms(o.change.at) > ms(early.change.at) && o.leadMinutes >= -2);
  if (!later) return;
  const errors = ownErrors(early.change, early.service, signatures, 30);
  if (errors.some((e) => affinity(early.change, e.sig.sample, names).length)) return;
  early.score *= 0.6;
  early.against = `${early.change.summary.slice(0, 80)}: ${early.service} failed after taking in ${later.change.resource}, which came later`;
}

/** A record that a maintenance window or change ticket opened: it announces work, it does none. */
const WINDOW_OPENED =
  /^(?:MaintenanceWindow\w*|ChangeWindow\w*|ChangeRequest\w*|ChangeTicket\w*)$|^\s*(?:planned|scheduled) maintenance\b/i;

/**
 * A maintenance window's opening, when the changes made in it are on record, is not a suspect of
 * its own: what was done in it is (a route propagated, an attachment created). Weakened, with the
 * change named; alone, it stands for the work nobody recorded.
 */
export function madeWithin(window: ScoredChange, all: ScoredChange[], onset: string): void {
  const ch = window.change;
  if (ch.kind !== 'change' || !(WINDOW_OPENED.test(ch.status ?? '') || WINDOW_OPENED.test(ch.summary)))
    return;
  const at = ms(ch.at);
  const inside = all
    .filter(
      (o) =>
        o !== window &&
        o.flavor !== 'benign' &&
        o.flavor !== 'platform' &&
        ms(o.change.at) >= at &&
        ms(o.change.at) <= Math.min(at + 4 * 60 * 60_000, ms(onset) + 5 * 60_000),
    )
    .sort((x, y) => y.score - x.score)[0];
  if (!inside) return;
  window.score *= 0.5;
  window.against = `${ch.summary.slice(0, 80)}: a maintenance window opening; the change made in it was ${inside.change.resource ?? inside.change.summary.slice(0, 60)}`;
}

/**
 * A change that landed after its service had already started to go wrong, right after an earlier
 * change to it (rules pushed, and the host's load rose with them), came too late to start the
 * incident: weakened, with the earlier change named.
 */
export function overtaken(late: ScoredChange, all: ScoredChange[], series: SeriesView[]): void {
  const service = lower(late.service);
  if (!service) return;
  const lateAt = ms(late.change.at) - (late.change.kind === 'deployment' ? 6 : 2) * 60_000;
  for (const early of all) {
    const at = ms(early.change.at);
    if (early === late || lower(early.service) !== service || at >= lateAt) continue;
    if (early.flavor === 'benign' || early.flavor === 'platform' || isAutomaticReaction(early.change))
      continue;
    const moved = series.find(
      (v) =>
        isAnomalous(v) &&
        lower(v.service) === service &&
        ms(v.onset!.at) >= at - 60_000 &&
        ms(v.onset!.at) <= Math.min(at + 5 * 60_000, lateAt),
    );
    if (!moved) continue;
    late.score *= 0.7;
    late.against = `${late.change.summary.slice(0, 80)}: ${moved.series.metricName} on ${late.service} had already moved after ${early.change.summary.slice(0, 60)}`;
    return;
  }
}

/** Who applies what people merge: a GitOps controller, a pipeline, a bot account. */
export const AUTOMATION_ACTOR =
  /automation|(^|[^a-z])bot([^a-z]|$)|-bot$|argo|flux|terraform|atlantis|spinnaker|pipeline|jenkins|github-actions|(^|[^a-z])ci([^a-z]|$)/i;
/** A commit or revision id: seven or more hex digits with both a digit and a letter. */
const REVISION = /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b/gi;

/**
 * An automated apply (a sync, a pipeline run) is the delivery of what a person merged just before
 * it when the two share a revision id — in the person's change or in what its service logged as it
 * took the merge. The merge is what to revert and what the responder names; the sync only carried
 * it. Sets `deliveredFrom` on the apply.
 */
export function deliveredFrom(apply: ScoredChange, all: ScoredChange[], logs: readonly LogSignature[]): void {
  if (!AUTOMATION_ACTOR.test(apply.change.actor ?? '') || apply.change.kind === 'deployment') return;
  const revisions = [...apply.change.summary.matchAll(REVISION)].map((m) => lower(m[0]));
  if (!revisions.length) return;
  const at = ms(apply.change.at);
  const origin = all.find((o) => {
    const t = ms(o.change.at);
    if (o === apply || !o.change.resource || AUTOMATION_ACTOR.test(o.change.actor ?? '')) return false;
    if (t > at || at - t > 15 * 60_000) return false;
    const own = lower(`${o.change.summary} ${o.change.resource}`);
    const logged = logs.some(
      (l) =>
        lower(l.service) === lower(o.service ?? o.change.service) &&
        ms(l.firstSeen) >= t &&
        ms(l.firstSeen) <= at + 60_000 &&
        revisions.some((r) => lower(l.sample).includes(r)),
    );
    return revisions.some((r) => own.includes(r)) || logged;
  });
  if (origin) apply.deliveredFrom = origin;
}

/** Records of a pipeline run applying what was merged. */
const RUN = /^(?:Apply|TerraformApply|Sync|UpdateStack|CreateStack|ExecuteChangeSet)$/i;

/**
 * An API call a pipeline made while it ran (instances replaced during a Terraform apply, by the
 * apply's own principal, minutes after the run began) is delivered from that run: the run is what
 * was decided and what to name. Sets `deliveredFrom` on the call.
 */
export function madeByRun(call: ScoredChange, all: ScoredChange[]): void {
  const actor = lower(call.change.actor);
  if (call.deliveredFrom || !AUTOMATION_ACTOR.test(actor) || call.change.kind === 'deployment') return;
  if (RUN.test(call.change.status ?? '')) return;
  const at = ms(call.change.at);
  const run = all.find(
    (o) =>
      o !== call &&
      RUN.test(o.change.status ?? '') &&
      lower(o.change.actor).startsWith(actor) &&
      at >= ms(o.change.at) &&
      at - ms(o.change.at) <= 15 * 60_000,
  );
  if (run) call.deliveredFrom = run;
}
