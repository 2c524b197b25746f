import type { Facts } from './facts.js';

export interface Range {
  v: 4 | 6;
  base: bigint;
  prefix: number;
}

export function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

export function parseIpv6(s: string): bigint | undefined {
  if (!/^[0-9a-f:]+$/i.test(s) || (s.match(/::/g) ?? []).length > 1) return undefined;
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if ((tail === undefined && h.length !== 8) || missing < 0) return undefined;
  const groups = [...h, ...Array(tail === undefined ? 0 : missing).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

export function parseRange(text: string): Range | undefined {
  const [addr, len, ...rest] = text.trim().split('/');
  if (rest.length) return undefined;
  const v4 = parseIpv4(addr);
  const v: 4 | 6 | undefined = v4 !== undefined ? 4 : parseIpv6(addr) !== undefined ? 6 : undefined;
  if (!v) return undefined;
  const bits = v === 4 ? 32 : 128;
  const prefix = len === undefined ? bits : /^\d{1,3}$/.test(len) ? Number(len) : Number.NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  const value = (v4 ?? parseIpv6(addr)) as bigint;
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  return { v, base: value & mask, prefix };
}

export const contains = (outer: Range, inner: Range): boolean => {
  if (outer.v !== inner.v || inner.prefix < outer.prefix) return false;
  const bits = BigInt(outer.v === 4 ? 32 : 128);
  return inner.base >> (bits - BigInt(outer.prefix)) === outer.base >> (bits - BigInt(outer.prefix));
};

/** The narrowest prefix that covers every range given (all of one family). */
export function coveringPrefix(ranges: Range[]): number {
  const bits = ranges[0].v === 4 ? 32 : 128;
  let prefix = Math.min(...ranges.map((r) => r.prefix));
  while (prefix > 0) {
    const shift = BigInt(bits - prefix);
    const first = ranges[0].base >> shift;
    if (ranges.every((r) => r.base >> shift === first)) break;
    prefix--;
  }
  return prefix;
}

export const ADDRESS =
  /(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?|(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:\/\d{1,3})?/gi;

/** Addresses and ranges the security signals and log lines name: the sources a block may cover. */
export function evidenceSources(facts: Facts): Range[] {
  const out: Range[] = [];
  for (const item of facts.items.values()) {
    if (item.kind !== 'security' && item.kind !== 'log') continue;
    for (const m of item.text.match(ADDRESS) ?? []) {
      const r = parseRange(m);
      if (r) out.push(r);
    }
  }
  return out;
}
