import { createHash } from 'node:crypto';

/**
 * Reduces a log line to its shape so that "timeout after 5012ms on 10.0.3.7" and
 * "timeout after 4988ms on 10.0.9.1" count as one error signature.
 */
export function logSignature(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<ip>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b[0-9a-f]{12,}\b/gi, '<id>')
    .replace(/"[^"]{0,200}"/g, '"<str>"')
    .replace(/\d+(\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

export const shortHash = (text: string): string =>
  createHash('sha256').update(text).digest('hex').slice(0, 8);

/** Stable id of a metric series: what findings cite. */
export const metricId = (
  namespace: string,
  name: string,
  dimensions: Record<string, string> = {},
): string => {
  const dims = Object.values(dimensions).join(',');
  return `metric:${namespace}/${name}${dims ? `[${dims}]` : ''}`;
};
