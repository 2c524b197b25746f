/**
 * CloudWatch embedded metric format: one JSON log line per incident that CloudWatch turns into
 * metrics (namespace Firebreak, per severity), without a PutMetricData call or its permissions.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import type { Incident } from '../model.js';
import type { MetricsSink } from '../ports.js';
import { MILESTONES, type Milestone, responseMetrics } from './response.js';

export const EMF_NAMESPACE = 'Firebreak';

const METRIC_NAMES: Record<Milestone, string> = {
  detect: 'TimeToDetect',
  declare: 'TimeToDeclare',
  acknowledge: 'TimeToAcknowledge',
  mitigate: 'TimeToMitigate',
  resolve: 'TimeToResolve',
};

/** The figures of one incident, named as they appear in CloudWatch (seconds; absent = never happened). */
export function incidentFigures(incident: Incident): Record<string, number> {
  const m = responseMetrics(incident);
  const figures: Record<string, number> = { Incidents: 1, EscalationTier: incident.escalationTier };
  for (const milestone of MILESTONES) {
    const value = m.seconds[milestone];
    if (value !== undefined) figures[METRIC_NAMES[milestone]] = value;
  }
  if (m.impactSeconds !== undefined) figures.ImpactDuration = m.impactSeconds;
  return figures;
}

/** One EMF document. Dimensions are low-cardinality (severity, service); the incident id is a property. */
export function emfDocument(
  figures: Record<string, number>,
  dimensions: Record<string, string>,
  at: Date,
  properties: Record<string, string> = {},
): Record<string, unknown> {
  const names = Object.keys(figures);
  const keys = Object.keys(dimensions);
  return {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: EMF_NAMESPACE,
          // Per severity, and per severity and service.
          Dimensions: [keys.filter((k) => k === 'Severity'), keys],
          Metrics: names.map((Name) => ({
            Name,
            Unit: Name === 'Incidents' || Name === 'EscalationTier' ? 'Count' : 'Seconds',
          })),
        },
      ],
    },
    ...properties,
    ...dimensions,
    ...figures,
  };
}

/** Writes EMF lines (to stdout in Lambda, where the log agent picks them up). */
export class EmfMetricsSink implements MetricsSink {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}
  async record(figures: Record<string, number>, dimensions: Record<string, string>, at: Date): Promise<void> {
    const { incidentId, ...dims } = dimensions;
    this.write(JSON.stringify(emfDocument(figures, dims, at, incidentId ? { incidentId } : {})));
  }
}
