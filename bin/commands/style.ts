/**
 * Colour on a terminal, by the conventions other tools follow: FORCE_COLOR turns it on (unless it
 * is 0 or false); otherwise NO_COLOR with any non-empty value (https://no-color.org) turns it off;
 * otherwise a stream has colour when it is a terminal other than TERM=dumb. `--no-color` sets
 * NO_COLOR and clears FORCE_COLOR (bin/firebreak.js), so it wins over both. Each stream decides for itself: progress on a terminal keeps its colour while the
 * result is piped into a file.
 *
 * The escape codes come from node's util.styleText, told not to decide itself (`validateStream:
 * false`): that option is recent, and this rule is the same on every Node. Where styleText is
 * missing (Node 20 before 20.12) there is no colour.
 */
import * as util from 'node:util';

type Format = Parameters<typeof util.styleText>[0];
type Stream = { isTTY?: boolean };

export function colourOn(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (typeof util.styleText !== 'function') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return !!stream.isTTY && env.TERM !== 'dumb';
}

export type Paint = (format: Format, text: string) => string;

/** A painter for one stream: styles text when that stream has colour, returns it as is otherwise. */
export function painter(stream: Stream): Paint {
  return (format, text) =>
    colourOn(stream) && text ? util.styleText(format, text, { validateStream: false }) : text;
}

const STATUS: Record<string, Format> = {
  TRIAGE: 'yellow',
  ACTIVE: 'red',
  MITIGATED: 'cyan',
  RESOLVED: 'green',
  TICKETED: 'blue',
  CANCELLED: 'gray',
};
const SEVERITY: Record<string, Format> = {
  SEV1: ['bold', 'red'],
  SEV2: 'red',
  SEV3: 'yellow',
  SEV4: 'gray',
};
const MARK: Record<string, Format> = {
  '▶': 'cyan',
  '✓': 'green',
  '✗': 'red',
  '⊘': 'yellow',
  '↻': 'yellow',
  '⏸': 'gray',
  '✉': 'magenta',
  '·': 'gray',
};

/** An incident status word (RESOLVED, ACTIVE, ...), padded first so that columns stay aligned. */
export const paintStatus = (paint: Paint, status: string, width = 0): string =>
  STATUS[status] ? paint(STATUS[status], status.padEnd(width)) : status.padEnd(width);

export const paintSeverity = (paint: Paint, severity: string, width = 0): string =>
  SEVERITY[severity] ? paint(SEVERITY[severity], severity.padEnd(width)) : severity.padEnd(width);

/** The marks of progress and eval lines (▶ ✓ ✗ ⊘ ↻ ⏸ ✉ ·), where they stand as words of their own. */
export const paintMarks = (paint: Paint, line: string): string =>
  line.replace(/(^|\s)([▶✓✗⊘↻⏸✉·])(?=\s|$)/gu, (_, before: string, mark: string) => {
    const format = MARK[mark];
    return `${before}${format ? paint(format, mark) : mark}`;
  });

/** Live progress on stderr, its marks coloured when stderr has colour. */
export const progressLine = (line: string): string => paintMarks(painter(process.stderr), line);
