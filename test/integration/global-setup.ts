import { down, readState, up, isHealthy } from '../../infra/cluster/cluster.js';

/**
 * Reuses a running simulated cluster (npm run cluster:up, the demo, .ci/run) or starts one for
 * this run and stops it afterwards. With KUBECONFIG set, runs against that cluster instead.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.KUBECONFIG) return undefined;
  const existing = readState();
  if (existing && (await isHealthy(existing))) return undefined;
  const say = (m: string): void => console.log(`[cluster] ${m}`);
  await up(say);
  return async () => down(say);
}
