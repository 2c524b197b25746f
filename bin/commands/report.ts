/**
 * `firebreak report [--since 7d] [--json]`: incidents by severity, MTTA/MTTR by severity, top
 * root-cause categories, repeat incidents and action items, over the local store.
 */
import type { Command } from 'commander';
import { withLocalStore } from '../../adapters/embedded/dynamodb.js';
import { type Clock, systemClock } from '../../domain/clock.js';
import {
  type Accuracy,
  accuracyLines,
  accuracyOf,
  type MitigationSplit,
  mitigationSplit,
} from '../../domain/memory/accuracy.js';
import { buildReport, parseSince, type ResponseReport } from '../../domain/metrics/report.js';
import { formatDuration } from '../../domain/metrics/response.js';
import { SEVERITIES } from '../../domain/model.js';
import type { IncidentStore } from '../../domain/ports.js';
import { dataDirOption } from './data-dir.js';

export async function reportFromStore(
  store: IncidentStore,
  opts: { since: string; clock?: Clock },
): Promise<ResponseReport & { accuracy: Accuracy; mitigation: MitigationSplit }> {
  const sinceSeconds = parseSince(opts.since);
  const incidents = await store.list({ limit: 10_000 });
  const now = (opts.clock ?? systemClock).now();
  const report = buildReport(incidents, { now, sinceSeconds });
  // The same window as the rest of the report: incidents detected since `from`.
  const inWindow = incidents.filter((i) => i.detectedAt >= report.from && i.detectedAt <= report.to);
  return { ...report, accuracy: accuracyOf(inWindow), mitigation: mitigationSplit(inWindow) };
}

const fmt = (seconds: number | null) => (seconds === null ? '—' : formatDuration(seconds));

export function renderReport(
  r: ResponseReport & { accuracy?: Accuracy; mitigation?: MitigationSplit },
): string[] {
  const lines = [
    `Incidents ${r.from.slice(0, 16).replace('T', ' ')} → ${r.to.slice(0, 16).replace('T', ' ')} UTC: ${r.total}`,
  ];
  const outside = r.outside.incidents
    ? `${r.outside.incidents} older incident(s) lie outside this window (the oldest detected ${r.outside.oldest?.slice(0, 10)}); see them with: firebreak report --since ${r.outside.since}`
    : undefined;
  if (!r.total) return [...lines, '', 'No incidents in this window.', ...(outside ? [outside] : [])];
  lines.push(
    '',
    'severity  incidents  acknowledged  resolved  MTTD       MTTA       MTTM       MTTR',
    ...SEVERITIES.map((s) => {
      const f = r.response[s];
      return `${s.padEnd(8)}  ${String(f.incidents).padStart(9)}  ${String(f.acknowledged).padStart(12)}  ${String(f.resolved).padStart(8)}  ${fmt(f.mttdSeconds).padEnd(9)}  ${fmt(f.mttaSeconds).padEnd(9)}  ${fmt(f.mttmSeconds).padEnd(9)}  ${fmt(f.mttrSeconds)}`;
    }),
  );
  if (r.bySeverity.unclassified) lines.push(`unclass.  ${String(r.bySeverity.unclassified).padStart(9)}`);
  lines.push(
    '',
    `status    ${Object.entries(r.byStatus)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · ')}`,
  );
  lines.push(
    '',
    'Top root-cause categories',
    ...r.topCategories.map((c) => `  ${c.category.padEnd(14)} ${c.incidents}`),
  );
  lines.push('', `Repeat incidents${r.repeats.length ? '' : ': none'}`);
  for (const g of r.repeats)
    lines.push(
      `  ${g.by === 'fingerprint' ? 'same alert' : 'same service and cause'} ${g.key}: ${g.incidents.length}× (${g.incidents.join(', ')})`,
    );
  lines.push(
    '',
    `Action items: ${r.actionItems.open} open (${r.actionItems.overdue} overdue), ${r.actionItems.closed} closed`,
  );
  if (r.mitigation) {
    const { withMitigation: w, withoutMitigation: wo } = r.mitigation;
    lines.push(
      '',
      `MTTR with an accepted mitigation ${fmt(w.mttrSeconds)} (${w.resolved} resolved) · without ${fmt(wo.mttrSeconds)} (${wo.resolved} resolved)`,
    );
  }
  if (r.accuracy) lines.push('', ...accuracyLines(r.accuracy));
  lines.push(
    '',
    'MTTD impact start → alert; MTTA, MTTM, MTTR alert → acknowledged, mitigated, resolved (means).',
    'MTTA counts people only: an automatic approval (--approve auto) is not an acknowledgement.',
  );
  if (outside) lines.push('', outside);
  return lines;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('response report: incidents by severity, MTTA/MTTR, top causes, repeats, action items')
    .option('--since <window>', 'how far back: 90m, 24h, 7d, 2w, 6mo, 1y', '7d')
    .option('--json', 'print JSON')
    .addOption(dataDirOption())
    .action(async (opts: { since: string; json?: boolean; dataDir: string }) => {
      parseSince(opts.since); // refuse a bad window before opening anything
      const report = await withLocalStore(opts.dataDir, (store) =>
        reportFromStore(store, { since: opts.since }),
      );
      process.stdout.write(
        opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderReport(report).join('\n')}\n`,
      );
    });
}
