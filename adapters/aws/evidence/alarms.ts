/**
 * Alarm history (DescribeAlarmHistory, state updates only) and current alarm state (DescribeAlarms)
 * for the catalog's alarms. Without catalog alarms, the history of every alarm in the window is read,
 * bounded by record count.
 */
import {
  type AlarmHistoryItem,
  type CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmEvent, TimeWindow } from '../../../domain/ports.js';
import { type AwsCatalog, inScope } from './catalog.js';
import { boundWindow, type EvidenceLimits } from './limits.js';

type State = AlarmEvent['state'];
const STATES: readonly State[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/** The state an alarm moved to, from a history item's HistoryData JSON. */
export function newState(item: AlarmHistoryItem): State | undefined {
  try {
    const data = JSON.parse(item.HistoryData ?? '{}') as { newState?: { stateValue?: string } };
    const state = data.newState?.stateValue as State | undefined;
    return state && STATES.includes(state) ? state : undefined;
  } catch {
    return undefined;
  }
}

const ownerMap = (catalog: AwsCatalog) => {
  const owners = new Map<string, string>();
  for (const s of catalog.services) for (const a of s.alarms ?? []) if (!owners.has(a)) owners.set(a, s.name);
  return owners;
};

export async function alarmHistory(
  cloudwatch: CloudWatchClient,
  catalog: AwsCatalog,
  q: TimeWindow & { services?: string[] },
  limits: EvidenceLimits,
): Promise<AlarmEvent[]> {
  const w = boundWindow(q, limits.maxWindowMinutes);
  const owners = ownerMap(catalog);
  const names = [...new Set(inScope(catalog, q.services).flatMap((s) => s.alarms ?? []))].slice(
    0,
    limits.maxAlarms,
  );
  const items: AlarmHistoryItem[] = [];
  // DescribeAlarmHistory returns metric alarms only unless AlarmTypes names composite alarms too,
  // and one page of MaxRecords: newest first, so a busy window drops its oldest records, not the
  // ones nearest the incident (CloudWatch API reference, DescribeAlarmHistory: AlarmTypes, ScanBy).
  const read = async (alarmName?: string) => {
    const out = await cloudwatch.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: alarmName,
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        HistoryItemType: 'StateUpdate',
        StartDate: w.from,
        EndDate: w.to,
        MaxRecords: limits.maxAlarmRecords,
        ScanBy: 'TimestampDescending',
      }),
    );
    items.push(...(out.AlarmHistoryItems ?? []));
  };
  if (names.length) {
    for (const name of names) await read(name);
  } else if (!q.services?.length) {
    await read();
  }
  const events: AlarmEvent[] = items.flatMap((item) => {
    const state = newState(item);
    if (!state || !item.AlarmName || !item.Timestamp) return [];
    const at = new Date(item.Timestamp).toISOString();
    return [
      {
        id: `alarm:${item.AlarmName}@${at}`,
        name: item.AlarmName,
        service: owners.get(item.AlarmName),
        state,
        at,
      },
    ];
  });
  return events.sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * The current state of one alarm, or of a service's alarms (ALARM if any is in alarm, OK if all are
 * OK, INSUFFICIENT_DATA otherwise or when nothing is known).
 */
export async function currentAlarmState(
  cloudwatch: CloudWatchClient,
  catalog: AwsCatalog,
  alarm: { name?: string; service?: string },
): Promise<State> {
  const names = alarm.name
    ? [alarm.name]
    : (catalog.services.find((s) => s.name === alarm.service)?.alarms ?? []).slice(0, 100);
  if (!names.length) return 'INSUFFICIENT_DATA';
  const out = await cloudwatch.send(
    new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
  );
  const states = [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].map((a) => a.StateValue);
  if (!states.length) return 'INSUFFICIENT_DATA';
  if (states.includes('ALARM')) return 'ALARM';
  return states.every((s) => s === 'OK') ? 'OK' : 'INSUFFICIENT_DATA';
}
