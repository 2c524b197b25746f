/**
 * Cutting text for people: at a word, with an ellipsis, never mid-word. A reader who sees
 * "…at 14:02, intro" cannot tell whether "intro" is the word or its start; "…at 14:02, …" says
 * plainly that something was left out.
 */

/** Flattens whitespace and cuts to `max` characters (ellipsis included) at the last word boundary. */
export function clip(text: string, max: number, ellipsis = '…'): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const room = Math.max(0, max - ellipsis.length);
  const head = flat.slice(0, room + 1);
  // The character just past the room decides: a space there means the room ends on a whole word.
  const space = head.endsWith(' ') ? room : head.lastIndexOf(' ');
  // A single token longer than the room (a URL, an ARN) has no word to cut at: it is cut hard.
  const cut = space > 0 ? flat.slice(0, space) : flat.slice(0, room);
  return `${cut.replace(/[\s,;:.([{-]+$/, '')}${ellipsis}`;
}

const WORD = /[a-z0-9]/i;

/**
 * Whether `needle` occurs in `hay` on word boundaries, so "api" does not match inside "rapid".
 * Case-sensitive: callers lower-case both sides when they mean to ignore case.
 */
export function mentionsWord(hay: string, needle: string): boolean {
  if (!needle) return false;
  for (let from = 0; ; ) {
    const i = hay.indexOf(needle, from);
    if (i < 0) return false;
    const before = i === 0 ? '' : hay[i - 1];
    const after = hay[i + needle.length] ?? '';
    if (!WORD.test(before) && !WORD.test(after)) return true;
    from = i + 1;
  }
}
