/**
 * `firebreak postmortem <id>`: prints an incident's postmortem. `--close AI-2` marks one of its
 * action items done (on the incident, its postmortem table and its timeline).
 */
import type { Command } from 'commander';
import { withLocalStore } from '../../adapters/embedded/dynamodb.js';
import { systemClock } from '../../domain/clock.js';
import { IncidentId } from '../../domain/flow/phase-io.js';
import type { ActionItem } from '../../domain/model.js';
import type { IncidentStore } from '../../domain/ports.js';
import { joinSections, splitSections, withSection } from '../../domain/postmortem/sections.js';
import { actionItemsSection } from '../../domain/postmortem/template.js';
import { record } from '../../domain/timeline.js';
import { localOutputs } from '../../local/outputs.js';
import { CliError } from './common.js';
import { dataDirOption } from './data-dir.js';

/** Closes one action item; returns the updated list. Refuses unknown or already closed items. */
export async function closeActionItem(
  store: IncidentStore,
  incidentId: string,
  itemId: string,
  by: string,
  now: Date = systemClock.now(),
): Promise<ActionItem[]> {
  const incident = await store.get(incidentId);
  if (!incident) throw new CliError(`no incident ${incidentId}`);
  const items = incident.actionItems ?? [];
  const item = items.find((a) => a.id.toLowerCase() === itemId.toLowerCase());
  if (!item)
    throw new CliError(
      `${incidentId} has no action item ${itemId} (it has ${items.map((a) => a.id).join(', ') || 'none'})`,
    );
  if (item.status === 'closed')
    throw new CliError(`${item.id} was already closed at ${item.closedAt ?? 'an earlier time'}`);
  const at = now.toISOString();
  const next = items.map((a) => (a.id === item.id ? { ...a, status: 'closed' as const, closedAt: at } : a));
  const postmortem = incident.postmortem
    ? joinSections(withSection(splitSections(incident.postmortem), 'Action items', actionItemsSection(next)))
    : undefined;
  await store.update(incidentId, { actionItems: next, ...(postmortem ? { postmortem } : {}), updatedAt: at });
  await record(
    { store, clock: { now: () => now } },
    incidentId,
    'action-item-closed',
    `${item.id} closed by ${by}: ${item.title}`,
    { id: item.id },
    by,
  );
  return next;
}

export function registerPostmortem(program: Command): void {
  program
    .command('postmortem')
    .description("print an incident's blameless postmortem (or close one of its action items)")
    .argument('<id>', 'incident id')
    .option('--close <item>', 'mark an action item (AI-1, AI-2, ...) done')
    .option('--json', 'print the action items and the markdown as JSON')
    .addOption(dataDirOption())
    .action(async (id: string, opts: { close?: string; json?: boolean; dataDir: string }) => {
      if (!IncidentId.safeParse(id).success) throw new CliError(`"${id.slice(0, 80)}" is not an incident id`);
      if (opts.close && !/^AI-\d{1,3}$/i.test(opts.close))
        throw new CliError('--close takes an action item id such as AI-2');
      const found = await withLocalStore(opts.dataDir, async (store) => {
        if (opts.close) await closeActionItem(store, id, opts.close, `cli:${process.env.USER ?? 'operator'}`);
        return store.get(id);
      });
      if (found && opts.close) {
        // The .md file is what people open and share: it changes with the record.
        const file = found.postmortem
          ? await localOutputs(opts.dataDir).artifacts.writePostmortem(id, found.postmortem)
          : undefined;
        const items = found.actionItems ?? [];
        const closed = items.find((a) => a.id.toLowerCase() === opts.close?.toLowerCase());
        const open = items.filter((a) => a.status === 'open');
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ id, closed, actionItems: items, postmortemPath: file ?? null }, null, 2)}\n`,
          );
          return;
        }
        process.stdout.write(
          [
            `Closed ${closed?.id}: ${closed?.title} (${id})`,
            `${open.length} of ${items.length} action item(s) still open${open.length ? `: ${open.map((a) => a.id).join(', ')}` : ''}`,
            ...(file ? [`Postmortem updated: ${file}`] : []),
            '',
          ].join('\n'),
        );
        return;
      }
      if (!found) throw new CliError(`no incident ${id} in ${opts.dataDir}`);
      if (!found.postmortem) {
        throw new CliError(
          `${id} has no postmortem yet (status ${found.status}); it is written when the response ends`,
        );
      }
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ id, actionItems: found.actionItems ?? [], markdown: found.postmortem }, null, 2)}\n`,
        );
      } else process.stdout.write(`${found.postmortem.trimEnd()}\n`);
    });
}
