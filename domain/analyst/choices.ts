/** Which analyst a local run or eval uses: its own module, so the CLI can list the choices without loading the analysts. */
export const ANALYST_CHOICES = ['auto', 'offline', 'claude'] as const;
export type AnalystChoice = (typeof ANALYST_CHOICES)[number];
