import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The deployed-artifact test synthesizes and bundles the whole stack (minutes on two cores): it
    // runs on its own, `npm run test:deployed`, which CI runs after `npm test`.
    exclude:
      process.env.FIREBREAK_DEPLOYED === '1'
        ? configDefaults.exclude
        : [...configDefaults.exclude, 'test/deployed/**'],
    setupFiles: ['local/polyfills.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
