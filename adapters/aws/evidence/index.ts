/**
 * The Evidence port over AWS: CloudWatch metrics and alarms, Logs Insights, CloudTrail. Clients are
 * injected (the Lambda wiring makes them); the catalog says what belongs to which service; every read
 * is bounded by EvidenceLimits.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { type Clock, systemClock } from '../../../domain/clock.js';
import type {
  AlarmEvent,
  ChangeRecord,
  Evidence,
  LogSignature,
  MetricSeries,
  SecuritySignal,
  ServiceInfo,
  TimeWindow,
} from '../../../domain/ports.js';
import { alarmHistory, currentAlarmState } from './alarms.js';
import { type AwsCatalog, serviceInfo } from './catalog.js';
import { trailChanges } from './changes.js';
import { EvidenceLimits } from './limits.js';
import { logSignatures, realSleep, type Sleep } from './logs.js';
import { catalogMetrics } from './metrics.js';
import { securitySignals } from './security.js';
import type { RateLimiter, Trail } from './trail.js';

export interface AwsEvidenceDeps {
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  cloudtrail: CloudTrailClient;
  catalog: AwsCatalog;
  limits?: Partial<EvidenceLimits>;
  /** How Logs Insights polling waits (tests pass one that does not). */
  sleep?: Sleep;
  /**
   * A CloudWatch client in another region: CloudFront web ACLs publish their WAF metrics in
   * us-east-1, a regional web ACL in its own region. Absent, every read uses `cloudwatch`.
   */
  cloudwatchIn?: (region: string) => CloudWatchClient;
  /** Paces CloudTrail LookupEvents across every Lambda of the account (2 requests/s per region). */
  trailLimiter?: RateLimiter;
  /** What "now" is, for the age-dependent metric period. */
  clock?: Clock;
}

export class AwsEvidence implements Evidence {
  private readonly limits: EvidenceLimits;

  constructor(private readonly deps: AwsEvidenceDeps) {
    this.limits = EvidenceLimits.parse(deps.limits ?? {});
  }

  async services(): Promise<ServiceInfo[]> {
    return this.deps.catalog.services.map(serviceInfo);
  }

  metrics(q: TimeWindow & { services?: string[] }): Promise<MetricSeries[]> {
    return catalogMetrics(
      this.deps.cloudwatch,
      this.deps.catalog,
      q,
      this.limits,
      (this.deps.clock ?? systemClock).now(),
    );
  }

  logs(q: TimeWindow & { services?: string[] }): Promise<LogSignature[]> {
    return logSignatures(this.deps.logs, this.deps.catalog, q, this.limits, this.deps.sleep ?? realSleep);
  }

  changes(q: TimeWindow & { services?: string[] }): Promise<ChangeRecord[]> {
    return trailChanges(this.trail(), this.deps.catalog, q, this.limits);
  }

  alarms(q: TimeWindow & { services?: string[] }): Promise<AlarmEvent[]> {
    return alarmHistory(this.deps.cloudwatch, this.deps.catalog, q, this.limits);
  }

  security(q: TimeWindow): Promise<SecuritySignal[]> {
    return securitySignals(
      {
        cloudtrail: this.trail(),
        cloudwatch: this.deps.cloudwatch,
        cloudwatchIn: this.deps.cloudwatchIn ?? (() => this.deps.cloudwatch),
        now: (this.deps.clock ?? systemClock).now(),
      },
      this.deps.catalog,
      q,
      this.limits,
    );
  }

  private trail(): Trail {
    return { client: this.deps.cloudtrail, limiter: this.deps.trailLimiter };
  }

  alarmState(alarm: { name?: string; service?: string }): Promise<'OK' | 'ALARM' | 'INSUFFICIENT_DATA'> {
    return currentAlarmState(this.deps.cloudwatch, this.deps.catalog, alarm);
  }
}
