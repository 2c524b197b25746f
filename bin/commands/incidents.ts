import type { Command } from 'commander';
import { clip } from '../../lambdas/core/text.js';
import { withLocalStore } from '../../lib/local/embedded-dynamodb.js';
import { CliError, defaultDataDir } from './common.js';

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

export function registerIncidents(program: Command): void {
  const incidents = program.command('incidents').description('inspect incidents in the local store');
  incidents
    .command('list')
    .description('incidents, newest first')
    .option('--json', 'print JSON')
    .option(
      '--status <status>',
      'only this status (TRIAGE, ACTIVE, MITIGATED, RESOLVED, TICKETED, CANCELLED)',
    )
    .option('--data-dir <dir>', 'the local data directory', defaultDataDir())
    .action(async (opts: { json?: boolean; status?: string; dataDir: string }) => {
      const list = await withLocalStore(opts.dataDir, (store) =>
        store.list(opts.status ? { statuses: [opts.status.toUpperCase() as never] } : {}),
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
      for (const i of list) {
        out(
          `${i.id}  ${(i.severity ?? '—').padEnd(4)}  ${i.status.padEnd(9)}  ${i.detectedAt.slice(0, 16).replace('T', ' ')}  ${i.title}${i.rootCause ? `  [${i.rootCause.category}]` : ''}`,
        );
      }
    });
  incidents
    .command('show')
    .description('one incident with its timeline')
    .argument('<id>', 'incident id')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'the local data directory', defaultDataDir())
    .action(async (id: string, opts: { json?: boolean; dataDir: string }) => {
      const found = await withLocalStore(opts.dataDir, async (store) => {
        const incident = await store.get(id);
        if (!incident) return undefined;
        return { incident, timeline: await store.timeline(id), alerts: await store.alerts(id) };
      });
      if (!found) throw new CliError(`no incident ${id} in ${opts.dataDir}`);
      if (opts.json) {
        const { postmortem: _p, ...incident } = found.incident;
        return out(
          JSON.stringify(
            { ...incident, alerts: found.alerts.map(({ raw: _r, ...a }) => a), timeline: found.timeline },
            null,
            2,
          ),
        );
      }
      const i = found.incident;
      out(`${i.id} — ${i.title}`);
      out(`  status ${i.status} · severity ${i.severity ?? '—'} · services ${i.services.join(', ') || '—'}`);
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
      out(`  alerts ${found.alerts.length}`);
      out('');
      for (const e of found.timeline) {
        if (e.type === 'state') continue;
        out(`  ${e.at.slice(11, 19)}  ${e.type.padEnd(18)} ${clip(e.text, 160)}`);
      }
    });
}
