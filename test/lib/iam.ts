/**
 * Least-privilege checks over a synthesized template's identity policies (roles and policies; key,
 * queue and topic resource policies name their own resource and are out of scope):
 *  - no Allow of `*` or `service:*` actions, no NotAction / NotResource;
 *  - `"Resource": "*"` only for actions listed, with a reason, in lib/permissions.ts UNSCOPABLE.
 */
export interface Statement {
  Effect: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
  Sid?: string;
}

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every identity-policy statement, with the logical id of the policy or role holding it. */
export function identityStatements(
  resources: Record<string, Resource>,
): Array<{ holder: string; statement: Statement }> {
  const out: Array<{ holder: string; statement: Statement }> = [];
  for (const [id, r] of Object.entries(resources)) {
    const docs: unknown[] = [];
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
      docs.push(r.Properties?.PolicyDocument);
    if (r.Type === 'AWS::IAM::Role') {
      for (const p of list(r.Properties?.Policies as Array<{ PolicyDocument: unknown }>))
        docs.push(p.PolicyDocument);
    }
    for (const doc of docs) {
      for (const statement of list((doc as { Statement?: Statement[] })?.Statement))
        out.push({ holder: id, statement });
    }
  }
  return out;
}

/** What is wrong with the template's identity policies; empty when nothing is. */
export function iamViolations(
  resources: Record<string, Resource>,
  unscopable: Record<string, string>,
): string[] {
  const problems: string[] = [];
  for (const { holder, statement } of identityStatements(resources)) {
    if (statement.Effect !== 'Allow') continue;
    if (statement.NotAction !== undefined) problems.push(`${holder}: NotAction`);
    if (statement.NotResource !== undefined) problems.push(`${holder}: NotResource`);
    const actions = list(statement.Action);
    for (const action of actions) {
      if (action === '*' || action.endsWith(':*')) problems.push(`${holder}: Action ${action}`);
    }
    if (list(statement.Resource).includes('*')) {
      for (const action of actions) {
        if (!unscopable[action]?.trim())
          problems.push(`${holder}: ${action} on Resource "*" is not a commented unscopable call`);
      }
    }
  }
  return problems;
}

/** Actions allowed on `"Resource": "*"` anywhere in the template. */
export function starActions(resources: Record<string, Resource>): Set<string> {
  const out = new Set<string>();
  for (const { statement } of identityStatements(resources)) {
    if (statement.Effect === 'Allow' && list(statement.Resource).includes('*')) {
      for (const a of list(statement.Action)) out.add(a);
    }
  }
  return out;
}
