import { defineConfig } from 'vitest/config';

// The stand-in images' contract tests (test/real/images), runnable before the `real` project
// exists: `npx vitest run --config test/real/vitest.images.config.ts`. Root, runc and umoci needed.
export default defineConfig({
  test: {
    include: ['test/real/images/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    // a missing archive is built first (minutes, once per tag)
    hookTimeout: 1_800_000,
    // builds and servers on a 2-core machine: one file at a time
    fileParallelism: false,
  },
});
