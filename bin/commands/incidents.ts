import type { Command } from 'commander';
import { withLocalStore } from '../../adapters/embedded/dynamodb.js';
import { defaultConfig } from '../../domain/config.js';
import { ConflictError } from '../../domain/errors.js';
import { describeHistory, relatedLines } from '../../domain/memory/records.js';
import { OPEN_STATUSES } from '../../domain/model.js';
import { clip } from '../../domain/text.js';
import { record } from '../../domain/timeline.js';
import { liveRun } from '../../local/recovery.js';
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
    .option('--as <status>', 'resolved (the problem is fixed) or cancelled (there was none)', 'resolved')
    .option('--data-dir <dir>', 'the local data directory', defaultDataDir())
    .action(async (id: string, opts: { reason: string; as: string; dataDir: string }) => {
      const status = opts.as.toUpperCase();
      if (status !== 'RESOLVED' && status !== 'CANCELLED')
        throw new CliError('--as must be resolved or cancelled');
      const reason = opts.reason.trim();
      if (!reason) throw new CliError('--reason must say why');
      const run = liveRun(opts.dataDir, id);
      if (run) throw new CliError(`a run (pid ${run.pid}) is still responding to ${id}: stop it first`);
      const closed = await withLocalStore(opts.dataDir, async (store) => {
        const incident = await store.get(id);
        if (!incident) throw new CliError(`no incident ${id} in ${opts.dataDir}`);
        if (!OPEN_STATUSES.includes(incident.status)) {
          throw new CliError(`${id} is already ${incident.status}`);
        }
        const now = new Date().toISOString();
        try {
          await store.update(
            id,
            { status, updatedAt: now, ...(status === 'RESOLVED' ? { resolvedAt: now } : {}) },
            { expectStatus: [...OPEN_STATUSES] },
          );
        } catch (err) {
          if (err instanceof ConflictError) throw new CliError(`${id} was closed meanwhile`);
          throw err;
        }
        // Its alerts may open a new incident from now on.
        const fingerprints = new Set([
          incident.fingerprint,
          ...(await store.alerts(id)).map((a) => a.fingerprint),
        ]);
        for (const fp of fingerprints) await store.releaseFingerprint(fp, id);
        if (incident.service) await store.releaseServiceWindow(incident.service, id);
        await record(
          { store, clock: { now: () => new Date() } },
          id,
          'closed',
          `closed by hand as ${status}: ${reason.slice(0, 500)}`,
          { status, reason: reason.slice(0, 2000) },
          `cli:${process.env.USER || 'local'}`,
        );
        return status;
      });
      out(`${id} closed as ${closed}`);
    });
}
