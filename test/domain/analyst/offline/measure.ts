/**
 * Measures the offline analyst against every scenario it can find and prints one line per
 * scenario plus the totals. Run: `npx tsx test/domain/analyst/offline/measure.ts [folder...] `.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, runScenario, type Score, scenarioFiles, score } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The two reference scenarios of the scenario format (copied here) and the project's own. */
export const DEFAULT_DIRS = [join(here, 'scenarios'), join(here, '../../../../examples/scenarios')];

export async function measure(
  dirs: string[],
): Promise<{ scores: Score[]; failures: Array<{ file: string; error: string }> }> {
  const scores: Score[] = [];
  const failures: Array<{ file: string; error: string }> = [];
  for (const file of scenarioFiles(dirs)) {
    try {
      scores.push(score(await runScenario(loadScenario(file))));
    } catch (err) {
      failures.push({ file, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { scores, failures };
}

const pct = (n: number, d: number) => (d ? `${Math.round((n / d) * 100)}%` : '-');

export function report(scores: Score[]): string {
  const mark = (b: boolean) => (b ? 'ok ' : 'XX ');
  const lines = scores.map(
    (s) =>
      `${mark(s.category)}${mark(s.culprit)}${mark(s.severity)}${mark(s.mitigation)} ${s.id.padEnd(44)} ` +
      `cat ${s.got.category}/${s.want.category} culprit "${s.got.culprit}"/"${s.want.culprit}" ` +
      `sev ${s.got.severity}/${s.want.severity} mit ${s.got.mitigation}/${s.want.mitigation}`,
  );
  const n = scores.length;
  const count = (k: 'category' | 'culprit' | 'severity' | 'mitigation' | 'keywords') =>
    scores.filter((s) => s[k]).length;
  lines.push(
    `\n${n} scenarios: category ${pct(count('category'), n)}, culprit ${pct(count('culprit'), n)}, ` +
      `severity ${pct(count('severity'), n)}, mitigation ${pct(count('mitigation'), n)}, keywords ${pct(count('keywords'), n)}`,
  );
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('measure.ts')) {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const { scores, failures } = await measure(args.length ? args : DEFAULT_DIRS);
  console.log(report(scores));
  for (const f of failures) console.log(`FAILED ${f.file}: ${f.error}`);
}
