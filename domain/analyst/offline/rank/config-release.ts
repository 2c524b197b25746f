/**
 * A rollout by a configuration-management tool (an Ansible playbook, a Chef or Puppet run, an
 * Argo CD sync) whose own words, or the record of what it changed, say it applied configuration
 * (a templated config file, group_vars, a ConfigMap) changed settings, not code: a configuration
 * change, reverted the same way. The same tools shipping a package or a version stay deployments.
 */
import type { Analysis } from '../analysis.js';
import { lower, ms } from '../measure.js';
import { type Candidate, releaseOf } from './candidate.js';

/** Tools that push configuration to hosts or a cluster, as deploy records name them. */
const CONFIG_TOOL = /^(?:ansible|chef|puppet|salt(?:stack)?|argo ?cd|flux(?:cd)?)\b/i;
/** Words for configuration itself, rather than for a release that happens to read some. */
const CONFIG_WORDS =
  /\bconfig(?:uration|s)?\b(?!\/)|\bconfigmap\b|\bmeshconfig\b|\b(?:group|host)_vars\b|\bvalues\.ya?ml\b|\btemplat(?:e|es|ed|ing)\b|\.(?:conf|ini|toml|properties)\b/i;
/** A change record this close to the rollout, on the same service, is what the rollout wrote. */
const SAME_RUN_MS = 2 * 60_000;

export function configRelease(a: Analysis, list: Candidate[]): void {
  for (const d of list) {
    const release = releaseOf(a, d);
    if (!release || !CONFIG_TOOL.test(release.source ?? '')) continue;
    const written = a.snap.changes.filter(
      (c) =>
        c.kind === 'change' &&
        lower(c.service ?? '') === lower(release.service ?? '') &&
        Math.abs(ms(c.at) - ms(release.at)) <= SAME_RUN_MS,
    );
    const words = [release.summary, ...written.flatMap((c) => [c.summary, c.resource ?? ''])];
    const said = words.map((w) => w.match(CONFIG_WORDS)?.[0]).find(Boolean);
    if (!said) continue;
    d.category = 'configuration';
    d.summary = `${d.summary.replace(/\.$/, '')}; the ${release.source} run applied configuration ("${said}"), a configuration change.`;
  }
}
