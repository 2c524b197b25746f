/**
 * The failure knowledge library: known failure signatures, kept as data (knowledge/entries/*.json).
 * An entry says what evidence looks like when one known thing has gone wrong (log lines, a metric
 * moving one way, a change event), what that usually means, what it rules out and which catalog
 * actions help. The offline analyst's matcher reads entries through this schema; see
 * knowledge/README.md for the meaning of each field.
 */
import * as z from 'zod';
import { ACTION_KINDS, CATEGORIES } from '../model.js';

/** Root-cause categories an entry can point at: every category except `healthy`. */
export const KnowledgeCategory = z.enum(CATEGORIES).exclude(['healthy']);
export type KnowledgeCategory = z.infer<typeof KnowledgeCategory>;
export const KNOWLEDGE_CATEGORIES = KnowledgeCategory.options;

export const ROLES = ['cause', 'symptom'] as const;
export const BLAMES = ['self', 'peer'] as const;
export const SPECIFICITIES = ['high', 'medium', 'low'] as const;
export const DIRECTIONS = ['up', 'down'] as const;

/** Longest pattern source accepted: longer ones are unreadable and usually over-fitted. */
export const MAX_PATTERN_LENGTH = 300;
export const MAX_MEANING_LENGTH = 300;
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** Inputs on which a pattern must not produce an empty match (`a*`, `x|`, `^`, `(?=...)`). */
const EMPTY_PROBES = ['', ' ', 'x', 'error', 'a b c', '\n', '0'];

/**
 * Why a pattern source is unusable, or null. Patterns are compiled with the `i` flag, exactly as
 * the matcher compiles them.
 */
export function patternProblem(source: string): string | null {
  if (source.length === 0) return 'empty pattern';
  if (source.length > MAX_PATTERN_LENGTH)
    return `pattern is ${source.length} characters, longer than ${MAX_PATTERN_LENGTH}`;
  let re: RegExp;
  try {
    re = new RegExp(source, 'i');
  } catch (err) {
    return `invalid regular expression: ${(err as Error).message}`;
  }
  for (const probe of EMPTY_PROBES) {
    const m = re.exec(probe);
    if (m && m[0] === '') return 'pattern can match the empty string';
  }
  return null;
}

/** A RegExp source, compiled case-insensitively at load; rejected when it is invalid, too long or matches ''. */
export const Pattern = z.string().superRefine((source, ctx) => {
  const problem = patternProblem(source);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const MetricSignal = z.strictObject({
  /** RegExp source matched against the CloudWatch metric name, e.g. `^FreeStorageSpace$`. */
  name: Pattern,
  /** Exact CloudWatch namespace, e.g. `AWS/RDS`; absent matches any namespace. */
  namespace: z.string().min(1).optional(),
  /** The direction of the anomaly: the metric went up, or down. */
  direction: z.enum(DIRECTIONS),
});
export type MetricSignal = z.infer<typeof MetricSignal>;

export const Match = z
  .strictObject({
    /** RegExp sources matched (flag `i`) against one log message. */
    logs: z.array(Pattern).min(1).optional(),
    /** An anomaly of one of these metrics in the given direction. */
    metrics: z.array(MetricSignal).min(1).optional(),
    /** RegExp sources matched (flag `i`) against a change event's `eventName + ' ' + summary`. */
    changes: z.array(Pattern).min(1).optional(),
  })
  .refine((m) => Boolean(m.logs || m.metrics || m.changes), {
    message: 'match needs at least one of logs, metrics, changes',
  });
export type Match = z.infer<typeof Match>;

export const RuledOut = z.strictObject({
  category: z.enum(CATEGORIES),
  reason: z.string().min(1),
});
export type RuledOut = z.infer<typeof RuledOut>;

export const Examples = z.strictObject({
  logs: z.array(z.string().min(1)).optional(),
  changes: z.array(z.string().min(1)).optional(),
});
export type Examples = z.infer<typeof Examples>;

const httpsUrl = z.string().superRefine((s, ctx) => {
  let ok = false;
  try {
    ok = new URL(s).protocol === 'https:' && !/\s/.test(s);
  } catch {
    ok = false;
  }
  if (!ok) ctx.addIssue({ code: 'custom', message: 'source must be an https URL' });
});

export const KnowledgeEntry = z
  .strictObject({
    id: z.string().regex(ID_PATTERN, 'id must be lowercase letters, digits and dashes'),
    title: z.string().min(1).max(120),
    technologies: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9.+#/ -]*$/, 'technologies are lowercase names'))
      .min(1),
    category: KnowledgeCategory,
    role: z.enum(ROLES),
    blames: z.enum(BLAMES),
    specificity: z.enum(SPECIFICITIES),
    meaning: z.string().min(1).max(MAX_MEANING_LENGTH),
    match: Match,
    rulesOut: z.array(RuledOut),
    mitigations: z.array(z.enum(ACTION_KINDS)),
    /**
     * The limit it reports is also what healthy code reaches when more load arrives than it was
     * sized for (file descriptors, ports, pool slots): a surge of requests before it explains it.
     * Default false.
     */
    underLoad: z.boolean().optional(),
    /**
     * It reports data removed from a datastore (tables dropped or emptied): with no change record
     * to revert, the rollback is restoring the datastore to just before it. Default false.
     */
    dataLoss: z.boolean().optional(),
    examples: Examples,
    source: httpsUrl,
  })
  .superRefine((e, ctx) => {
    // Every pattern is proven by at least one real example; a pattern nobody has seen match is a guess.
    const check = (kind: 'logs' | 'changes') => {
      const patterns = e.match[kind] ?? [];
      const examples = e.examples[kind] ?? [];
      patterns.forEach((source, i) => {
        if (patternProblem(source)) return; // already reported on the field itself
        const re = new RegExp(source, 'i');
        if (!examples.some((line) => re.test(line)))
          ctx.addIssue({
            code: 'custom',
            path: ['match', kind, i],
            message: `matches none of examples.${kind}`,
          });
      });
    };
    check('logs');
    check('changes');
    const seen = new Set<string>();
    e.mitigations.forEach((m, i) => {
      if (seen.has(m)) ctx.addIssue({ code: 'custom', path: ['mitigations', i], message: `repeated ${m}` });
      seen.add(m);
    });
  });
export type KnowledgeEntry = z.infer<typeof KnowledgeEntry>;

/** One knowledge file: `{ "entries": [ ... ] }`. */
export const KnowledgeFile = z.strictObject({ entries: z.array(z.unknown()) });
export type KnowledgeFile = z.infer<typeof KnowledgeFile>;
