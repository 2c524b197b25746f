/**
 * The failure-knowledge library as the Claude analyst uses it: which entries the incident's evidence
 * matches (for the prompt), a lookup the specialists can call, and a compact index of every entry for
 * the shared system prompt. Entries are reference material, never evidence: they carry no evidence id
 * and cannot be cited.
 */

import type { KnowledgeEntry } from '../../knowledge/index.js';
import type { Category } from '../../model.js';
import type { ChangeRecord, LogSignature, MetricSeries } from '../../ports.js';

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Whether a series moved in a direction: its last third against its first third, by half again. */
export function moved(m: MetricSeries, direction: 'up' | 'down'): boolean {
  const values = m.points.map(([, v]) => v);
  if (values.length < 6) return false;
  const third = Math.floor(values.length / 3);
  const before = mean(values.slice(0, third));
  const after = mean(values.slice(-third));
  const band = Math.max(Math.abs(before) * 0.5, 1e-9);
  return direction === 'up' ? after - before > band : before - after > band;
}

const compile = (source: string) => {
  try {
    return new RegExp(source, 'i');
  } catch {
    return undefined;
  }
};

export interface KnowledgeMatch {
  entry: KnowledgeEntry;
  /** The evidence ids whose content matched the entry's patterns. */
  matchedOn: string[];
}

/** Entries whose log, change or metric patterns the evidence matches, most specific first. */
export function matchKnowledge(
  entries: readonly KnowledgeEntry[],
  evidence: { logs: LogSignature[]; changes: ChangeRecord[]; metrics: MetricSeries[] },
): KnowledgeMatch[] {
  const out: KnowledgeMatch[] = [];
  for (const entry of entries) {
    const ids = new Set<string>();
    for (const re of (entry.match.logs ?? []).map(compile)) {
      if (!re) continue;
      for (const l of evidence.logs) if (re.test(l.sample) || re.test(l.signature)) ids.add(l.id);
    }
    for (const re of (entry.match.changes ?? []).map(compile)) {
      if (!re) continue;
      for (const c of evidence.changes)
        if (re.test(c.summary) || re.test(`${c.kind} ${c.summary}`)) ids.add(c.id);
    }
    for (const signal of entry.match.metrics ?? []) {
      const re = compile(signal.name);
      if (!re) continue;
      for (const m of evidence.metrics) {
        if (!re.test(m.metricName)) continue;
        if (signal.namespace && signal.namespace !== m.namespace) continue;
        if (moved(m, signal.direction)) ids.add(m.id);
      }
    }
    if (ids.size) out.push({ entry, matchedOn: [...ids] });
  }
  const rank = { high: 0, medium: 1, low: 2 } as const;
  return out.sort(
    (a, b) =>
      rank[a.entry.specificity] - rank[b.entry.specificity] ||
      Number(b.entry.role === 'cause') - Number(a.entry.role === 'cause') ||
      b.matchedOn.length - a.matchedOn.length ||
      a.entry.id.localeCompare(b.entry.id),
  );
}

/** What a model is shown of an entry: what it means, what it rules out, what helps, where it is from. */
export const entryView = (e: KnowledgeEntry) => ({
  entry: e.id,
  title: e.title,
  category: e.category,
  role: e.role,
  blames: e.blames,
  specificity: e.specificity,
  technologies: e.technologies,
  meaning: e.meaning,
  rulesOut: e.rulesOut,
  mitigations: e.mitigations,
  source: e.source,
});

/** The lookup tool: by entry id, category, technology or words in the title and meaning, or by a line to match. */
export function lookupKnowledge(
  entries: readonly KnowledgeEntry[],
  q: { ids?: string[]; category?: Category; query?: string; line?: string },
): KnowledgeEntry[] {
  const words = (q.query ?? '')
    .toLowerCase()
    .split(/[^a-z0-9.-]+/)
    .filter((w) => w.length >= 3);
  const scored = entries
    .filter((e) => !q.ids?.length || q.ids.includes(e.id))
    .filter((e) => !q.category || e.category === q.category)
    .map((e) => {
      const hay = `${e.id} ${e.title} ${e.meaning} ${e.technologies.join(' ')}`.toLowerCase();
      let score = words.filter((w) => hay.includes(w)).length;
      if (q.line) {
        const patterns = [...(e.match.logs ?? []), ...(e.match.changes ?? [])].map(compile);
        if (patterns.some((re) => re?.test(q.line as string))) score += 10;
        else if (!words.length) score = -1;
      }
      return { e, score };
    })
    .filter(({ score }) => (words.length || q.line ? score > 0 : true));
  return scored.sort((a, b) => b.score - a.score || a.e.id.localeCompare(b.e.id)).map(({ e }) => e);
}

/** One line per entry, for the static prompt: what exists to look up. */
export const knowledgeIndex = (entries: readonly KnowledgeEntry[]): string =>
  entries.map((e) => `${e.id}: ${e.title} [${e.category}]`).join('\n');
