import * as z from 'zod';
import { EVIDENCE_EVENT, snapshotEvidence } from '../../domain/console/evidence.js';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { investigationContext } from '../../domain/incidents/context.js';
import { loadIncident } from '../../domain/incidents/open.js';
import { Finding, TokenUsage } from '../../domain/model.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';

export const SynthesizeInput = z.object({
  incidentId: IncidentId,
  findings: z.array(Finding.extend({ usage: TokenUsage.optional() })).max(12),
});

const addUsage = (a: TokenUsage | undefined, b: TokenUsage | undefined): TokenUsage | undefined =>
  a || b
    ? {
        input: (a?.input ?? 0) + (b?.input ?? 0),
        cachedInput: (a?.cachedInput ?? 0) + (b?.cachedInput ?? 0),
        output: (a?.output ?? 0) + (b?.output ?? 0),
      }
    : undefined;

/** Merges the specialists' findings into one root cause and the first mitigation to propose. */
export async function synthesize(input: z.infer<typeof SynthesizeInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const ctx = await investigationContext(ports, incident);
  const findings = input.findings.map(({ usage: _usage, ...f }) => f);
  const { value: rootCause, degraded, usage } = await ports.analyst.synthesize(findings, ctx);
  const specialistUsage = input.findings.reduce<TokenUsage | undefined>(
    (sum, f) => addUsage(sum, f.usage),
    undefined,
  );
  const tokenUsage = addUsage(addUsage(incident.tokenUsage, specialistUsage), usage);
  const final = { ...rootCause, degraded: rootCause.degraded || !!degraded };
  await ports.store.update(incident.id, {
    rootCause: final,
    updatedAt: ports.clock.now().toISOString(),
    ...(tokenUsage ? { tokenUsage } : {}),
  });
  await record(
    ports,
    incident.id,
    'root-cause',
    `${final.category}${final.culprit ? ` (${final.culprit})` : ''}: ${final.summary} — confidence ${Math.round(final.confidence * 100)}%`,
    final,
    ports.analyst.name,
  );
  // What the analyst read, bounded, for the console's charts and cited evidence: best effort, since
  // a telemetry hiccup here must not undo a root cause already recorded.
  const snapshot = await snapshotEvidence(ports.evidence, ctx.window, final, incident.services).catch(
    () => undefined,
  );
  if (snapshot)
    await record(
      ports,
      incident.id,
      EVIDENCE_EVENT,
      `evidence read: ${snapshot.series.length} metric series, ${snapshot.logs.length} log signatures, ${snapshot.changes.length} changes`,
      snapshot,
    );
  return { category: final.category, culprit: final.culprit, confidence: final.confidence };
}
