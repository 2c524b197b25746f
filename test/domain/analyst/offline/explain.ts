/**
 * Prints what the offline analyst concluded for one scenario and why: triage, every finding and
 * the root cause. Run: `npx tsx test/domain/analyst/offline/explain.ts <scenario.json>`.
 */
import { loadScenario, runScenario } from './harness.js';

const file = process.argv[2];
if (!file) throw new Error('usage: explain.ts <scenario.json>');
const run = await runScenario(loadScenario(file));
console.log(JSON.stringify({ expected: run.scenario.expected, triage: run.triage }, null, 2));
for (const f of run.findings) {
  console.log(`\n## ${f.specialist}`);
  for (const h of f.hypotheses) console.log(`  [${h.confidence}] ${h.category} ${h.culprit}: ${h.summary}`);
  for (const n of f.notes) console.log(`  note: ${n}`);
  for (const r of f.ruledOut) console.log(`  out: ${r}`);
}
console.log('\n## root cause');
console.log(JSON.stringify(run.rootCause, null, 2));
