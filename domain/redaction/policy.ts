/**
 * What a deployment adds to the catalogue: its own patterns (an employee id, a customer number),
 * values that must stay visible (a public support address, AWS's documented example key), and
 * whether IP addresses are masked. Validated with the offending pattern named, so a typo fails
 * synthesis instead of silently redacting nothing.
 */
import * as z from 'zod';
import { describeIssues, ValidationError } from '../errors.js';

const KIND = /^[a-z][a-z0-9-]{1,30}$/;

function compileError(pattern: string, flags = ''): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern, `${flags}gd`);
  } catch (err) {
    return `${JSON.stringify(pattern)} is not a valid regular expression: ${(err as Error).message}`;
  }
  // A pattern that matches nothing at all would replace every position of every text.
  if (re.test('')) return `${JSON.stringify(pattern)} matches the empty string`;
  return undefined;
}

const Pattern = z
  .strictObject({
    /** The placeholder type: `<name:hash>`. */
    name: z.string().regex(KIND, 'lower-case letters, digits and hyphens, e.g. "employee-id"'),
    /** A JavaScript regular expression; a named group `v` marks the part to hide. */
    pattern: z.string().min(1).max(500),
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'only the flags i, m, s and u')
      .optional(),
  })
  .superRefine((p, ctx) => {
    const problem = compileError(p.pattern, p.flags);
    if (problem)
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `pattern "${p.name}": ${problem}` });
  });

const Allow = z
  .string()
  .min(1)
  .max(500)
  .superRefine((p, ctx) => {
    const problem = compileError(`^(?:${p})$`);
    if (problem)
      ctx.addIssue({ code: 'custom', message: `allow-list entry ${JSON.stringify(p)}: ${problem}` });
  });

export const RedactionPolicy = z
  .strictObject({
    /**
     * `redact` (default): public IP addresses become `<ip:hash>`, stable within an incident, and a
     * block-traffic action still gets the address from structured evidence. `keep`: shown as they
     * are, for teams whose investigations and messages need them.
     */
    ipAddresses: z.enum(['redact', 'keep']).default('redact'),
    /** Extra kinds to redact, after the built-in catalogue. */
    patterns: z.array(Pattern).max(50).default([]),
    /** Regular expressions; a value one of them matches whole is never redacted. */
    allow: z.array(Allow).max(100).default([]),
  })
  .default({ ipAddresses: 'redact', patterns: [], allow: [] });
export type RedactionPolicy = z.infer<typeof RedactionPolicy>;

/** From the environment's JSON (FIREBREAK_REDACTION); absent means the defaults. */
export function parseRedactionPolicy(json: string | undefined): RedactionPolicy {
  let doc: unknown;
  try {
    doc = json ? JSON.parse(json) : {};
  } catch (err) {
    throw new ValidationError(`redaction policy is not JSON: ${(err as Error).message}`);
  }
  const parsed = RedactionPolicy.safeParse(doc);
  if (!parsed.success)
    throw new ValidationError('invalid redaction policy', describeIssues(parsed.error.issues));
  return parsed.data;
}
