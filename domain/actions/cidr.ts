/**
 * CIDR ranges for block-traffic: parsed strictly, never wider than a /16 (IPv4) or /48 (IPv6), and
 * never overlapping a range the operators said must stay reachable.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { ActionRefused } from './outcome.js';

export interface Cidr {
  version: 4 | 6;
  /** The network address as a big integer, host bits cleared. */
  network: bigint;
  prefix: number;
  text: string;
}

const MIN_PREFIX = { 4: 16, 6: 48 } as const;

function ipToBigInt(ip: string, version: 4 | 6): bigint {
  if (version === 4) return ip.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(Number.parseInt(g, 16)), 0n);
}

/** Parses `203.0.113.7`, `203.0.113.0/24` or an IPv6 range; refuses anything else. */
export function parseCidr(text: string): Cidr {
  const [ip, prefixText] = text.trim().split('/');
  const version = isIPv4(ip) ? 4 : isIPv6(ip) && !ip.includes('.') ? 6 : undefined;
  if (!version) throw new ActionRefused(`"${text.slice(0, 60)}" is not an IP address or CIDR range`);
  const bits = version === 4 ? 32 : 128;
  const prefix =
    prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= bits))
    throw new ActionRefused(`"${text.slice(0, 60)}" has an invalid prefix length`);
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  const network = ipToBigInt(ip, version) & mask;
  return { version, network, prefix, text: `${formatNetwork(network, version)}/${prefix}` };
}

function formatNetwork(n: bigint, version: 4 | 6): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(':');
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.version !== b.version) return false;
  const bits = a.version === 4 ? 32 : 128;
  const prefix = Math.min(a.prefix, b.prefix);
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  return (a.network & mask) === (b.network & mask);
}

/** A range that is safe to block: narrow enough and clear of every protected range. */
export function blockableCidr(text: string, neverBlock: string[]): Cidr {
  const cidr = parseCidr(text);
  if (cidr.prefix < MIN_PREFIX[cidr.version]) {
    throw new ActionRefused(
      `${cidr.text} is too wide to block automatically (at most /${MIN_PREFIX[cidr.version]})`,
    );
  }
  for (const protectedRange of neverBlock) {
    if (overlaps(cidr, parseCidr(protectedRange))) {
      throw new ActionRefused(
        `${cidr.text} overlaps ${protectedRange}, which is configured never to be blocked`,
      );
    }
  }
  return cidr;
}
