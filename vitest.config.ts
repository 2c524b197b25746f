import { defineConfig } from 'vitest/config';

/**
 * The domain's tests touch no process state (no env, no patched AWS clients, no timers) and share
 * their modules safely, so they run without a fresh process per file: most of their time was the
 * fork and the imports, not the tests. Files that patch an AWS client (aws-sdk-client-mock) keep
 * their own process, as does everything outside the domain (CLIs, servers, handlers, env).
 */
const PATCHES_CLIENTS = ['test/domain/analyst/claude/select.test.ts', 'test/domain/approval/links.test.ts'];

export default defineConfig({
  test: {
    setupFiles: ['local/polyfills.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'domain',
          include: ['test/domain/**/*.test.ts'],
          exclude: PATCHES_CLIENTS,
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'isolated', include: ['test/!(domain)/**/*.test.ts', ...PATCHES_CLIENTS] },
      },
    ],
  },
});
