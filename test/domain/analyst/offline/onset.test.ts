import { describe, expect, it } from 'vitest';
import { detectOnset } from '../../../../domain/analyst/offline/evidence/onset.js';
import { at, series, stepPoints } from './fixtures.js';

describe('detectOnset', () => {
  it('reads a capacity setting moved by hand the same at any scale; a small event count keeps its noise', () => {
    const moved = (name: string, from: number, to: number) =>
      detectOnset(series(name, stepPoints(from, to, -16, 0)));
    expect(moved('GroupDesiredCapacity', 14, 24)?.at).toBe(at(-16));
    expect(moved('GroupDesiredCapacity', 42, 72)?.at).toBe(at(-16));
    // 14 errors a minute becoming 24 is within what chance does to such a count.
    expect(moved('Errors', 14, 24)).toBeUndefined();
  });

  it('finds a step up and where it began', () => {
    const o = detectOnset(series('Errors', stepPoints(2, 180, -20, 0.2)));
    expect(o?.direction).toBe('up');
    expect(o?.at).toBe(at(-20));
    expect(o?.magnitude).toBeGreaterThan(50);
    expect(o?.recovered).toBe(false);
  });

  it('finds a drop (success rate collapsing)', () => {
    const o = detectOnset(series('SuccessRate', stepPoints(98, 33, -15, 1)));
    expect(o?.direction).toBe('down');
    expect(o?.at).toBe(at(-15));
  });

  it('ignores noise in small counts: 0–3 errors a minute is not an incident', () => {
    const pts = stepPoints(1, 1, 0).map(
      ([t], i) => [t, [0, 1, 3, 0, 2, 1, 0, 0, 3, 1][i % 10]] as [string, number],
    );
    expect(detectOnset(series('5xx', pts))).toBeUndefined();
  });

  it('reads a status flag turning from 0 to 1, and a count that never happened before, as an onset', () => {
    const flag = stepPoints(0, 1, -3, 0);
    expect(detectOnset(series('StatusCheckFailed_System', flag))?.at).toBe(at(-3));
    expect(detectOnset(series('FailedNodes', flag))?.at).toBe(at(-3));
    // The same count tripled (the variant check's scaling) reads the same.
    expect(detectOnset(series('FailedNodes', stepPoints(0, 3, -3, 0)))?.at).toBe(at(-3));
  });

  it("reads a short baseline's own noise as baseline when a departure many times its size follows", () => {
    const noisy = [4, 5, 5, 14, 8, 26, 28, 24, 12, 11, 22, 9, 22, 4, 21, 24, 8, 16, 23, 15, 28, 26, 19, 14];
    const rising = [82, 130, 192, 252, 305, 370, 435, 490, 549, 621];
    const pts = [...noisy, ...rising].map((v, i) => [at(i - 40), v] as [string, number]);
    expect(detectOnset(series('ApproximateAgeOfOldestMessage', pts))?.at).toBe(at(noisy.length - 40));
    // The same first excursion with nothing larger after it stays the onset: it is all there is.
    const flat = [...noisy, ...noisy.slice(0, 10)].map((v, i) => [at(i - 40), v] as [string, number]);
    expect(detectOnset(series('ApproximateAgeOfOldestMessage', flat))?.at).toBe(at(5 - 40));
  });

  it('reads a step that lands just past the edge of a drifting baseline and holds there as an onset', () => {
    const drift = [21.7, 22.8, 22.5, 21.5, 21.7, 21.5, 21.6, 21.7, 20.3, 20.1, 21.2, 20.4, 20.7, 19.4, 19.9];
    const night = [
      ...drift,
      20.2,
      19.3,
      20.3,
      20.1,
      18.6,
      18.5,
      19.2,
      19.7,
      18.8,
      18.5,
      18.8,
      18.2,
      18.5,
      18.8,
    ];
    const step = [28.0, 27.5, 27.6, 27.7, 28.4, 28.2, 27.7, 29.8, 29.4, 29.8, 29.0, 31.2];
    const pts = [...night, ...step].map((v, i) => [at(i - 60), v] as [string, number]);
    expect(detectOnset(series('CPUUtilization', pts))?.at).toBe(at(night.length - 60));
  });

  it('does not call a single spike an onset', () => {
    const pts = stepPoints(40, 40, 0, 1);
    pts[30] = [pts[30][0], 400];
    expect(detectOnset(series('Latency', pts))).toBeUndefined();
  });

  it('reports a metric that went back to its baseline as recovered', () => {
    const pts = stepPoints(10, 10, 0, 0.3).map(
      ([t, v], i) => [t, i >= 30 && i < 45 ? 90 : v] as [string, number],
    );
    const o = detectOnset(series('Latency', pts));
    expect(o?.at).toBe(at(-30));
    expect(o?.recovered).toBe(true);
  });

  it('catches a ramp at its first clear departure', () => {
    const pts = stepPoints(180, 180, 0, 2).map(
      ([t, v], i) => [t, i >= 40 ? 180 + (i - 39) * 40 : v] as [string, number],
    );
    const o = detectOnset(series('DatabaseConnections', pts));
    expect(o?.direction).toBe('up');
    expect(Date.parse(o!.at)).toBeGreaterThanOrEqual(Date.parse(at(-20)));
    expect(Date.parse(o!.at)).toBeLessThanOrEqual(Date.parse(at(-18)));
  });
});
