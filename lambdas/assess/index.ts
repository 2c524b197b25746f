import * as z from 'zod';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { investigationContext } from '../../domain/incidents/context.js';
import { loadIncident } from '../../domain/incidents/open.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';

export const AssessInput = z.object({ incidentId: IncidentId });

/**
 * Runs beside the investigation: what changed recently, what could be rolled back, how far the
 * damage reaches. Deterministic: it only reads evidence.
 */
export async function assess(input: z.infer<typeof AssessInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const ctx = await investigationContext(ports, incident);
  const scope = incident.services.length ? incident.services : undefined;
  const [changes, alarms] = await Promise.all([
    ports.evidence.changes({ ...ctx.window, services: scope }),
    ports.evidence.alarms({ ...ctx.window }),
  ]);
  const rollbackCandidates = changes
    .filter((c) => c.kind === 'deployment' && c.version && c.status !== 'rolled-back')
    .map((c) => ({ service: c.service ?? '', version: c.version ?? '', previousVersion: c.previousVersion }));
  const alarming = alarms.filter((a) => a.state === 'ALARM');
  const blastRadius = [...new Set([...incident.services, ...alarming.map((a) => a.service ?? a.name)])];
  const catalog = new Map(ctx.services.map((s) => [s.name, s]));
  const userFacing = blastRadius.filter((s) => catalog.get(s)?.userFacing);
  const assessment = {
    blastRadius,
    recentChanges: changes
      .slice(-20)
      .map((c) =>
        `${c.at} ${c.kind} ${c.service ?? ''} ${c.version ?? ''} ${c.summary.slice(0, 200)}`.trim(),
      ),
    rollbackCandidates,
    userImpact: userFacing.length
      ? `user-facing services affected: ${userFacing.join(', ')}`
      : 'no user-facing service known to be affected',
  };
  await record(
    ports,
    incident.id,
    'assessment',
    `blast radius ${blastRadius.join(', ') || 'unknown'}; ${rollbackCandidates.length} rollback candidate(s); ${assessment.userImpact}`,
    assessment,
  );
  return assessment;
}
