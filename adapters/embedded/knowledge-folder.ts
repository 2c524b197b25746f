/** A user's own failure-knowledge library, read from a folder of JSON files (knowledge/README.md). */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mergeKnowledge, parseKnowledgeFile } from '../../domain/knowledge/load.js';
import type { KnowledgeEntry } from '../../domain/knowledge/schema.js';

/**
 * Every `*.json` file of a folder (not its subfolders), in name order, as one list of entries:
 * a user's own library in the same format as knowledge/entries. Errors name the file and field;
 * a duplicate id across the folder's files names both files.
 */
export async function loadKnowledgeFolder(dir: string): Promise<KnowledgeEntry[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isFile() && d.name.endsWith('.json'))
    .map((d) => d.name)
    .sort();
  const files: Array<{ file: string; entries: KnowledgeEntry[] }> = [];
  for (const name of names) {
    const file = join(dir, name);
    files.push({ file, entries: parseKnowledgeFile(await readFile(file, 'utf8'), file) });
  }
  return mergeKnowledge(files);
}
