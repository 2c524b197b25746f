/**
 * Every example scenario, end to end: each message must say what the incident record said when it
 * was sent (severity, measured impact, status), and no text anywhere (emails, SMS, postmortem) may
 * be cut in the middle of a word.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MeasuredImpact, Severity, TimelineEvent } from '../../../domain/model.js';
import { exampleScenario, run } from '../../support/response-harness.js';

const SCENARIOS = readdirSync(new URL('../../../examples/scenarios/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

const IMPACT_WORDS: Record<MeasuredImpact['level'], RegExp> = {
  outage: /^outage on /,
  major: /^major degradation on /,
  minor: /^minor degradation on /,
  none: /^no measurable user impact on /,
  unknown: /^not measured \(no telemetry to read\) on /,
};

/** What the record held when a message went out: the latest triage before its delivery entry. */
function recordAt(timeline: TimelineEvent[], index: number) {
  let severity: Severity | undefined;
  let impact: MeasuredImpact | undefined;
  let resolved = false;
  for (const e of timeline.slice(0, index)) {
    const data = (e.data ?? {}) as { severity?: Severity; to?: Severity; impact?: MeasuredImpact };
    if (e.type === 'triaged') severity = data.severity;
    if (e.type === 'severity-raised') severity = data.to;
    if ((e.type === 'triaged' || e.type === 'severity-raised' || e.type === 'retriaged') && data.impact)
      impact = data.impact;
    if (e.type === 'resolved') resolved = true;
  }
  return { severity, impact, resolved };
}

/**
 * A cut is mid-word when the word just before the ellipsis never appears whole in what the
 * pipeline had to say (the record's own texts): "intro…" is the start of "introduced", not a word.
 */
function midWordCuts(text: string, corpus: string): string[] {
  const bad: string[] = [];
  for (const m of text.matchAll(/([A-Za-z0-9]+)(…|\.\.\.)/g)) {
    const word = m[1];
    const whole = new RegExp(`(^|[^A-Za-z0-9])${word}([^A-Za-z0-9]|$)`);
    if (!whole.test(corpus))
      bad.push(`${text.slice(Math.max(0, (m.index ?? 0) - 30), (m.index ?? 0) + word.length + 3)}`);
  }
  return bad;
}

describe('messages agree with the record in every example scenario', () => {
  for (const name of SCENARIOS) {
    it(name, async () => {
      const { messages, incident, timeline } = await run(exampleScenario(name));
      const corpus = JSON.stringify({
        incident,
        timeline: timeline.filter((e) => e.type !== 'notification'),
      });
      const deliveries = timeline.map((e, i) => ({ e, i })).filter(({ e }) => e.type === 'notification');
      expect(deliveries.length).toBe(messages.length);
      for (const [n, m] of messages.entries()) {
        const at = recordAt(timeline, deliveries[n].i);
        const where = `${m.kind} to ${m.audience}`;
        expect(m.severity, where).toBe(at.severity);
        expect(m.subject, where).toContain(`[${at.severity}]`);
        const impactLine = m.body.match(/^Impact: +(.*)$/m)?.[1] ?? '';
        expect(at.impact, where).toBeDefined();
        expect(impactLine, where).toMatch(IMPACT_WORDS[(at.impact as MeasuredImpact).level]);
        const status = m.body.match(/^Status: +(\w+)/m)?.[1];
        if (m.kind === 'all-clear') expect(status, where).toBe('RESOLVED');
        else if (!at.resolved) expect(status, where).not.toBe('RESOLVED');
        if (m.audience === 'stakeholders' || m.audience === 'executives')
          expect(`${m.body}\n${m.sms}`, where).not.toMatch(/firebreak (approve|reject|incidents|postmortem)/);
        expect(midWordCuts(`${m.subject}\n${m.body}\n${m.sms}`, corpus), where).toEqual([]);
      }
      expect(incident.postmortem, 'every run ends with a postmortem').toBeTruthy();
      expect(midWordCuts(incident.postmortem ?? '', corpus)).toEqual([]);
    });
  }
});
