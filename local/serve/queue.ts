/**
 * Work `serve` keeps out of the request path — ingestion of queued deliveries, incident runs: at
 * most `concurrency` jobs at once, and a queued job waits while the request path is busy (at most
 * `holdMs`), because it shares this process's event loop and embedded store with it. Stopping
 * aborts the signal of jobs in flight and starts every queued job at once with that aborted
 * signal, so each can record that it stopped (a run: "automation stopped", on-call told).
 */
export interface WorkQueueOptions {
  concurrency: number;
  /** True while the request path has work (deliveries in flight or being ingested). */
  busy: () => boolean;
  /** The longest a run waits for a quiet moment during a storm. */
  holdMs: number;
}

export type Job = (signal: AbortSignal) => Promise<void>;

interface Waiting {
  since: number;
  go: () => void;
}

export class WorkQueue {
  private readonly waiting: Waiting[] = [];
  private active = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly opts: WorkQueueOptions) {}

  /** Runs the job when its turn comes; settles when it ends. */
  async submit(job: Job): Promise<void> {
    if (this.stopping.signal.aborted) this.active++;
    else
      await new Promise<void>((go) => {
        this.waiting.push({ since: Date.now(), go });
        this.pump();
      });
    try {
      await job(this.stopping.signal);
    } finally {
      this.active--;
      this.pump();
    }
  }

  /** Queued jobs not yet begun (for the health check). */
  get queued(): number {
    return this.waiting.length;
  }

  get running(): number {
    return this.active;
  }

  /** Called when the request path may have gone quiet. */
  pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const stopping = this.stopping.signal.aborted;
    while (this.waiting.length && (stopping || this.active < this.opts.concurrency)) {
      const held = Date.now() - this.waiting[0].since;
      if (!stopping && this.opts.busy() && held < this.opts.holdMs) break;
      const next = this.waiting.shift() as Waiting;
      this.active++;
      next.go();
    }
    // Nobody may call pump again while a storm lasts: look again shortly.
    if (this.waiting.length && !this.timer) this.timer = setTimeout(() => this.pump(), 50).unref();
  }

  /** Aborts jobs in flight and starts the queued ones with the aborted signal. */
  stop(): void {
    this.stopping.abort();
    this.pump();
  }
}
