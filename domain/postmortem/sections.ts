/**
 * A postmortem as named `## ` sections, so code can check a model's document for completeness and
 * put its own facts (timeline, response times, action items) in place of whatever the model wrote.
 */

/** Every postmortem has these, in this order. */
export const REQUIRED_SECTIONS = [
  'Summary',
  'Impact',
  'Response times',
  'Timeline',
  'Root cause',
  'Five whys',
  'What went well',
  'What went poorly',
  'Action items',
] as const;
export type SectionName = (typeof REQUIRED_SECTIONS)[number];

export interface Document {
  /** Everything before the first `## ` heading (title, preamble). */
  head: string;
  sections: Array<{ name: string; body: string }>;
}

export function splitSections(markdown: string): Document {
  const parts = markdown.split(/^## +/m);
  const head = parts.shift() ?? '';
  return {
    head,
    sections: parts.map((p) => {
      const newline = p.indexOf('\n');
      const name = (newline === -1 ? p : p.slice(0, newline)).trim();
      return { name, body: newline === -1 ? '' : p.slice(newline + 1) };
    }),
  };
}

const same = (a: string, b: string) => a.trim().toLowerCase().replace(/\s+/g, ' ') === b.toLowerCase();

export function findSection(doc: Document, name: SectionName): { name: string; body: string } | undefined {
  return doc.sections.find((s) => same(s.name, name));
}

export function missingSections(markdown: string): SectionName[] {
  const doc = splitSections(markdown);
  return REQUIRED_SECTIONS.filter((name) => !findSection(doc, name));
}

/** Replaces (or adds, in the canonical order) one section's body. */
export function withSection(doc: Document, name: SectionName, body: string): Document {
  const sections = doc.sections.filter((s) => !same(s.name, name));
  const order = (n: string) => {
    const i = REQUIRED_SECTIONS.findIndex((r) => same(n, r));
    return i === -1 ? REQUIRED_SECTIONS.length : i;
  };
  const mine = order(name);
  const at = sections.findIndex((s) => order(s.name) > mine);
  const entry = { name, body: body.endsWith('\n') ? body : `${body}\n` };
  if (at === -1) sections.push(entry);
  else sections.splice(at, 0, entry);
  return { head: doc.head, sections };
}

export function joinSections(doc: Document): string {
  return `${doc.head}${doc.sections.map((s) => `## ${s.name}\n${s.body}`).join('')}`;
}
