import { defineConfig } from 'vitest/config';

// The real-cluster end-to-end test: a kind, k3d, minikube or k3s cluster with the platform installed by the
// Helm chart and an ingress controller (README.md, "Running on a real cluster"). Skipped unless E2E_REAL_CLUSTER is set.
//   E2E_REAL_CLUSTER=1 npx vitest run --config test/e2e-real/vitest.config.ts
export default defineConfig({
  test: {
    include: ['test/e2e-real/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30 * 60_000,
    hookTimeout: 10 * 60_000,
    fileParallelism: false,
  },
});
