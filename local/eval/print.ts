/** The eval report as the table `firebreak eval` prints. */
import { confusionLines, missLines } from '../eval-confusion.js';
import type { EvalReport } from './run.js';
import type { Check } from './score.js';

const mark = (c: Check) => (c.pass === null ? '·' : c.pass ? '✓' : '✗');
const cell = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
/** A check no scenario asked for has no accuracy to show. */
const accuracyText = (x: number, c: { passed: number; scored: number }) =>
  c.scored ? `${pct(x)} (${c.passed}/${c.scored})` : 'n/a (not asked)';

/** The report as a table, one line per scenario, then the totals. */
export function formatReport(r: EvalReport): string[] {
  const lines = [
    `${cell('scenario', 40)} d  ${cell('severity', 13)} ${cell('category', 22)} ${cell('culprit', 20)} kw fb ${cell('mitigation', 24)} ${cell('resolved', 10)} result`,
  ];
  for (const s of r.scenarios) {
    const c = s.checks;
    lines.push(
      [
        cell(s.id, 40),
        String(s.difficulty ?? '-'),
        ` ${mark(c.severity)} ${cell(`${c.severity.got}/${c.severity.want}`, 11)}`,
        `${mark(c.category)} ${cell(c.category.pass ? c.category.got : `${c.category.got}≠${c.category.want}`, 20)}`,
        `${mark(c.culprit)} ${cell(c.culprit.pass === false ? `≠${c.culprit.want}` : c.culprit.want, 18)}`,
        ` ${mark(c.keywords)}`,
        ` ${mark(c.forbidden)}`,
        `${mark(c.mitigation)} ${cell(c.mitigation.pass === false ? `${c.mitigation.got}≠${c.mitigation.want}` : c.mitigation.got, 22)}`,
        `${mark(c.resolved)} ${cell(c.resolved.got, 8)}`,
        s.passed ? 'PASS' : `FAIL${s.error ? ` (${s.error.slice(0, 60)})` : ''}`,
      ].join(' '),
    );
  }
  const k = r.checks;
  lines.push('');
  lines.push(
    `${r.passed}/${r.total} scenarios passed every check (analyst: ${r.analyst}, ${r.wallSeconds}s)`,
  );
  lines.push(
    `  category ${accuracyText(r.categoryAccuracy, k.category)}  ` +
      `severity ${accuracyText(r.severityAccuracy, k.severity)}  ` +
      `culprit ${accuracyText(r.culpritAccuracy, k.culprit)}  ` +
      `mitigation ${accuracyText(r.mitigationAccuracy, k.mitigation)}`,
  );
  lines.push(
    `  keywords ${accuracyText(r.keywordAccuracy, k.keywords)}  ` +
      `forbidden avoided ${accuracyText(r.forbiddenAccuracy, k.forbidden)}  ` +
      `resolved ${accuracyText(r.resolvedAccuracy, k.resolved)}`,
  );
  lines.push('  ✓ pass  ✗ fail  · not asked by the scenario');
  lines.push('', ...confusionLines(r.confusion), '', ...missLines(r.scenarios));
  return lines;
}
