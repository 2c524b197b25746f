/** The ingestion metrics in AWS: CloudWatch embedded metric format through Powertools. */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { IngestMetrics } from '../domain/ingest/metrics.js';
import type { Decision } from '../domain/ingest/outcome.js';

/** One single-metric line per count, so each carries exactly its own dimensions. */
export function powertoolsMetrics(metrics: Metrics): IngestMetrics {
  const count = (name: string, dimensions: Record<string, string>) => {
    const single = metrics.singleMetric();
    for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
    single.addMetric(name, MetricUnit.Count, 1);
  };
  return {
    rejected: (reason: string, source: string) => count('IngestRejected', { reason, source }),
    decided: (decision: Decision, source: string) => count('IngestDecision', { decision, source }),
  };
}
