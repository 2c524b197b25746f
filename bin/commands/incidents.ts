import type { Command } from 'commander';
import { withLocalStore } from '../../adapters/embedded/dynamodb.js';
import { systemClock } from '../../domain/clock.js';
import { defaultConfig } from '../../domain/config.js';
import { NotFoundError } from '../../domain/errors.js';
import { closeIncident } from '../../domain/incidents/close-by-hand.js';
import { describeHistory, relatedLines } from '../../domain/memory/records.js';
import { type Incident, IncidentStatus } from '../../domain/model.js';
import { clip } from '../../domain/text.js';
import { liveRunDriver } from '../../local/console/route.js';
import { CliError } from './common.js';
import { dataDirOption } from './data-dir.js';
import { choice } from './options.js';
import { type Paint, painter, paintSeverity, paintStatus } from './style.js';

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

type Listed = Pick<Incident, 'id' | 'severity' | 'status' | 'detectedAt' | 'title' | 'rootCause'>;

/**
 * `incidents list` as a table: a header row, columns as wide as their longest value, the title
 * last (it is the one of any length). Padding is measured before colour is added.
 */
export function incidentTable(list: Listed[], paint: Paint): string[] {
  const rows = list.map((i) => ({
    id: i.id,
    severity: i.severity ?? '—',
    status: i.status as string,
    detected: i.detectedAt.slice(0, 16).replace('T', ' '),
    cause: i.rootCause?.category ?? '—',
    title: i.title,
  }));
  const head = { id: 'ID', severity: 'SEV', status: 'STATUS', detected: 'DETECTED (UTC)', cause: 'CAUSE' };
  const width = (k: keyof typeof head) => Math.max(head[k].length, ...rows.map((r) => r[k].length));
  const [id, severity, status, detected, cause] = (
    ['id', 'severity', 'status', 'detected', 'cause'] as const
  ).map(width);
  return [
    paint(
      'bold',
      `${head.id.padEnd(id)}  ${head.severity.padEnd(severity)}  ${head.status.padEnd(status)}  ${head.detected.padEnd(detected)}  ${head.cause.padEnd(cause)}  TITLE`,
    ),
    ...rows.map(
      (r) =>
        `${r.id.padEnd(id)}  ${paintSeverity(paint, r.severity, severity)}  ${paintStatus(paint, r.status, status)}  ${r.detected.padEnd(detected)}  ${r.cause.padEnd(cause)}  ${r.title}`,
    ),
  ];
}

export function registerIncidents(program: Command): void {
  const incidents = program.command('incidents').description('inspect incidents in the local store');
  incidents
    .command('list')
    .description('incidents, newest first')
    .option('--json', 'print JSON')
    .addOption(choice('--status <status>', 'only incidents with this status', IncidentStatus.options))
    .addOption(dataDirOption())
    .action(async (opts: { json?: boolean; status?: string; dataDir: string }) => {
      const list = await withLocalStore(opts.dataDir, (store) =>
        store.list(opts.status ? { statuses: [opts.status as IncidentStatus] } : {}),
      );
      if (opts.json)
        return out(
          JSON.stringify(
            list.map(({ postmortem: _p, ...rest }) => rest),
            null,
            2,
          ),
        );
      if (!list.length) return out('no incidents yet — try: npm start');
      for (const line of incidentTable(list, painter(process.stdout))) out(line);
    });
  incidents
    .command('show')
    .description('one incident with its timeline')
    .argument('<id>', 'incident id')
    .option('--json', 'print JSON')
    .addOption(dataDirOption())
    .action(async (id: string, opts: { json?: boolean; dataDir: string }) => {
      const found = await withLocalStore(opts.dataDir, async (store, memory) => {
        const incident = await store.get(id);
        if (!incident) return undefined;
        return {
          incident,
          timeline: await store.timeline(id),
          alerts: await store.alerts(id),
          similar: await memory.similar(incident, defaultConfig().memory),
        };
      });
      if (!found) throw new CliError(`no incident ${id} in ${opts.dataDir}`);
      if (opts.json) {
        const { postmortem: _p, ...incident } = found.incident;
        return out(
          JSON.stringify(
            {
              ...incident,
              alerts: found.alerts.map(({ raw: _r, ...a }) => a),
              timeline: found.timeline,
              similar: found.similar.matches.map((m) => ({ ...m.record, matchedOn: m.matchedOn })),
            },
            null,
            2,
          ),
        );
      }
      const i = found.incident;
      out(`${i.id} — ${i.title}`);
      const paint = painter(process.stdout);
      out(
        `  status ${paintStatus(paint, i.status)} · severity ${paintSeverity(paint, i.severity ?? '—')} · services ${i.services.join(', ') || '—'}`,
      );
      out(`  detected ${i.detectedAt}${i.resolvedAt ? ` · resolved ${i.resolvedAt}` : ''}`);
      if (i.rootCause) out(`  root cause ${i.rootCause.category}: ${i.rootCause.summary}`);
      if (i.mitigation)
        out(
          `  mitigation ${i.mitigation.action.kind} ${i.mitigation.action.target} → ${i.mitigation.status}`,
        );
      if (i.tokenUsage) {
        out(
          `  tokens input ${i.tokenUsage.input} · cached input ${i.tokenUsage.cachedInput} · output ${i.tokenUsage.output}`,
        );
      }
      if (i.review)
        out(
          `  review ${i.review.verdict} (${i.review.score}/100) by ${i.review.by}${i.review.confirmed ? `; confirmed ${i.review.confirmed.category}${i.review.confirmed.culprit ? ` ${i.review.confirmed.culprit}` : ''}` : ''}`,
        );
      out(`  alerts ${found.alerts.length}`);
      const history = describeHistory(found.similar);
      out(`  history ${history ?? `no similar incidents in the last ${found.similar.horizonDays} days`}`);
      for (const line of relatedLines(found.similar)) out(`    ${line.slice(0, 200)}`);
      out('');
      for (const e of found.timeline) {
        if (e.type === 'state') continue;
        out(`  ${e.at.slice(11, 19)}  ${e.type.padEnd(18)} ${clip(e.text, 160)}`);
      }
    });
  incidents
    .command('close')
    .description('close an open incident by hand (its run stopped, or it was handled outside Firebreak)')
    .argument('<id>', 'incident id')
    .requiredOption('--reason <text>', 'why it is closed: goes on the timeline')
    .addOption(
      choice('--as <status>', 'resolved: the problem is fixed; cancelled: there was none', [
        'resolved',
        'cancelled',
      ]).default('resolved'),
    )
    .addOption(dataDirOption())
    .action(async (id: string, opts: { reason: string; as: string; dataDir: string }) => {
      const closed = await withLocalStore(opts.dataDir, async (store) => {
        try {
          return await closeIncident(
            { store, clock: systemClock, drivenBy: liveRunDriver(opts.dataDir) },
            {
              incidentId: id,
              status: opts.as.toUpperCase(),
              reason: opts.reason,
              by: `cli:${process.env.USER || 'local'}`,
            },
          );
        } catch (err) {
          if (err instanceof NotFoundError) throw new CliError(`no incident ${id} in ${opts.dataDir}`);
          throw err;
        }
      });
      out(`${id} closed as ${closed.status}`);
    });
}
