/** Loads this folder's hand-written fixtures (shaped like the real deliveries) and makes variants of them. */
import { readFileSync } from 'node:fs';

export type Doc = Record<string, unknown>;

export function fixture(name: string): Doc {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Doc;
}

/** The fixture's raw text, as a sender puts it on the wire. */
export const fixtureText = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8');

// biome-ignore lint/suspicious/noExplicitAny: a test edits a fixture's nested fields freely.
type Editable = Record<string, any>;

/** A deep copy with `edit` applied: fixtures are never shared between tests. */
export function variant(name: string, edit: (doc: Editable) => void): Doc {
  const doc = fixture(name);
  edit(doc);
  return doc;
}

/** An EventBridge alarm event for `alarm` in `state`, with its own event id. */
export function alarmEvent(opts: {
  id: string;
  alarm?: string;
  state?: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
  at?: string;
  service?: string;
}): Doc {
  return variant('eventbridge-alarm', (d) => {
    d.id = opts.id;
    if (opts.alarm) {
      d.detail.alarmName = opts.alarm;
      d.resources = [`arn:aws:cloudwatch:eu-west-1:210987654321:alarm:${opts.alarm}`];
    }
    if (opts.state) d.detail.state.value = opts.state;
    if (opts.at) d.detail.state.timestamp = opts.at;
    if (opts.service !== undefined) d.detail.alarmTags.service = opts.service;
  });
}

/** The PagerDuty trigger fixture as another event type (acknowledged, resolved, …). */
export function pagerDutyEvent(type: string, id: string): Doc {
  return variant('pagerduty-triggered', (d) => {
    d.event.id = id;
    d.event.event_type = type;
    d.event.agent = { id: 'PUSR001', summary: 'Dana Ops', type: 'user_reference' };
    d.event.occurred_at = '2026-11-20T10:07:00.000Z';
    d.event.data.status = type.split('.')[1];
  });
}
