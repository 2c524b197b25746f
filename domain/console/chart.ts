/**
 * A metric series as inline SVG, drawn on the server: the page shows it without JavaScript and
 * without a charting bundle. Hand-written rather than a library: the browser charting libraries
 * (uPlot, Chart.js) draw on canvas from script, and the SVG ones (d3) would only contribute the
 * scale arithmetic below. Markers (onset, detection, changes, mitigation) are vertical rules with a
 * label, each carrying `data-marker` so tests and readers can find them.
 */
import type { SeriesSummary } from './evidence.js';
import { esc, type Html, html, trusted } from './html.js';

export type MarkerKind = 'onset' | 'detection' | 'change' | 'mitigation' | 'resolved';

export interface Marker {
  kind: MarkerKind;
  at: string;
  label: string;
}

const W = 640;
const H = 180;
const PAD = { left: 56, right: 12, top: 38, bottom: 24 };
const COLORS: Record<MarkerKind, string> = {
  onset: '#b3261e',
  detection: '#c77700',
  change: '#5b3cc4',
  mitigation: '#1b7f3b',
  resolved: '#1b6e7f',
};

const fmt = (n: number) =>
  Math.abs(n) >= 1000 ? `${(n / 1000).toFixed(1)}k` : Number.isInteger(n) ? String(n) : n.toFixed(2);
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

export function chartSvg(series: SeriesSummary, markers: Marker[]): Html {
  const pts = series.points
    .map(([at, v]) => [Date.parse(at), v] as const)
    .filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
  const marks = markers
    .map((m) => ({ ...m, t: Date.parse(m.at) }))
    .filter((m) => Number.isFinite(m.t))
    .sort((a, b) => a.t - b.t);
  const times = [...pts.map(([t]) => t), ...marks.map((m) => m.t)];
  if (!pts.length || !times.length) return html`<p class="muted">No points in the window read.</p>`;
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 60_000);
  const values = pts.map(([, v]) => v);
  const v0 = Math.min(0, ...values);
  const v1 = Math.max(...values, v0 + 1);
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - ((v - v0) / (v1 - v0)) * (H - PAD.top - PAD.bottom);
  const line = pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const rules = marks
    .map((m, i) => {
      const mx = x(m.t).toFixed(1);
      // Labels take turns on three rows, in time order, so markers close together stay legible.
      const ly = 10 + (i % 3) * 11;
      const anchor = x(m.t) > W - 120 ? 'end' : 'start';
      return `<g data-marker="${esc(m.kind)}" data-at="${esc(m.at)}"><title>${esc(`${m.label} at ${m.at}`)}</title><line x1="${mx}" x2="${mx}" y1="${PAD.top - 4}" y2="${H - PAD.bottom}" stroke="${COLORS[m.kind]}" stroke-dasharray="4 3"/><text x="${mx}" y="${ly}" font-size="10" fill="${COLORS[m.kind]}" text-anchor="${anchor}">${esc(m.label)}</text></g>`;
    })
    .join('');
  return trusted(
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(series.label)}" data-series="${esc(series.id)}">` +
      `<title>${esc(series.label)}</title>` +
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" stroke="#999"/>` +
      `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#999"/>` +
      `<text x="${PAD.left - 6}" y="${PAD.top + 4}" font-size="10" text-anchor="end">${esc(fmt(v1))}</text>` +
      `<text x="${PAD.left - 6}" y="${H - PAD.bottom}" font-size="10" text-anchor="end">${esc(fmt(v0))}</text>` +
      `<text x="${PAD.left}" y="${H - 6}" font-size="10">${hhmm(t0)} UTC</text>` +
      `<text x="${W - PAD.right}" y="${H - 6}" font-size="10" text-anchor="end">${hhmm(t1)} UTC</text>` +
      `<polyline fill="none" stroke="#1f5fa8" stroke-width="1.6" points="${line}"/>` +
      rules +
      '</svg>',
  );
}
