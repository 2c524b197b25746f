/** Renders the ASL definition as a Mermaid flowchart: the diagram in the README comes from here. */
import type { AslDefinition, AslState } from './definition.js';

const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');

function shape(name: string, state: AslState): string {
  switch (state.Type) {
    case 'Choice':
      return `${id(name)}{${name}}`;
    case 'Wait':
      return `${id(name)}([${name}])`;
    case 'Succeed':
    case 'Fail':
      return `${id(name)}(((${name})))`;
    case 'Parallel':
    case 'Map':
      return `${id(name)}[[${name}]]`;
    default:
      return `${id(name)}[${name}]`;
  }
}

function render(states: Record<string, AslState>, lines: string[], indent: string): void {
  for (const [name, state] of Object.entries(states)) {
    lines.push(`${indent}${shape(name, state)}`);
    if (typeof state.Next === 'string') lines.push(`${indent}${id(name)} --> ${id(state.Next)}`);
    for (const choice of (state.Choices as Array<Record<string, unknown>> | undefined) ?? []) {
      // A boolean test reads as its field ('raised'), so no edge is drawn with an empty label.
      const field = String(choice.Variable ?? '')
        .split('.')
        .at(-1);
      const value =
        choice.StringEquals ??
        (choice.IsPresent !== undefined
          ? 'has incident'
          : choice.BooleanEquals !== undefined
            ? `${choice.BooleanEquals ? '' : 'not '}${field}`
            : '');
      lines.push(`${indent}${id(name)} -->|${String(value)}| ${id(String(choice.Next))}`);
    }
    if (typeof state.Default === 'string')
      lines.push(`${indent}${id(name)} -->|otherwise| ${id(state.Default)}`);
    for (const c of (state.Catch as Array<{ ErrorEquals: string[]; Next: string }> | undefined) ?? []) {
      const label = c.ErrorEquals.join(' / ');
      // Every Task catches into RecordFailure: drawing each edge would bury the flow, so that one is a note.
      if (c.Next !== 'RecordFailure') lines.push(`${indent}${id(name)} -.->|${label}| ${id(c.Next)}`);
    }
    const branches =
      (state.Branches as Array<{ StartAt: string; States: Record<string, AslState> }> | undefined) ?? [];
    const processor = (state.ItemProcessor ?? state.Iterator) as
      | { StartAt: string; States: Record<string, AslState> }
      | undefined;
    const nested = processor ? [processor] : branches;
    nested.forEach((branch, i) => {
      lines.push(
        `${indent}subgraph ${id(name)}_${i} [${processor ? `${name}: each specialist` : `${name} branch ${i + 1}`}]`,
      );
      render(branch.States, lines, `${indent}  `);
      lines.push(`${indent}end`);
      lines.push(`${indent}${id(name)} --- ${id(name)}_${i}`);
    });
  }
}

export function toMermaid(definition: AslDefinition): string {
  const lines = ['flowchart TD'];
  render(definition.States, lines, '  ');
  lines.push('  AnyTask[/any Task error/] -.-> RecordFailure');
  return lines.join('\n');
}
