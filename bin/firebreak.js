#!/usr/bin/env node
// The `firebreak` command. Runs the TypeScript sources directly through tsx, so a clone needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('./firebreak.ts');
