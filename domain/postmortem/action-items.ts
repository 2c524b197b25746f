/**
 * Follow-ups a postmortem commits to: each owned by a team and dated, derived from what the record
 * shows went wrong, and tracked on the incident until closed.
 */

import { responseMetrics } from '../metrics/response.js';
import type { ActionItem, Category, Incident } from '../model.js';
import { describeAction } from '../notify/messages.js';

const PREVENT: Partial<Record<Category, (service: string, culprit: string) => string>> = {
  deployment: (s, c) =>
    `Gate ${s} deployments on its error alarm with automatic rollback; add a regression test for ${c || 'the defect'}`,
  configuration: (s, c) =>
    `Validate and stage ${c || 'configuration'} changes for ${s}, with automatic rollback on alarm`,
  capacity: (s) => `Revisit ${s} capacity limits and autoscaling bounds against the observed peak`,
  dependency: (s, c) => `Add a fallback or circuit breaker on ${s}'s calls to ${c || 'the dependency'}`,
  database: (s, c) => `Alarm earlier on ${c || 'the database'} headroom and add graceful degradation to ${s}`,
  network: (s, c) =>
    `Check network changes (${c || 'ACLs, routes'}) against ${s}'s dependencies before they apply`,
  security: (s) => `Add the missing protective control for ${s} (rate limit, WAF rule or credential scope)`,
  code: (s, c) => `Fix and add a regression test for ${c || 'the defect'} in ${s}`,
};

const day = (now: Date, days: number) =>
  new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);

export function deriveActionItems(
  incident: Incident,
  opts: { now: Date; owner: string; platformOwner?: string },
): ActionItem[] {
  const rc = incident.rootCause;
  const service = incident.service ?? incident.services[0] ?? 'the service';
  const platform = opts.platformOwner ?? 'platform team';
  const items: Array<Omit<ActionItem, 'id' | 'status'>> = [];
  if (!rc || rc.category === 'unknown') {
    items.push({
      title: `Complete the investigation of ${incident.title}: the root cause was not established`,
      owner: opts.owner,
      due: day(opts.now, 3),
    });
  } else {
    const prevent = PREVENT[rc.category];
    if (prevent)
      items.push({ title: prevent(service, rc.culprit), owner: opts.owner, due: day(opts.now, 14) });
  }
  const detect = responseMetrics(incident).seconds.detect;
  if (detect !== undefined && detect > 300) {
    items.push({
      title: `Detect sooner: users were affected ${Math.round(detect / 60)} min before ${incident.title} fired`,
      owner: opts.owner,
      due: day(opts.now, 14),
    });
  }
  const m = incident.mitigation;
  if (m && ['proposed', 'dry-run'].includes(m.status)) {
    items.push({
      title: `Decide whether to enable automated ${describeAction(m.action)}`,
      owner: platform,
      due: day(opts.now, 14),
    });
  }
  if (m && m.status === 'timed-out') {
    items.push({
      title: 'Find out why the approval request went unanswered and fix the paging path',
      owner: platform,
      due: day(opts.now, 7),
    });
  }
  if (m?.status === 'applied' && incident.escalationTier > 0 && incident.status !== 'RESOLVED') {
    items.push({
      title: `Understand why ${describeAction(m.action)} did not restore service`,
      owner: opts.owner,
      due: day(opts.now, 7),
    });
  }
  if (incident.failure) {
    items.push({
      title: `Fix the automation failure (${incident.failure.error}) that stopped the response`,
      owner: platform,
      due: day(opts.now, 7),
    });
  }
  items.push({
    title: `Update the runbook for ${incident.title} with what worked in this incident`,
    owner: opts.owner,
    due: day(opts.now, 7),
  });
  return items.map((item, i) => ({ ...item, id: `AI-${i + 1}`, status: 'open' as const }));
}

/** `| action | owner | YYYY-MM-DD |` rows of a markdown table (a model's postmortem), as items. */
export function parseActionItems(section: string): ActionItem[] {
  const rows = section
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|') && !/^\|\s*:?-/.test(l))
    .map((l) =>
      l
        .slice(1, l.endsWith('|') ? -1 : undefined)
        .split('|')
        .map((c) => c.trim()),
    )
    .map((cells) => ({ cells, due: cells.findIndex((c) => /^\d{4}-\d{2}-\d{2}$/.test(c)) }))
    .filter(({ due }) => due >= 2);
  return rows.slice(0, 20).map(({ cells, due }, i) => ({
    id: `AI-${i + 1}`,
    title: cells[due - 2].slice(0, 300) || 'untitled',
    owner: cells[due - 1].slice(0, 100) || 'unassigned',
    due: cells[due],
    status: /^(closed|done)$/i.test(cells[due + 1] ?? '') ? ('closed' as const) : ('open' as const),
  }));
}

export function actionItemsTable(items: ActionItem[]): string[] {
  return [
    '| id | action | owner | due | status |',
    '|---|---|---|---|---|',
    ...items.map(
      (a) =>
        `| ${a.id} | ${a.title.replace(/\|/g, '/')} | ${a.owner.replace(/\|/g, '/')} | ${a.due} | ${a.status} |`,
    ),
  ];
}
