/**
 * The Evidence port with secrets and personal data masked: whatever adapter answers (scenario
 * telemetry, CloudWatch, Logs Insights, CloudTrail), analysts, models, messages and the store only
 * ever see placeholders. Wiring wraps the adapter once; no adapter redacts for itself.
 */
import type {
  AlarmEvent,
  ChangeRecord,
  Evidence,
  LogSignature,
  MetricSeries,
  SecuritySignal,
  ServiceInfo,
  TimeWindow,
} from '../ports.js';
import type { Redactor } from './redactor.js';

type Query = TimeWindow & { services?: string[] };

export class RedactingEvidence implements Evidence {
  constructor(
    private readonly inner: Evidence,
    /** The redactor of the incident being worked on (its salt); asked on every answer. */
    private readonly redactor: () => Redactor,
  ) {}

  async services(): Promise<ServiceInfo[]> {
    return this.redactor().deep(await this.inner.services());
  }

  async metrics(q: Query): Promise<MetricSeries[]> {
    return this.redactor().deep(await this.inner.metrics(q));
  }

  async logs(q: Query): Promise<LogSignature[]> {
    return this.redactor().deep(await this.inner.logs(q));
  }

  async changes(q: Query): Promise<ChangeRecord[]> {
    return this.redactor().deep(await this.inner.changes(q));
  }

  async alarms(q: Query): Promise<AlarmEvent[]> {
    return this.redactor().deep(await this.inner.alarms(q));
  }

  async security(q: TimeWindow): Promise<SecuritySignal[]> {
    return this.redactor().deep(await this.inner.security(q));
  }

  alarmState(alarm: { name?: string; service?: string }) {
    return this.inner.alarmState(alarm);
  }
}
