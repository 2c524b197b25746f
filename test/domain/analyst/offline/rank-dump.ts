/**
 * Prints the ranked candidates the offline analyst weighs for one scenario, with their action and
 * the reason any was weakened. Run: `npx tsx test/domain/analyst/offline/rank-dump.ts <scenario.json>`.
 */

import { analyze } from '../../../../domain/analyst/offline/analysis.js';
import { gather } from '../../../../domain/analyst/offline/evidence/gather.js';
import { harmShown } from '../../../../domain/analyst/offline/explain/health.js';
import { candidates } from '../../../../domain/analyst/offline/rank/candidates.js';
import { BUILTIN_KNOWLEDGE } from '../../../../domain/knowledge/builtin.js';
import { contextFor, loadScenario } from './harness.js';

for (const file of process.argv.slice(2)) {
  const s = loadScenario(file);
  const { env, ctx } = contextFor(s);
  const a = analyze(await gather(env, ctx), BUILTIN_KNOWLEDGE);
  console.log(`\n=== ${s.id}  onset ${a.onset}  expected ${JSON.stringify(s.expected)}`);
  console.log(
    `  noise ${JSON.stringify(a.noise.reasons)} resolved=${a.noise.resolved} recovered=${a.noise.recovered} ongoing=${a.noise.ongoing}; harm ${JSON.stringify(harmShown(a))}`,
  );
  for (const h of a.knowledge)
    console.log(
      `  hit ${h.entry.id} [${h.entry.category}/${h.entry.role}/${h.entry.specificity}] ${h.service} ${h.at.slice(11, 16)} ${h.evidenceId}`,
    );
  for (const c of a.changes)
    console.log(
      `  change ${c.change.id} ${c.relation} lead ${Math.round(c.leadMinutes)} score ${c.score.toFixed(2)}`,
    );
  for (const c of candidates(a).slice(0, Number(process.env.TOP ?? 6)))
    console.log(
      `  ${c.confidence.toFixed(2)} ${c.category}/${c.culprit}${c.effect ? ` effect@${c.effect.at.slice(11, 16)} on ${c.effect.resource} explained=${c.effect.explained} loadLinked=${c.effect.loadLinked}` : ''} → ${c.mitigation ? `${c.mitigation.kind} ${c.mitigation.target} ${JSON.stringify(c.mitigation.params)}` : 'none'}${c.against ? `  [against: ${c.against}]` : ''}\n       ${c.summary.slice(0, 200)}  sigs=${(c.signatures ?? []).join(',')}`,
    );
}
