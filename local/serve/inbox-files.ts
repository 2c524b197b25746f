/**
 * The files of `serve`'s inbox, written in group commits: deliveries that arrive while a file is
 * being written wait and go together into the next one, with one fsync. Why: a storm's deliveries
 * arrive within a few milliseconds of each other, and with a file and an fsync each they queued
 * behind one another in libuv's four I/O threads — 40–200 ms per acknowledgement on this machine
 * for 20 deliveries, where one write of all of them takes a few.
 *
 * A file holds a JSON array of deliveries (an older `serve` wrote one delivery per file, as an
 * object: still read) and is removed once every delivery in it is done. A file left behind by a
 * process that died is ingested whole by the next `serve`; deliveries of it that were ingested
 * already are then redeliveries, which ingestion's dedup makes harmless.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsync, openSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { NormalizedDelivery } from '../../domain/alerts/delivery.js';

/** One delivery in the inbox; `done` once it needs keeping no longer (ingested, refused, answered). */
export interface InboxEntry {
  id: string;
  delivery: NormalizedDelivery;
  done(): Promise<void>;
}

interface Waiting {
  delivery: NormalizedDelivery;
  stored: (entry: InboxEntry) => void;
  failed: (err: unknown) => void;
}

/**
 * Writes a file so that it either exists whole after a crash, or not at all. Only the fsync waits
 * on the disk, so only it is asynchronous: opening, writing to the page cache, closing and renaming
 * take microseconds, and as separate asynchronous steps each waited for a turn of an event loop
 * busy parsing the rest of the storm (a write of one delivery took 150 ms at load 7).
 */
async function writeDurably(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, text);
    await new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** The entries of one file: the file goes when the last of them is done. */
function entriesOf(file: string, id: string, deliveries: NormalizedDelivery[]): InboxEntry[] {
  let left = deliveries.length;
  return deliveries.map((delivery, k) => {
    let finished = false;
    return {
      id: deliveries.length > 1 ? `${id}#${k}` : id,
      delivery,
      done: async () => {
        if (finished) return;
        finished = true;
        if (--left === 0) await rm(file, { force: true });
      },
    };
  });
}

export class InboxFiles {
  private waiting: Waiting[] = [];
  private writing = false;
  /** Files written, and deliveries in them, since this process started (for the health check). */
  readonly written = { files: 0, deliveries: 0 };

  constructor(private readonly dir: string) {}

  /** Resolves once the delivery is on disk (fsync'd and renamed into place). */
  store(delivery: NormalizedDelivery): Promise<InboxEntry> {
    return new Promise<InboxEntry>((stored, failed) => {
      this.waiting.push({ delivery, stored, failed });
      if (!this.writing) {
        this.writing = true;
        void this.commit();
      }
    });
  }

  /** What a process that died left here, by file; files torn mid-write are removed (never answered). */
  async leftovers(): Promise<InboxEntry[]> {
    const entries: InboxEntry[] = [];
    // Oldest first: names begin with the time they were written.
    for (const name of readdirSync(this.dir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const file = join(this.dir, name);
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // Written through a temporary file and renamed: a torn file cannot be a delivery we answered.
        await rm(file, { force: true });
        continue;
      }
      const deliveries = (Array.isArray(parsed) ? parsed : [parsed]) as NormalizedDelivery[];
      if (!deliveries.length) await rm(file, { force: true });
      else entries.push(...entriesOf(file, name.slice(0, -'.json'.length), deliveries));
    }
    return entries;
  }

  /** Writes everything waiting, one file per round, until nothing is waiting. */
  private async commit(): Promise<void> {
    while (this.waiting.length) {
      const batch = this.waiting;
      this.waiting = [];
      const id = `${Date.now()}-${randomUUID()}`;
      const file = join(this.dir, `${id}.json`);
      const deliveries = batch.map((w) => w.delivery);
      try {
        await writeDurably(file, JSON.stringify(deliveries));
      } catch (err) {
        for (const w of batch) w.failed(err);
        continue;
      }
      this.written.files++;
      this.written.deliveries += batch.length;
      const entries = entriesOf(file, id, deliveries);
      for (let k = 0; k < batch.length; k++) batch[k].stored(entries[k]);
    }
    this.writing = false;
  }
}
