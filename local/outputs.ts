/** Where a local process's messages and postmortems go: the data folder's outbox and postmortems/. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConsoleNotifier, FanoutNotifier, OutboxNotifier } from '../adapters/embedded/notifiers.js';
import type { Artifacts, Notifier } from '../domain/ports.js';

export function localOutputs(
  dataDir: string,
  progress?: (line: string) => void,
): { notifier: Notifier; artifacts: Artifacts } {
  const notifiers: Notifier[] = [new OutboxNotifier(join(dataDir, 'outbox.jsonl'))];
  if (progress) notifiers.push(new ConsoleNotifier(progress));
  return {
    notifier: new FanoutNotifier(notifiers),
    artifacts: {
      writePostmortem: async (id, markdown) => {
        const dir = join(dataDir, 'postmortems');
        await mkdir(dir, { recursive: true });
        const file = join(dir, `${id}.md`);
        await writeFile(file, markdown);
        return file;
      },
    },
  };
}
