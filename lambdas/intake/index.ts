import * as z from 'zod';
import { normalize } from '../../domain/alerts/normalize.js';
import { openIncident } from '../../domain/incidents/open.js';
import type { Ports } from '../../domain/ports.js';

export const IntakeInput = z.object({
  manual: z.object({
    service: z.string().min(1).max(100),
    summary: z.string().min(1).max(500),
    severity: z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4']).optional(),
    reportedBy: z.string().max(100).optional(),
  }),
  executionArn: z.string().optional(),
});

/**
 * A person started the execution by hand (Step Functions console): open the incident the same way
 * `firebreak start` and the ingest path do, so the rest of the flow sees one shape.
 */
export async function intake(input: z.infer<typeof IntakeInput>, ports: Ports) {
  const alerts = normalize(input.manual, { source: 'manual', receivedAt: ports.clock.now().toISOString() });
  const catalog = await ports.evidence.services();
  const opened = await openIncident(ports, alerts, { catalog });
  return { incidentId: opened.id };
}
