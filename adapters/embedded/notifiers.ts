import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Notifier, OutboundMessage } from '../../domain/ports.js';

/** Appends every message as one JSON line: the local stand-in for the SNS topic. */
export class OutboxNotifier implements Notifier {
  constructor(private readonly file: string) {}
  async publish(m: OutboundMessage): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify({ at: new Date().toISOString(), ...m })}\n`);
  }
}

/** Shows each message as a pager would: one line per delivery. */
export class ConsoleNotifier implements Notifier {
  constructor(private readonly write: (line: string) => void) {}
  async publish(m: OutboundMessage): Promise<void> {
    this.write(`  ✉ ${m.audience.padEnd(19)} ${m.subject}`);
  }
}

/** Delivers to several notifiers; all must succeed. */
export class FanoutNotifier implements Notifier {
  constructor(private readonly targets: Notifier[]) {}
  async publish(m: OutboundMessage): Promise<void> {
    await Promise.all(this.targets.map((t) => t.publish(m)));
  }
}

/** Keeps messages in memory: the summary of a local run and tests read them back. */
export class MemoryNotifier implements Notifier {
  readonly sent: OutboundMessage[] = [];
  async publish(m: OutboundMessage): Promise<void> {
    this.sent.push(m);
  }
}
