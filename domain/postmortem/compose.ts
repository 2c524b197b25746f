/**
 * The postmortem of an incident: the analyst's narrative when it can write one that has every
 * section, the template otherwise. Facts stay code's either way — the timeline, the response times
 * and the action items table are generated from the record and replace whatever a model wrote.
 */
import type { ActionItem, Incident, TimelineEvent } from '../model.js';
import type { Analyst } from '../ports.js';
import { deriveActionItems, parseActionItems } from './action-items.js';
import { findSection, joinSections, missingSections, splitSections, withSection } from './sections.js';
import {
  actionItemsSection,
  postmortemFromRecord,
  responseTimesSection,
  timelineSection,
} from './template.js';

export interface Postmortem {
  markdown: string;
  actionItems: ActionItem[];
  author: 'analyst' | 'template';
  /** Why the analyst's document was not used, when it was not. */
  fallbackReason?: string;
}

const MAX_MARKDOWN = 200_000;

export async function writePostmortem(
  analyst: Pick<Analyst, 'writePostmortem'>,
  incident: Incident,
  timeline: TimelineEvent[],
  opts: { now: Date; owner: string; alertsLinked?: number },
): Promise<Postmortem> {
  const derived = deriveActionItems(incident, opts);
  const template = (reason?: string): Postmortem => ({
    markdown: postmortemFromRecord(incident, timeline, opts.now, derived, opts.alertsLinked),
    actionItems: derived,
    author: 'template',
    fallbackReason: reason,
  });
  if (!analyst.writePostmortem) return template();
  let written: Awaited<ReturnType<NonNullable<Analyst['writePostmortem']>>>;
  try {
    written = await analyst.writePostmortem(incident, timeline);
  } catch (err) {
    return template(`the analyst failed: ${(err as Error).message}`.slice(0, 300));
  }
  if (!written || written.degraded) return template(written ? 'the analyst ran degraded' : undefined);
  const text = typeof written.value === 'string' ? written.value.slice(0, MAX_MARKDOWN) : '';
  const missing = missingSections(text);
  if (missing.length) return template(`the analyst's document lacks: ${missing.join(', ')}`);
  let doc = splitSections(text);
  const modelItems = parseActionItems(findSection(doc, 'Action items')?.body ?? '');
  const actionItems = modelItems.length ? modelItems : derived;
  doc = withSection(doc, 'Response times', responseTimesSection(incident));
  doc = withSection(doc, 'Timeline', timelineSection(timeline));
  doc = withSection(doc, 'Action items', actionItemsSection(actionItems));
  return { markdown: joinSections(doc), actionItems, author: 'analyst' };
}
