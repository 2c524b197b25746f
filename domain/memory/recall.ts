import type { Incident } from '../model.js';
import type { Ports } from '../ports.js';
import { describeHistory, relatedLines, type SimilarResult } from './records.js';

type MemoryPorts = Pick<Ports, 'memory' | 'config'>;

/**
 * Similar past incidents for a phase. Memory is an aid, never a dependency: when it is absent or
 * cannot be read the phase goes on without it (undefined), and says nothing it does not know.
 */
export async function recall(ports: MemoryPorts, incident: Incident): Promise<SimilarResult | undefined> {
  if (!ports.memory) return undefined;
  return ports.memory.similar(incident, ports.config.memory).catch((err) => {
    console.warn(JSON.stringify({ level: 'WARN', message: 'memory: lookup failed', error: String(err) }));
    return undefined;
  });
}

/**
 * A lookup the analysts can make when they need it (InvestigationContext.recall): at most one per
 * context, however often it is asked; undefined when no memory is wired.
 */
export function recaller(
  ports: Partial<MemoryPorts>,
  incident: Incident,
): (() => Promise<SimilarResult | undefined>) | undefined {
  const { memory, config } = ports;
  if (!memory || !config) return undefined;
  let once: Promise<SimilarResult | undefined> | undefined;
  return () => {
    once ??= recall({ memory, config }, incident);
    return once;
  };
}

/** Indexes the incident for later lookups; a failure is logged, not raised, for the same reason. */
export async function remember(ports: MemoryPorts, incident: Incident, before?: Incident): Promise<void> {
  await ports.memory?.remember(incident, before).catch((err) => {
    console.warn(
      JSON.stringify({ level: 'WARN', message: 'memory: index write failed', error: String(err) }),
    );
  });
}

/** The postmortem's "Related incidents" section body. */
export function relatedSection(result: SimilarResult | undefined): string {
  if (!result?.matches.length)
    return result
      ? `No similar incidents in the last ${result.horizonDays} days.\n`
      : 'Memory was not available.\n';
  return `${describeHistory(result)}\n\n${relatedLines(result)
    .map((l) => `- ${l}`)
    .join('\n')}\n`;
}
