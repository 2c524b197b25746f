import { analyze } from '../../../../domain/analyst/offline/analysis.js';
import { gather } from '../../../../domain/analyst/offline/evidence/gather.js';
import { BUILTIN_KNOWLEDGE } from '../../../../domain/knowledge/builtin.js';
import { contextFor, loadScenario } from './harness.js';

for (const file of process.argv.slice(2)) {
  const s = loadScenario(file);
  const { env, ctx } = contextFor(s);
  const snap = await gather(env, ctx);
  const a = analyze(snap, BUILTIN_KNOWLEDGE);
  console.log(file, 'window', snap.window.from, snap.window.to, 'onset', a.onset);
  for (const v of a.views)
    console.log(
      ' ',
      v.series.metricName,
      v.kind,
      v.relation,
      v.isAlertMetric ? 'ALERT' : '',
      JSON.stringify(v.onset),
      'bad',
      v.bad,
    );
}
