// The thread that builds fuzz:webhooks's requests (bench/fuzz-payloads.ts): TypeScript needs tsx's
// loader registered on this thread too.
import { register } from 'tsx/esm/api';

register();
await import('./fuzz-payloads.ts');
