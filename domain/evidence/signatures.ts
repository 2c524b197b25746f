import { createHash } from 'node:crypto';

/**
 * Reduces a log line to its shape so that "timeout after 5012ms on 10.0.3.7" and
 * "timeout after 4988ms on 10.0.9.1" count as one error signature.
 */
export function logSignature(message: string): string {
  // Two tracebacks with the same frames are told apart by the exception each ends with.
  return (message.length > 300 ? logSample(message, 300) : message)
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

/**
 * What a log record shows as its sample: the whole message when it is short; for a long multi-line
 * record its head and its last line, because tracebacks (Python, some Haskell and .NET dumps) print
 * the exception that names the failure last, after frames that name nothing.
 *
 * @example
 * logSample('Traceback (most recent call last):\n  File "a.py", line 3, in <module>\nValueError: bad date', 60)
 * // 'Traceback (most recent call last):\n  \n…\nValueError: bad date'
 */
export function logSample(message: string, max = 500): string {
  if (message.length <= max) return message;
  const lines = message.trimEnd().split('\n');
  const last = lines.at(-1)?.trim() ?? '';
  if (lines.length < 2 || !last) return message.slice(0, max);
  const tail = last.slice(-Math.floor(max / 2));
  return `${message.slice(0, max - tail.length - 3)}\n…\n${tail}`;
}

export const shortHash = (text: string): string =>
  createHash('sha256').update(text).digest('hex').slice(0, 8);

/**
 * The same metric read twice — its average and its maximum, or at two periods — is two series, and
 * each needs its own id: the second and later of a shared id are told apart by their statistic,
 * else by their period, else by their place. Stable for the same read.
 * @example distinctIds([{ id: 'm', stat: 'Average' }, { id: 'm', stat: 'Maximum' }]) // ids 'm', 'm:Maximum'
 */
export function distinctIds<T extends { id: string; stat?: string; periodSeconds?: number }>(
  series: T[],
): T[] {
  const seen = new Map<string, number>();
  return series.map((m) => {
    const n = seen.get(m.id) ?? 0;
    seen.set(m.id, n + 1);
    if (n === 0) return m;
    const first = series.find((o) => o.id === m.id)!;
    const tag =
      m.stat && m.stat !== first.stat
        ? m.stat
        : m.periodSeconds && m.periodSeconds !== first.periodSeconds
          ? `${m.periodSeconds}s`
          : `#${n + 1}`;
    return { ...m, id: `${m.id}:${tag}` };
  });
}

/** Stable id of a metric series: what findings cite. */
export const metricId = (
  namespace: string,
  name: string,
  dimensions: Record<string, string> = {},
): string => {
  const dims = Object.values(dimensions).join(',');
  return `metric:${namespace}/${name}${dims ? `[${dims}]` : ''}`;
};
