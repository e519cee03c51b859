import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Projects: `unit` and `web` are pure and fast and run first; then `integration` against the
// simulated cluster (a real kube-apiserver), which its global setup reuses or starts; then `e2e`,
// the dashboard in headless Chromium. groupOrder runs the groups one after another.
export default defineConfig({
  test: {
    // before any project: every prerequisite checked (one line naming what is missing), then every
    // binary of infra/cluster/build.sh built once; projects with `extends: true` inherit it, it runs once
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // the cluster is shared; a couple of files at a time keeps a 2-core machine responsive
          maxWorkers: 2,
          fileParallelism: true,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // the dashboard's components (src/web) in a simulated DOM
        plugins: [react()],
        test: {
          name: 'web',
          include: ['test/unit/web/**/*.test.tsx'],
          environment: 'happy-dom',
          environmentOptions: { happyDOM: { url: 'http://dashboard.test/' } },
          setupFiles: ['test/unit/web/setup.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          // the built dashboard in headless Chromium against the platform on the simulated cluster
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts', 'test/e2e/global-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        test: {
          // real pods on the cluster's real node (kubelet + containerd): what runs inside a store
          name: 'real',
          include: ['test/real/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 300_000,
          // a missing stand-in image is built first (minutes, once per tag)
          hookTimeout: 1_800_000,
          // one real node on two cores: one file at a time
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
