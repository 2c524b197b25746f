import type { Incident } from '../model.js';
import type { SimilarResult } from './records.js';

/** How far back and how much a lookup reads (FirebreakConfig.memory). */
export interface MemoryBounds {
  horizonDays: number;
  /** Items read per index partition: a lookup reads at most (2 + MAX_SERVICES) × (perPartition + 1) items. */
  perPartition: number;
  /** Similar incidents returned. */
  limit: number;
}

/** Past incidents, indexed in the incident table; kept apart from IncidentStore so it can grow alone. */
export interface IncidentMemory {
  /**
   * Writes (or rewrites) the incident's index items. With `before`, drops the items it no longer
   * belongs under (a review that changed its category).
   */
  remember(incident: Incident, before?: Incident): Promise<void>;
  /** Past incidents like this one detected within the horizon before it, most alike first. */
  similar(incident: Incident, bounds: MemoryBounds): Promise<SimilarResult>;
}
