/**
 * The ingestion metrics port: every refused delivery is counted by its reason, every accepted one
 * by its decision. Powertools (EMF) in AWS; an in-memory tally locally and in tests.
 */
import type { Decision } from './outcome.js';

export interface IngestMetrics {
  rejected(reason: string, source: string): void;
  decided(decision: Decision, source: string): void;
}

export class MemoryMetrics implements IngestMetrics {
  readonly counts: Record<string, number> = {};
  rejected(reason: string, source: string): void {
    this.bump(`rejected.${reason}`, source);
  }
  decided(decision: Decision, source: string): void {
    this.bump(`decided.${decision}`, source);
  }
  private bump(name: string, source: string): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    this.counts[`${name}.${source}`] = (this.counts[`${name}.${source}`] ?? 0) + 1;
  }
}
