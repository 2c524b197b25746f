/**
 * The failure-knowledge library as the Claude analyst uses it: which entries the incident's evidence
 * matches (for the prompt), a lookup the specialists can call, and a compact index of every entry for
 * the shared system prompt. Entries are reference material, never evidence: they carry no evidence id
 * and cannot be cited.
 */

import type { KnowledgeEntry } from '../../knowledge/index.js';
import type { Category } from '../../model.js';
import type { KnowledgeHit } from '../offline/evidence/knowledge.js';

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

/**
 * The offline analyst's matches (analysis.knowledge), one per entry with every evidence id it
 * matched, most specific first: the same reading the baseline hypotheses were ranked on.
 */
export function entriesMatched(hits: readonly KnowledgeHit[]): KnowledgeMatch[] {
  const by = new Map<KnowledgeEntry, Set<string>>();
  for (const h of hits) {
    const ids = by.get(h.entry) ?? new Set<string>();
    ids.add(h.evidenceId);
    by.set(h.entry, ids);
  }
  const rank = { high: 0, medium: 1, low: 2 } as const;
  return [...by]
    .map(([entry, ids]) => ({ entry, matchedOn: [...ids] }))
    .sort(
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
