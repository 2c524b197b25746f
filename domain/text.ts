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
