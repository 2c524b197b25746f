/**
 * `serve`'s inbox: a delivery that passed authentication and parsing is written to
 * `inbox/<id>.json` in the data folder (fsync'd, in group commits: inbox-files.ts) before ingestion
 * starts, and removed once ingestion finished. The sender is answered with the outcome if ingestion finishes within `ackWithinMs`;
 * otherwise with 202 "queued" while ingestion goes on. Why: ingestion costs a few store round trips
 * per alert (≈80 for a group of 20), so a storm of groups kept Alertmanager waiting seconds — past
 * its 10 s timeout on a busy machine — for work that does not need the sender. The inbox file is
 * what makes the early answer safe: if the process dies before ingestion ends, the next `serve`
 * ingests what is left there, and ingestion's dedup makes a second pass over a delivery harmless.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NormalizedDelivery } from '../../domain/alerts/delivery.js';
import { ValidationError } from '../../domain/errors.js';
import { type IngestDeps, Ingestor } from '../../domain/ingest/ingest.js';
import type { IngestResult } from '../../domain/ingest/outcome.js';
import { type InboxEntry, InboxFiles } from './inbox-files.js';
import { WorkQueue } from './queue.js';

export interface InboxOptions {
  dataDir: string;
  /** How long a sender waits for the outcome before it is answered "queued" (0: always queued). */
  ackWithinMs: number;
  /**
   * True while other deliveries are being answered: this one is then queued at once and ingested
   * after them, so a storm's acknowledgements pay for parsing and one file write, not for ingestion.
   */
  crowded: () => boolean;
  /** Told the decision of each delivery ingested after its sender was answered. */
  decided?: (result: IngestResult, delivery: NormalizedDelivery) => void;
  say: (line: string) => void;
}

/** Ingestions at once once the request path is quiet; more only lengthen each other. */
const INGEST_CONCURRENCY = 2;

const RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

/** The answer for a delivery whose ingestion goes on after the sender is answered. */
export const queued = (delivery: NormalizedDelivery, id: string): IngestResult => ({
  decision: 'queued',
  reason: `stored in the inbox (${id}); ingestion goes on and its run starts after it`,
  outcomes: [],
  notes: delivery.notes,
});

/** An Ingestor whose deliveries pass through the inbox: stored first, answered in time. */
export class InboxIngestor extends Ingestor {
  private readonly files: InboxFiles;
  private readonly working = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();
  private readonly later: WorkQueue;

  constructor(
    deps: IngestDeps,
    private readonly inbox: InboxOptions,
  ) {
    super(deps);
    const dir = join(inbox.dataDir, 'inbox');
    mkdirSync(dir, { recursive: true });
    this.files = new InboxFiles(dir);
    this.later = new WorkQueue({
      concurrency: INGEST_CONCURRENCY,
      busy: inbox.crowded,
      holdMs: 2_000,
    });
  }

  /** Deliveries being ingested now or waiting to be (queued runs let them go first). */
  get busy(): number {
    return this.working.size;
  }

  /** Called when the request path may have gone quiet: queued deliveries may go on. */
  pump(): void {
    this.later.pump();
  }

  override async ingest(delivery: NormalizedDelivery): Promise<IngestResult> {
    const entry = await this.files.store(delivery);
    // Deliveries still being ingested or waiting to be: this one would wait behind them, and its
    // sender with it (the last delivery of a storm, answered alone, waited the whole ackWithinMs).
    const backlog = this.working.size > 0;
    if (this.inbox.ackWithinMs <= 0 || backlog || this.inbox.crowded()) {
      this.background(undefined, entry);
      return queued(delivery, entry.id);
    }
    const work = this.process(entry);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.inbox.ackWithinMs);
    });
    try {
      const first = await Promise.race([work, late]);
      if (first !== 'late') return first;
    } catch (err) {
      // Answered now (4xx or 503): the sender owns the retry, so the inbox lets the delivery go.
      await entry.done();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    this.background(work, entry);
    return queued(delivery, entry.id);
  }

  /** Ingests what a process that died left in the inbox (called once, when `serve` starts). */
  async recover(): Promise<number> {
    const left = await this.files.leftovers();
    for (const entry of left) this.background(undefined, entry);
    return left.length;
  }

  /** Inbox files written and deliveries in them since start (a storm shares files). */
  get written(): { files: number; deliveries: number } {
    return this.files.written;
  }

  /** Waits up to `ms` for ingestions in progress; what is left stays in the inbox for next time. */
  async settle(ms: number): Promise<number> {
    const deadline = Date.now() + ms;
    while (this.working.size && Date.now() < deadline)
      await Promise.race([Promise.allSettled([...this.working]), new Promise((r) => setTimeout(r, 50))]);
    this.stopping.abort();
    this.later.stop();
    return this.working.size;
  }

  private process(entry: InboxEntry): Promise<IngestResult> {
    const work = super.ingest(entry.delivery).then(async (result) => {
      await entry.done();
      return result;
    });
    this.working.add(work);
    void work.catch(() => undefined).finally(() => this.working.delete(work));
    return work;
  }

  /**
   * Ingestion after the sender was answered: `work` when it has begun, else when the request path
   * is quiet. A failure is the inbox's to retry, with backoff, until `serve` stops.
   */
  private background(work: Promise<IngestResult> | undefined, entry: InboxEntry): void {
    const tracked = (async () => {
      let first = work;
      if (!first) {
        await this.later.submit(async (signal) => {
          if (signal.aborted) return; // stopping: left in the inbox for the next start
          first = this.process(entry);
          await first.catch(() => undefined);
        });
        if (!first) return;
      }
      for (let attempt = 0; ; attempt++) {
        try {
          this.inbox.decided?.(await (attempt === 0 ? first : this.process(entry)), entry.delivery);
          return;
        } catch (err) {
          if (err instanceof ValidationError) {
            this.inbox.say(`inbox: dropped a delivery the store refuses: ${err.message}`);
            await entry.done();
            return;
          }
          if (this.stopping.signal.aborted) return; // left in the inbox for the next start
          this.inbox.say(`inbox: ingestion failed (${(err as Error).name}); retrying`);
          await sleep(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)], this.stopping.signal);
          if (this.stopping.signal.aborted) return;
        }
      }
    })();
    this.working.add(tracked);
    void tracked.finally(() => this.working.delete(tracked));
  }
}
