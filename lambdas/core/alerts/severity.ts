import type { Severity } from '../model.js';

/** The words sources use for severity or priority, mapped to Firebreak's levels. */
const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'SEV1',
  sev1: 'SEV1',
  p1: 'SEV1',
  high: 'SEV2',
  error: 'SEV2',
  major: 'SEV2',
  sev2: 'SEV2',
  p2: 'SEV2',
  warning: 'SEV3',
  warn: 'SEV3',
  medium: 'SEV3',
  minor: 'SEV3',
  sev3: 'SEV3',
  p3: 'SEV3',
  low: 'SEV4',
  info: 'SEV4',
  sev4: 'SEV4',
  p4: 'SEV4',
  p5: 'SEV4',
};

/** A severity hint from a source's word for it; undefined when the word means nothing to us. */
export const severityFromWord = (w: unknown): Severity | undefined =>
  typeof w === 'string' ? SEVERITY_WORDS[w.trim().toLowerCase()] : undefined;
