/**
 * The console's one escaping rule: every value is text unless it was built by `html` itself.
 * Alert titles, log lines, model answers and postmortems reach these pages; a value is interpolated
 * through `html`, which escapes it, so no page can forget. Only `Html` values (markup this module's
 * callers assembled from escaped parts) pass through as they are.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text as HTML: safe in element content and in quoted attribute values. */
export const esc = (text: unknown): string =>
  String(text ?? '').replace(/[&<>"'`]/g, (c) => ENTITIES[c] as string);

type Part = Html | string | number | boolean | null | undefined | Part[];

const render = (part: Part): string =>
  part instanceof Html
    ? part.value
    : Array.isArray(part)
      ? part.map(render).join('')
      : part === null || part === undefined || part === false
        ? ''
        : esc(part);

/** Template tag: literal markup stays, every interpolated value is escaped (arrays are joined). */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Html(out);
}

/** Markup built elsewhere from escaped parts (the SVG chart, the postmortem renderer). */
export const trusted = (markup: string) => new Html(markup);
