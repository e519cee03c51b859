import type { TestProject } from 'vitest/node';
import { down, readState, up, isHealthy } from '../../infra/cluster/cluster.js';

/**
 * Reuses a running simulated cluster (npm run cluster:up, the demo, .ci/run) or starts one for
 * this run and stops it afterwards. With KUBECONFIG set, runs against that cluster instead.
 * When the `real` project is selected the cluster must have its real node (started here if needed).
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.KUBECONFIG) return undefined;
  const realNode = project.vitest.projects.some((p) => p.name === 'real');
  const existing = readState();
  if (existing && (await isHealthy(existing))) {
    if (realNode && !existing.realNode) {
      throw new Error('the running simulated cluster has no real node, which the `real` tests need: npm run cluster:down, then npm run cluster:up -- --real-node');
    }
    return undefined;
  }
  const say = (m: string): void => console.log(`[cluster] ${m}`);
  await up(say, {}, undefined, { realNode });
  return async () => down(say);
}
