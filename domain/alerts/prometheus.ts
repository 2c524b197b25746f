/**
 * Prometheus Alertmanager webhooks (version 4, and the older 3) and Grafana alerting, which posts
 * the same group shape plus `orgId`, `state`, `title`. One group notification carries several
 * alerts, each with its own fingerprint and status; `truncatedAlerts` says how many `max_alerts`
 * dropped. Grafana's legacy (pre-unified) webhook is accepted too: one rule, one state.
 */
import * as z from 'zod';
import { ValidationError } from '../errors.js';
import type { NormalizedAlert } from '../model.js';
import { type NormalizedDelivery, parseShape } from './delivery.js';
import { readSeverity, severityFields } from './severity.js';
import { hash, list, obj, str, stringMap, text, toIso } from './values.js';

const GroupAlert = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.unknown()),
  annotations: z.record(z.string(), z.unknown()).nullish(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().nullish(),
  fingerprint: z.string().nullish(),
});
const Group = z.looseObject({
  version: z.string().optional(),
  status: z.string().optional(),
  receiver: z.string().optional(),
  externalURL: z.string().nullish(),
  commonLabels: z.record(z.string(), z.unknown()).nullish(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  alerts: z.array(GroupAlert).min(1, 'the group has no alerts'),
});
const LegacyGrafana = z.looseObject({
  ruleId: z.union([z.number(), z.string()]).optional(),
  ruleName: z.string().min(1),
  state: z.string().min(1),
  title: z.string().optional(),
  message: z.string().optional(),
  ruleUrl: z.string().optional(),
  evalMatches: z.array(z.unknown()).optional(),
});

/** Label keys that name the owning service, most specific first. */
const SERVICE_LABELS = ['service', 'app', 'job', 'namespace'];

export function fromGroup(
  source: 'alertmanager' | 'grafana',
  payload: unknown,
  receivedAt: string,
): NormalizedDelivery {
  const p = parseShape(
    Group,
    payload,
    source === 'grafana' ? 'Grafana alerting webhook' : 'Alertmanager webhook',
  );
  if (p.version && !['1', '3', '4'].includes(p.version)) {
    throw new ValidationError(`unsupported ${source} webhook version ${p.version}`);
  }
  const common = stringMap(p.commonLabels);
  const alerts = p.alerts.map((a, i): NormalizedAlert => {
    const labels = { ...common, ...stringMap(a.labels) };
    const annotations = stringMap(a.annotations);
    // Alertmanager v3 has no fingerprint: the label set identifies the alert, as Prometheus does.
    const fp = a.fingerprint ?? hash(JSON.stringify(Object.entries(labels).sort()));
    const startsAt = toIso(a.startsAt, receivedAt);
    return {
      source,
      // Alertmanager re-sends a firing alert every repeat_interval: the same episode is the same event.
      sourceEventId: `${fp}:${startsAt}:${a.status}`,
      fingerprint: `${source}:${fp}`,
      status: a.status,
      title: labels.alertname ?? annotations.summary ?? annotations.title ?? `alert ${i + 1}`,
      description: [annotations.summary ?? annotations.title, annotations.description ?? annotations.message]
        .filter(Boolean)
        .join(' — '),
      service: SERVICE_LABELS.map((k) => labels[k]).find(Boolean),
      resources: labels.instance ? [labels.instance] : [],
      ...severityFields(
        readSeverity(labels.severity, labels.priority, annotations.severity, annotations.priority),
      ),
      startedAt: startsAt,
      links: [
        a.generatorURL,
        annotations.runbook_url,
        obj(a).dashboardURL,
        obj(a).panelURL,
        obj(a).silenceURL,
      ]
        .map(str)
        .filter((l): l is string => !!l),
      labels,
      // The group without its other alerts: a 50-alert group must not be stored 50 times over.
      raw: { ...obj(payload), alerts: [list(obj(payload).alerts)[i]] },
    };
  });
  const truncated = p.truncatedAlerts ?? 0;
  return {
    source,
    alerts,
    notes: truncated
      ? [
          `${truncated} more alert(s) in this group were truncated by ${source} (max_alerts); they are not linked`,
        ]
      : [],
  };
}

const LEGACY_STATUS: Record<string, NormalizedAlert['status']> = { alerting: 'firing', ok: 'resolved' };

export function fromLegacyGrafana(payload: unknown, receivedAt: string): NormalizedDelivery {
  const p = parseShape(LegacyGrafana, payload, 'Grafana legacy webhook');
  const matches = p.evalMatches ?? [];
  const tags = stringMap(obj(obj(matches[0]).tags));
  const rule = text(p.ruleId) ?? hash(p.ruleName);
  return {
    source: 'grafana',
    alerts: [
      {
        source: 'grafana',
        // One notification per rule state; Grafana repeats it unchanged while the state holds.
        sourceEventId: hash(`${rule}|${p.state}|${JSON.stringify(matches)}`),
        fingerprint: `grafana:rule:${rule}`,
        status: LEGACY_STATUS[p.state] ?? 'info',
        title: p.ruleName,
        description: [p.title, p.message].filter(Boolean).join(' — '),
        service: SERVICE_LABELS.map((k) => tags[k]).find(Boolean),
        resources: tags.instance ? [tags.instance] : [],
        ...severityFields(readSeverity(tags.severity, tags.priority)),
        startedAt: receivedAt,
        links: [p.ruleUrl].filter((l): l is string => !!l),
        labels: { ...tags, ruleName: p.ruleName, state: p.state },
        raw: payload,
      },
    ],
    notes: ['Grafana legacy alerting webhook: consider the unified alerting contact point'],
  };
}
