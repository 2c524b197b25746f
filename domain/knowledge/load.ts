/**
 * Reading knowledge files: the built-in library (builtin.ts) and a folder of a user's own entries
 * go through the same parser, so a bad entry fails the same way wherever it comes from, with the
 * file, the entry and the field named.
 */
import { ValidationError } from '../errors.js';
import { KnowledgeEntry, KnowledgeFile } from './schema.js';

/** `entries[3] (pg-disk-full).match.logs[0]` from a zod path below one entry. */
function fieldPath(index: number, id: string | undefined, path: readonly PropertyKey[]): string {
  let out = `entries[${index}]${id ? ` (${id})` : ''}`;
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

function idOf(raw: unknown): string | undefined {
  if (raw && typeof raw === 'object' && 'id' in raw && typeof raw.id === 'string' && raw.id) return raw.id;
  return undefined;
}

/**
 * Validates already-parsed JSON of one knowledge file. `file` is only used in messages.
 * Throws ValidationError naming the file, the entry (index and id) and the field; `issues` lists
 * every problem found, the message the first.
 */
export function parseKnowledgeData(data: unknown, file: string): KnowledgeEntry[] {
  const top = KnowledgeFile.safeParse(data);
  if (!top.success) {
    const issues = top.error.issues.map(
      (i) => `${file}: ${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`,
    );
    throw new ValidationError(`${issues[0]} (a knowledge file is { "entries": [ ... ] })`, issues);
  }
  const entries: KnowledgeEntry[] = [];
  const issues: string[] = [];
  const firstIndex = new Map<string, number>();
  top.data.entries.forEach((raw, index) => {
    const parsed = KnowledgeEntry.safeParse(raw);
    const id = idOf(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        issues.push(`${file}: ${fieldPath(index, id, issue.path)}: ${issue.message}`);
      return;
    }
    const before = firstIndex.get(parsed.data.id);
    if (before !== undefined) {
      issues.push(`${file}: ${fieldPath(index, id, ['id'])}: duplicate id, also entries[${before}]`);
      return;
    }
    firstIndex.set(parsed.data.id, index);
    entries.push(parsed.data);
  });
  if (issues.length) throw new ValidationError(issues[0], issues);
  return entries;
}

/** Parses the text of one knowledge file (`{ "entries": [ ... ] }`); `file` names it in errors. */
export function parseKnowledgeFile(text: string, file: string): KnowledgeEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  return parseKnowledgeData(data, file);
}

/** Entries of several files as one list; an id used twice is an error naming both files. */
export function mergeKnowledge(files: ReadonlyArray<{ file: string; entries: readonly KnowledgeEntry[] }>) {
  const owner = new Map<string, string>();
  const all: KnowledgeEntry[] = [];
  const issues: string[] = [];
  for (const { file, entries } of files) {
    for (const entry of entries) {
      const first = owner.get(entry.id);
      if (first !== undefined) {
        issues.push(`${file}: duplicate id ${entry.id}, already defined in ${first}`);
        continue;
      }
      owner.set(entry.id, file);
      all.push(entry);
    }
  }
  if (issues.length) throw new ValidationError(issues[0], issues);
  return all;
}
