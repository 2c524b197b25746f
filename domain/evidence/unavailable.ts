import type { Evidence } from '../ports.js';

/**
 * Evidence when no source is wired: every question gets an empty answer, so analysts say
 * "unknown" instead of guessing. Used for raw-alert local runs and until the AWS evidence
 * adapters are configured.
 */
export const noEvidence: Evidence = {
  services: async () => [],
  metrics: async () => [],
  logs: async () => [],
  changes: async () => [],
  alarms: async () => [],
  security: async () => [],
  alarmState: async () => 'ALARM',
};
