/**
 * The postmortem as HTML: headings, lists, tables, code and paragraphs, nothing else. Every line
 * is escaped before any markup is added, so a model-written postmortem cannot carry markup of its
 * own; links are shown as text.
 */
import { esc, type Html, trusted } from './html.js';

const inline = (text: string) =>
  esc(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*(?=$|[\s).,;:])/g, '$1<em>$2</em>');

export function renderMarkdown(markdown: string): Html {
  const out: string[] = [];
  let list: 'ul' | 'ol' | undefined;
  let table = false;
  let code = false;
  const close = () => {
    if (list) out.push(`</${list}>`);
    if (table) out.push('</table>');
    list = undefined;
    table = false;
  };
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      close();
      out.push(code ? '</pre>' : '<pre>');
      code = !code;
      continue;
    }
    if (code) {
      out.push(`${esc(line)}\n`);
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (heading) {
      close();
      const level = Math.min(6, heading[1].length + 2);
      out.push(`<h${level}>${inline(heading[2])}</h${level}>`);
    } else if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      if (list !== kind) {
        close();
        out.push(`<${kind}>`);
        list = kind;
      }
      out.push(`<li>${inline((bullet ?? numbered)?.[1] ?? '')}</li>`);
    } else if (/^\s*\|.*\|\s*$/.test(line)) {
      if (/^\s*\|[\s:|-]+\|\s*$/.test(line)) continue;
      if (!table) {
        close();
        out.push('<table>');
        table = true;
      }
      const cells = line.trim().slice(1, -1).split('|');
      out.push(`<tr>${cells.map((c) => `<td>${inline(c.trim())}</td>`).join('')}</tr>`);
    } else if (!line.trim()) close();
    else {
      close();
      out.push(`<p>${inline(line)}</p>`);
    }
  }
  close();
  if (code) out.push('</pre>');
  return trusted(out.join('\n'));
}
