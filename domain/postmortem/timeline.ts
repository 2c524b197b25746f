/**
 * The postmortem's timeline: a faithful subset of the incident's own events, in order. Each row is
 * one recorded event (never invented or re-timed); the engine's bookkeeping is left out, repeated
 * recovery checks are reduced to the moments the alarm changed, and the deliveries of one message
 * to several audiences become one row.
 */
import type { TimelineEvent } from '../model.js';

export interface TimelineRow {
  at: string;
  type: string;
  text: string;
}

const BOOKKEEPING = new Set(['state', 'state-failed', 'execution', 'response-metrics', 'postmortem']);

export function postmortemTimeline(events: TimelineEvent[]): TimelineRow[] {
  const sorted = [...events].sort((a, b) => a.at.localeCompare(b.at));
  const rows: TimelineRow[] = [];
  let lastAlarm: string | undefined;
  const told = new Map<string, TimelineRow>();
  for (const e of sorted) {
    if (BOOKKEEPING.has(e.type)) continue;
    const data = (e.data ?? {}) as { state?: string; kind?: string; audience?: string };
    if (e.type === 'recovery-check') {
      if (data.state === lastAlarm) continue;
      lastAlarm = data.state;
    }
    if (e.type === 'notification' && data.kind) {
      // One row per message: the first delivery's time, every audience it reached at that moment.
      const key = `${data.kind}@${e.at.slice(0, 16)}`;
      const row = told.get(key);
      if (row) {
        row.text = `${row.text}, ${data.audience}`;
        continue;
      }
      const fresh = { at: e.at, type: 'notification', text: `${data.kind} sent to ${data.audience}` };
      told.set(key, fresh);
      rows.push(fresh);
      continue;
    }
    rows.push({ at: e.at, type: e.type, text: e.text.replace(/\s+/g, ' ').trim() });
  }
  return rows;
}

/** `2026-03-10 14:07:38` — the date stays: incidents cross midnight. */
export const rowTime = (at: string) => at.slice(0, 19).replace('T', ' ');
