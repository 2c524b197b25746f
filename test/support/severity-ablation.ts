/**
 * Severity ablation: triage every scenario of the readable halves (examples/scenarios, corpus/dev)
 * with the alert's own severity word removed, and list those whose severity leaves tolerance. What
 * it lists is impact the evidence alone does not measure. Not shipped, not a test: a measurement.
 *
 *   npx tsx test/support/severity-ablation.ts [--normal] [folders…]
 *
 * corpus/holdout is refused: it is the frozen test half; only its totals are ever looked at.
 */
import '../../local/polyfills.js';
import { OfflineAnalyst } from '../../domain/analyst/offline/index.js';
import { SEVERITIES } from '../../domain/model.js';
import { contextFor, loadScenario, scenarioFiles } from '../domain/analyst/offline/harness.js';

const args = process.argv.slice(2);
const normal = args.includes('--normal');
const dirs = args.filter((a) => !a.startsWith('--'));
const folders = dirs.length ? dirs : ['examples/scenarios', 'corpus/dev'];
if (folders.some((f) => /holdout/.test(f))) {
  console.error('severity-ablation: corpus/holdout is the frozen test half; not read here');
  process.exit(2);
}

const sev = (s: string) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
let scored = 0;
let passed = 0;
let sev12to4 = 0;
/** More severe than the tolerance allows: people paged who should not have been. */
let overPaged = 0;
for (const file of scenarioFiles(folders)) {
  const s = loadScenario(file);
  const { env, ctx } = contextFor(s);
  const alerts = normal
    ? ctx.alerts
    : ctx.alerts.map(({ severityHint: _h, severityWord: _w, ...rest }) => rest);
  const triage = (await new OfflineAnalyst(env).triage({ ...ctx, alerts })).value;
  const want = s.expected.severity;
  const ok = Math.abs(sev(triage.severity) - sev(want)) <= (s.expected.severityTolerance ?? 0);
  scored++;
  if (ok) passed++;
  if (sev(want) <= 1 && triage.severity === 'SEV4') sev12to4++;
  if (sev(triage.severity) < sev(want) - (s.expected.severityTolerance ?? 0)) overPaged++;
  if (!ok) {
    const hint = ctx.alerts[0]?.severityHint ?? '-';
    console.log(
      `${s.id}: got ${triage.severity}, want ${want}±${s.expected.severityTolerance ?? 0} (alert said ${hint})`,
    );
    console.log(`    ${triage.rationale}`);
  }
}
console.log(
  `${normal ? 'normal' : 'ablated'} ${folders.join(' + ')}: severity ${passed}/${scored}, expected SEV1–2 came out SEV4: ${sev12to4}, over-paged: ${overPaged}`,
);
