/**
 * Responders' verdict on an incident's root cause (`firebreak review`). The verdict lands on the
 * incident, its timeline and its postmortem, and re-indexes the incident: only reviewed causes
 * count as confirmed memory.
 */
import * as z from 'zod';
import type { Clock } from '../clock.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { IncidentId } from '../flow/phase-io.js';
import { CATEGORIES, type Incident, OPEN_STATUSES, type Review } from '../model.js';
import type { IncidentRecords } from '../ports.js';
import { joinSections, splitSections } from '../postmortem/sections.js';
import { record } from '../timeline.js';
import type { IncidentMemory } from './port.js';
import { Verdict } from './records.js';

const text = (what: string, max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, `${what} is empty`).max(max, `${what} is longer than ${max} characters`));

export const ReviewInput = z.object({
  incidentId: IncidentId,
  verdict: Verdict,
  cause: text('--cause', 500).optional(),
  // A review names a real cause: `unknown` is what the analyst says when it cannot tell.
  category: z.enum(CATEGORIES).optional(),
  culprit: text('--culprit', 200).optional(),
  by: text('--by', 100),
});
export type ReviewInput = z.input<typeof ReviewInput>;

/** One line naming what is wrong with the input, for the CLI's exit-2 message. */
export function parseReview(input: unknown): z.infer<typeof ReviewInput> {
  const parsed = ReviewInput.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => {
    const field = i.path.join('.');
    if (field === 'verdict') return 'verdict must be correct, partly or wrong';
    if (field === 'category') return `category must be one of ${CATEGORIES.join(', ')}`;
    return field && !i.message.startsWith('--') ? `${field}: ${i.message}` : i.message;
  });
  throw new ValidationError(`review refused: ${issues.join('; ')}`, issues);
}

/** 100/65/35/0: correct; partly, category right; partly, category wrong; wrong. */
export function scoreOf(
  verdict: Review['verdict'],
  analystCategory: string | undefined,
  confirmedCategory: string | undefined,
): number {
  if (verdict === 'correct') return 100;
  if (verdict === 'wrong') return 0;
  return analystCategory && confirmedCategory && analystCategory === confirmedCategory ? 65 : 35;
}

/** The postmortem's "Review" section: who confirmed or corrected the cause. */
export function reviewSection(review: Review, incident: Incident): string {
  const rc = incident.rootCause;
  const analyst = rc
    ? `${rc.category}${rc.culprit ? ` (${rc.culprit})` : ''}: ${rc.summary}`
    : 'no root cause';
  const verb =
    review.verdict === 'correct'
      ? 'confirmed'
      : review.verdict === 'partly'
        ? 'partly confirmed'
        : 'rejected';
  const lines = [
    `${review.by} ${verb} the analyst's cause on ${review.at.slice(0, 10)} (score ${review.score}/100).`,
    '',
    `- Analyst: ${analyst}`,
  ];
  if (review.confirmed)
    lines.push(
      `- Confirmed cause: ${review.confirmed.category}${review.confirmed.culprit ? ` (${review.confirmed.culprit})` : ''}${review.confirmed.summary ? `: ${review.confirmed.summary}` : ''}`,
    );
  else lines.push('- Confirmed cause: none named');
  return `${lines.join('\n')}\n\n`;
}

/**
 * Records a review. Refuses (ValidationError / NotFoundError, nothing written) an unknown or still
 * open incident, a bad verdict or category, or an empty culprit.
 */
export async function reviewIncident(
  deps: { store: IncidentRecords; memory?: IncidentMemory; clock: Clock },
  raw: unknown,
): Promise<{ incident: Incident; review: Review }> {
  const input = parseReview(raw);
  const before = await deps.store.get(input.incidentId);
  if (!before) throw new NotFoundError(`no incident ${input.incidentId}`);
  if (OPEN_STATUSES.includes(before.status))
    throw new ValidationError(`${before.id} is still ${before.status}: review it once it is resolved`);
  const rc = before.rootCause;
  const corrected = input.cause !== undefined || input.category !== undefined || input.culprit !== undefined;
  // A correct verdict confirms the analyst's cause (with any detail responders add); otherwise only
  // what responders name is confirmed, over the analyst's where they leave a field out.
  const base =
    rc && rc.category !== 'unknown'
      ? { category: rc.category, culprit: rc.culprit, summary: rc.summary }
      : undefined;
  const confirmedCategory = input.category ?? (input.verdict === 'wrong' ? undefined : base?.category);
  const confirmed =
    (input.verdict === 'correct' || corrected) && confirmedCategory
      ? {
          category: confirmedCategory,
          culprit: input.culprit ?? (input.verdict === 'wrong' ? '' : (base?.culprit ?? '')),
          summary: input.cause ?? (input.verdict === 'wrong' ? '' : (base?.summary ?? '')),
        }
      : undefined;
  if (input.verdict === 'correct' && !confirmed)
    throw new ValidationError(
      `${before.id} has no root cause to confirm: use --verdict wrong with --category and --cause`,
    );
  const at = deps.clock.now().toISOString();
  const review: Review = {
    verdict: input.verdict,
    by: input.by,
    at,
    score: scoreOf(input.verdict, rc?.category, confirmed?.category),
    ...(confirmed ? { confirmed } : {}),
  };
  let postmortem = before.postmortem;
  if (postmortem) {
    const doc = splitSections(postmortem);
    const sections = doc.sections
      .filter((s) => s.name.trim().toLowerCase() !== 'review')
      .map((s, i, all) => (i === all.length - 1 ? { ...s, body: `${s.body.trimEnd()}\n\n` } : s));
    postmortem = joinSections({
      head: doc.head,
      sections: [...sections, { name: 'Review', body: reviewSection(review, before) }],
    });
  }
  const incident = await deps.store.update(before.id, {
    review,
    ...(postmortem ? { postmortem } : {}),
    updatedAt: at,
  });
  await record(
    { store: deps.store, clock: deps.clock },
    before.id,
    'review',
    `${input.by}: analyst's cause ${input.verdict} (${review.score}/100)${confirmed ? `; confirmed ${confirmed.category}${confirmed.culprit ? ` ${confirmed.culprit}` : ''}${confirmed.summary ? `: ${confirmed.summary}` : ''}` : ''}`,
    { review },
    input.by,
  );
  await deps.memory?.remember(incident, before);
  return { incident, review };
}
