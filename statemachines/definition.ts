/**
 * Reading the one ASL definition: the placeholders it names, its Task and Wait states wherever they
 * are nested. The CDK stack and the local runner both go through here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEFINITION_PATH = fileURLToPath(new URL('./incident-response.asl.json', import.meta.url));

export type AslState = Record<string, unknown> & { Type: string };
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

export const readDefinitionText = (): string => readFileSync(DEFINITION_PATH, 'utf8');

/** Every `${Name}` placeholder in the definition text. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]))].sort();
}

/** Replaces each placeholder; a missing value is an error, never a silent hole. */
export function substitute(text: string, values: Record<string, string>): AslDefinition {
  const out = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`no substitution for \${${key}}`);
    return value;
  });
  return JSON.parse(out) as AslDefinition;
}

/** Visits every state, including those inside Parallel branches and Map processors. */
export function walkStates(
  states: Record<string, AslState>,
  visit: (name: string, state: AslState) => void,
): void {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    const branches = (state.Branches as Array<{ States: Record<string, AslState> }> | undefined) ?? [];
    for (const branch of branches) walkStates(branch.States, visit);
    const processor = (state.ItemProcessor ?? state.Iterator) as
      | { States: Record<string, AslState> }
      | undefined;
    if (processor) walkStates(processor.States, visit);
  }
}

/** The placeholder a Task state invokes: `Resource: ${X}` or `Parameters.FunctionName: ${X}`. */
export function taskPlaceholder(state: AslState): string | undefined {
  const params = state.Parameters as Record<string, unknown> | undefined;
  const ref = String(params?.FunctionName ?? state.Resource ?? '');
  return /^\$\{([A-Za-z0-9_]+)\}$/.exec(ref)?.[1];
}

/** Task state name → the placeholder it invokes, read from the raw (unsubstituted) definition. */
export function taskMap(
  text: string,
): Map<string, { key: string; waitForTaskToken: boolean; state: AslState }> {
  const raw = JSON.parse(text) as AslDefinition;
  const tasks = new Map<string, { key: string; waitForTaskToken: boolean; state: AslState }>();
  walkStates(raw.States, (name, state) => {
    if (state.Type !== 'Task') return;
    const key = taskPlaceholder(state);
    if (!key) throw new Error(`Task state ${name} does not invoke a \${...FunctionArn} placeholder`);
    tasks.set(name, { key, waitForTaskToken: String(state.Resource).endsWith('.waitForTaskToken'), state });
  });
  return tasks;
}
