/** Time as phases see it. Injected so local runs can compress waits and tests can fix it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved: for tests. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}

/**
 * Real time passing from a chosen start, plus the nominal length of every Wait the local
 * engine skipped: a local run that takes seconds still reads as the half hour it models.
 */
export class SimulatedClock implements Clock {
  private readonly realStart = Date.now();
  private skipped = 0;
  constructor(private readonly start: Date) {}
  now(): Date {
    return new Date(this.start.getTime() + (Date.now() - this.realStart) + this.skipped);
  }
  skip(seconds: number): void {
    this.skipped += seconds * 1000;
  }
}

export const iso = (d: Date): string => d.toISOString();
export const secondsBetween = (from: string, to: string): number =>
  Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000);
