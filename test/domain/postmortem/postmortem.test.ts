/**
 * The blameless postmortem: every section, a timeline that is the incident's own events, the
 * durations the response metrics report, owned and dated action items — whoever writes the prose.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withLocalStore } from '../../../adapters/embedded/dynamodb.js';
import { closeActionItem } from '../../../bin/commands/postmortem.js';
import { formatDuration, MILESTONES, responseMetrics, toMinutes } from '../../../domain/metrics/response.js';
import { REQUIRED_SECTIONS, splitSections } from '../../../domain/postmortem/sections.js';
import { rowTime } from '../../../domain/postmortem/timeline.js';
import { exampleScenario, fixture, run } from '../../support/response-harness.js';

function tableRows(section: string): string[][] {
  return section
    .split('\n')
    .filter((l) => l.startsWith('|') && !l.startsWith('|---'))
    .slice(1)
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
}

describe('postmortem', () => {
  it('of a resolved scenario: every section, the incident’s own timeline, the metrics’ durations, owned action items', async () => {
    const { summary, incident, timeline, dataDir } = await run(exampleScenario('checkout-5xx-after-deploy'));
    expect(incident.status).toBe('RESOLVED');
    const markdown = readFileSync(summary.postmortemPath as string, 'utf8');
    expect(markdown).toBe(incident.postmortem);
    const doc = splitSections(markdown);
    // Related incidents (domain/memory/) follows the required sections.
    expect(doc.sections.map((s) => s.name)).toEqual([...REQUIRED_SECTIONS, 'Related incidents']);
    expect(doc.sections.at(-1)?.body).toMatch(
      /^No similar incidents in the last 90 days\.|^(this alert|similar incidents) seen/,
    );
    const section = (name: string) => doc.sections.find((s) => s.name === name)?.body ?? '';

    // Summary and impact name what failed (checkout), not the whole blast radius, with the
    // measured impact; the triage row leads with its severity once.
    expect(section('Summary')).toMatch(/^SEV2 incident on checkout, detected/m);
    expect(section('Impact')).toMatch(
      /- Services failing: checkout \(minor degradation: checkout: 4\.1% of requests failing/,
    );
    expect(section('Impact')).toMatch(
      /- In the blast radius: checkout, payments-api, discounts-api, inventory-api/,
    );
    expect(section('Timeline')).toMatch(/\| triaged \| SEV2: impact minor/);
    expect(section('Timeline')).not.toContain('SEV2: SEV2:');

    // Timeline: every row is a recorded event (same time, same type), in the record's order.
    const rows = tableRows(section('Timeline'));
    expect(rows.length).toBeGreaterThan(8);
    let cursor = -1;
    for (const [time, type, detail] of rows) {
      const index = timeline.findIndex(
        (e, i) =>
          i > cursor &&
          rowTime(e.at) === time &&
          e.type === type &&
          (type === 'notification' || e.text.replace(/\s+/g, ' ').startsWith(detail.slice(0, 40))),
      );
      expect(index, `${time} ${type} ${detail}`).toBeGreaterThan(cursor);
      cursor = index;
    }
    for (const key of [
      'detected',
      'declared',
      'approval-requested',
      'approval-granted',
      'mitigation-applied',
      'resolved',
    ]) {
      const event = timeline.find((e) => e.type === key);
      expect(event, key).toBeDefined();
      expect(
        rows.some(([time, type]) => type === key && time === rowTime(event?.at as string)),
        key,
      ).toBe(true);
    }

    // Response times: exactly what the metrics report, and what the run summary reported.
    const metrics = responseMetrics(incident);
    const times = Object.fromEntries(tableRows(section('Response times')).map(([m, t]) => [m, t]));
    for (const m of MILESTONES) expect(times[m], m).toBe(formatDuration(metrics.seconds[m]));
    expect(summary.minutes.toResolve).toBe(toMinutes(metrics.seconds.resolve));
    expect(summary.minutes.toMitigate).toBe(toMinutes(metrics.seconds.mitigate));
    expect(section('Impact')).toContain(`at most ${formatDuration(metrics.impactSeconds)}`);
    expect(metrics.seconds.detect).toBeGreaterThan(0); // the metric onset precedes the alarm

    // Root cause with its chain and evidence; five numbered whys; action items owned and dated.
    expect(section('Root cause')).toMatch(/Causal chain \(cause to effect\):\n1\. /);
    expect(section('Root cause')).toMatch(/Evidence: \S+/);
    expect(section('Five whys').match(/^\d\. Why/gm)).toHaveLength(5);
    const items = incident.actionItems ?? [];
    expect(items.length).toBeGreaterThanOrEqual(2);
    for (const item of items) {
      expect(item.owner).toBe('checkout-team');
      expect(item.due > incident.detectedAt.slice(0, 10)).toBe(true);
      expect(section('Action items')).toContain(
        `| ${item.id} | ${item.title} | ${item.owner} | ${item.due} | open |`,
      );
    }

    // Closing an item updates the incident, its postmortem table and its timeline.
    await withLocalStore(dataDir, async (store) => {
      await closeActionItem(store, incident.id, 'ai-1', 'cli:alice', new Date('2026-03-12T10:00:00Z'));
      const after = await store.get(incident.id);
      expect(after?.actionItems?.[0]).toMatchObject({
        status: 'closed',
        closedAt: '2026-03-12T10:00:00.000Z',
      });
      expect(after?.postmortem).toContain(
        `| AI-1 | ${items[0].title} | checkout-team | ${items[0].due} | closed |`,
      );
      expect((await store.timeline(incident.id)).at(-1)).toMatchObject({
        type: 'action-item-closed',
        actor: 'cli:alice',
      });
      await expect(closeActionItem(store, incident.id, 'AI-1', 'cli:alice')).rejects.toThrow(
        /already closed/,
      );
      await expect(closeActionItem(store, incident.id, 'AI-9', 'cli:alice')).rejects.toThrow(
        /no action item AI-9/,
      );
    });
  });

  it("uses the analyst's narrative when complete, with the timeline, times and items from the record", async () => {
    const narrative = [
      '# Postmortem: payments',
      '',
      ...REQUIRED_SECTIONS.flatMap((s) => [
        `## ${s}`,
        '',
        s === 'Timeline' ? '| 09:00 | invented | a model made this up |' : `Narrative for ${s}.`,
        '',
      ]),
    ]
      .join('\n')
      .replace(
        'Narrative for Action items.',
        '| action | owner | due |\n|---|---|---|\n| Add a canary stage | payments-team | 2026-06-01 |',
      );
    const { incident, timeline } = await run(fixture('sev1-payments-rollback'), {
      script: {
        severity: 'SEV1',
        mitigation: { kind: 'rollback', target: 'payments-api', params: {} },
        postmortem: narrative,
      },
    });
    const doc = splitSections(incident.postmortem as string);
    expect(doc.sections.map((s) => s.name)).toEqual([...REQUIRED_SECTIONS, 'Related incidents']);
    expect(incident.postmortem).toContain('Narrative for Five whys.');
    expect(incident.postmortem).not.toContain('a model made this up');
    expect(doc.sections.find((s) => s.name === 'Timeline')?.body).toContain('| detected |');
    expect(incident.actionItems).toEqual([
      { id: 'AI-1', title: 'Add a canary stage', owner: 'payments-team', due: '2026-06-01', status: 'open' },
    ]);
    expect(timeline.find((e) => e.type === 'postmortem')?.text).toMatch(/^postmortem written by the analyst/);
  });

  it('falls back to the template when the analyst leaves sections out, and says why', async () => {
    const { incident, timeline } = await run(fixture('sev3-reports-rollback'), {
      script: {
        severity: 'SEV3',
        mitigation: { kind: 'rollback', target: 'report-exporter', params: {} },
        postmortem: '# Postmortem\n\n## Summary\n\nAll good.\n',
      },
    });
    expect(incident.postmortem).toContain('written by Firebreak from the incident record');
    expect(splitSections(incident.postmortem as string).sections.map((s) => s.name)).toEqual([
      ...REQUIRED_SECTIONS,
      'Related incidents',
    ]);
    expect(timeline.find((e) => e.type === 'postmortem')?.text).toMatch(
      /by the template \(the analyst's document lacks: Impact, Response times, Timeline/,
    );
    expect(incident.actionItems?.[0].owner).toBe('insights-team');
  });
});
