/**
 * Alert text, log lines, change descriptions and tool results are data an attacker may control.
 * They reach the model only inside a `<data>` envelope that the system prompt tells it to read and
 * never obey, encoded so the content cannot close the envelope early.
 */

/** JSON with `<`, `>` and `&` escaped: still valid JSON, but unable to open or close a tag. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Wraps untrusted content as data for the model. */
export function asData(source: string, value: unknown): string {
  const label = source.replace(/[^a-z0-9_.:-]/gi, '_').slice(0, 60);
  return `<data source="${label}" trust="untrusted">\n${safeJson(value)}\n</data>`;
}

const INSTRUCTION_LIKE = [
  /\bignore (all |any |your |the )?(previous |prior |above )?(instructions|prompts?|rules)\b/i,
  /\b(disregard|forget) (all |any |your |the )?(previous |prior )?(instructions|rules)\b/i,
  /\byou are now\b/i,
  /\bsystem prompt\b/i,
  /\b(roll ?back|restart|scale|fail ?over|rotate|block|delete|disable)\b.{0,40}\b(now|immediately)\b/i,
  /<\/?(system|instructions?|data)\b/i,
];

/**
 * True when text reads like an instruction to an AI. Such text is still passed on (it is evidence,
 * perhaps of an attack) but marked, so the model and the humans reading the findings see it.
 */
export const looksLikeInstruction = (text: string): boolean => INSTRUCTION_LIKE.some((re) => re.test(text));
