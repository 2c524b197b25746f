/**
 * Evidence that degrades instead of failing: a source that errors (a missing IAM permission, a
 * throttle that outlasted the SDK's retries, a log group that does not exist) answers "nothing found"
 * and is reported, so one unreadable source cannot stop the whole investigation. The recovery check
 * (`alarmState`) is not softened: a wrong "OK" would resolve an incident that is still burning.
 */
import type { Evidence } from '../../../domain/ports.js';

export type EvidenceQuestion = 'services' | 'metrics' | 'logs' | 'changes' | 'alarms' | 'security';

export function tolerantEvidence(
  inner: Evidence,
  onError: (question: EvidenceQuestion, err: unknown) => void,
): Evidence {
  const soft =
    <A extends unknown[], T>(question: EvidenceQuestion, call: (...args: A) => Promise<T[]>) =>
    async (...args: A): Promise<T[]> => {
      try {
        return await call(...args);
      } catch (err) {
        onError(question, err);
        return [];
      }
    };
  return {
    services: soft('services', () => inner.services()),
    metrics: soft('metrics', (q) => inner.metrics(q)),
    logs: soft('logs', (q) => inner.logs(q)),
    changes: soft('changes', (q) => inner.changes(q)),
    alarms: soft('alarms', (q) => inner.alarms(q)),
    security: soft('security', (q) => inner.security(q)),
    alarmState: (alarm) => inner.alarmState(alarm),
  };
}
