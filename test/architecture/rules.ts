/**
 * The import rules that keep the rooms honest (README "Layout"). A path says what a file may touch:
 * the domain is pure, adapters implement its ports for one backend, the runtime wires them for
 * Lambda, the local tools wire them for a laptop, and the CDK code only describes infrastructure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

export type Room =
  | 'domain'
  | 'adapters/aws'
  | 'adapters/embedded'
  | 'runtime'
  | 'lambdas'
  | 'statemachines'
  | 'local'
  | 'lib'
  | 'bin';

export const ROOMS: readonly Room[] = [
  'domain',
  'adapters/aws',
  'adapters/embedded',
  'runtime',
  'lambdas',
  'statemachines',
  'local',
  'lib',
  'bin',
];

/** Which project rooms each room may import from (besides itself). */
const MAY_IMPORT: Record<Room, readonly Room[]> = {
  domain: [],
  'adapters/aws': ['domain'],
  // The embedded store is DynamoDB's own API over dynalite, so it reuses the AWS adapters.
  'adapters/embedded': ['domain', 'adapters/aws'],
  // Wiring builds what a function's entry runs with, so it names the entry's dependency types.
  runtime: ['domain', 'adapters/aws', 'statemachines', 'lambdas'],
  lambdas: ['domain', 'runtime', 'adapters/aws'],
  statemachines: [],
  // The laptop wiring: everything but the CDK app and the CLI on top of it.
  local: ['domain', 'adapters/aws', 'adapters/embedded', 'runtime', 'lambdas', 'statemachines'],
  // The stack reads phase names, env names, config schemas, the table and catalog shapes the AWS
  // adapters expect, and the ASL; never a local runner.
  lib: ['domain', 'adapters/aws', 'runtime', 'lambdas', 'statemachines'],
  bin: ['domain', 'adapters/aws', 'adapters/embedded', 'runtime', 'lambdas', 'statemachines', 'local', 'lib'],
};

/** The AWS SDK: only where AWS is adapted or wired. */
const AWS_SDK = /^@aws-sdk\//;
const AWS_ROOMS: readonly Room[] = ['adapters/aws', 'adapters/embedded', 'runtime'];
/** What shapes a Lambda invocation: the runtime room and the functions' entry files. */
const LAMBDA_PACKAGES = /^@aws-lambda-powertools\/|^@middy\//;
const LAMBDA_ROOMS: readonly Room[] = ['runtime', 'lambdas'];
const CDK_PACKAGES = /^aws-cdk-lib(\/|$)|^constructs$|^cdk-nag$/;
/** Node modules that reach outside the process: the domain decides, it does not do I/O. */
const IO_MODULES = /^node:(fs|fs\/promises|child_process|http|https|dgram|worker_threads)$/;

export interface Violation {
  file: string;
  imports: string;
  rule: string;
}

export function roomOf(path: string): Room | undefined {
  const p = path.split(sep).join('/');
  return ROOMS.find((r) => p === r || p.startsWith(`${r}/`));
}

/** Every import, export-from and dynamic import of one source text. */
export function specifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** The rules a file at `path` (relative to the project root) breaks with this source text. */
export function check(path: string, source: string): Violation[] {
  const room = roomOf(path);
  if (!room) return [];
  const out: Violation[] = [];
  for (const spec of specifiers(source)) {
    const v = (rule: string) => out.push({ file: path, imports: spec, rule });
    if (spec.startsWith('.')) {
      const target = relative('.', join(dirname(path), spec));
      const to = roomOf(target);
      if (to && to !== room && !MAY_IMPORT[room].includes(to)) v(`${room} may not import ${to}`);
      continue;
    }
    if (AWS_SDK.test(spec) && !AWS_ROOMS.includes(room)) v(`the AWS SDK belongs in ${AWS_ROOMS.join(', ')}`);
    if (LAMBDA_PACKAGES.test(spec) && !LAMBDA_ROOMS.includes(room)) {
      v(`Powertools and middy belong in ${LAMBDA_ROOMS.join(', ')}`);
    }
    if (CDK_PACKAGES.test(spec) && room !== 'lib' && !path.startsWith('bin/app.ts')) {
      v('CDK belongs in lib/');
    }
    if (room === 'domain' && IO_MODULES.test(spec)) v('the domain does no I/O');
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : sources(p);
    return /\.(ts|mts|js|mjs)$/.test(d.name) ? [p] : [];
  });
}

/** Every violation in the project's source rooms. */
export function projectViolations(root: string): Violation[] {
  const rootRooms = [...new Set(ROOMS.map((r) => r.split('/')[0]))];
  return rootRooms.flatMap((top) =>
    sources(join(root, top)).flatMap((abs) => {
      const path = relative(root, abs);
      return check(path, readFileSync(abs, 'utf8'));
    }),
  );
}
