/**
 * The console's page shell and its plain pages (not found, refused, decided). Every page is a full
 * document that reads without script; headers forbid framing, caching and outside sources.
 */
import { type Html, html } from './html.js';

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export const HTML_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

export const respond = (statusCode: number, body: Html | string, type = 'text/html; charset=utf-8') => ({
  statusCode,
  headers: { ...HTML_HEADERS, 'content-type': type },
  body: String(body),
});

export function layout(base: string, title: string, main: Html, opts: { live?: string; who?: string } = {}) {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${title} · Firebreak</title>
<link rel="stylesheet" href="${base}/assets/console.css"></head>
<body><header class="top"><a href="${base}/">Firebreak</a><span class="muted">incidents</span>
${opts.who ? html`<span class="muted" style="margin-left:auto" id="who">signed in as ${opts.who}</span>` : ''}</header>
<main${opts.live ? html` data-live="${opts.live}"` : ''}>${main}</main>
<script src="${base}/assets/console.js" defer></script></body></html>`;
}

export const messagePage = (
  base: string,
  statusCode: number,
  title: string,
  paragraphs: string[],
  who?: string,
) =>
  respond(
    statusCode,
    layout(
      base,
      title,
      html`<h1>${title}</h1>${paragraphs.map((p) => html`<p>${p}</p>`)}<p><a href="${base}/">All incidents</a></p>`,
      { who },
    ),
  );

export const notFoundPage = (base: string, what: string, who?: string) =>
  messagePage(base, 404, 'Not found', [`There is no ${what}.`], who);
