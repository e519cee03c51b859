import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../../../constructs/index.js';
import { sleep } from './stats.js';

export function kubeConfigFrom(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/**
 * Deletes every store namespace (both the platform's and kubectl's carry the platform's labels) and
 * waits until the API server reports them gone, so each run starts from the same empty cluster.
 */
export async function deleteStoreNamespaces(kubeconfig: string, timeoutMs: number, log: (m: string) => void, wait = true): Promise<number> {
  const core = kubeConfigFrom(kubeconfig).makeApiClient(CoreV1Api);
  const labelSelector = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
  const t0 = Date.now();
  const initial = await core.listNamespace({ labelSelector });
  const names = initial.items.map((n) => n.metadata!.name!);
  for (const name of names) {
    try {
      await core.deleteNamespace({ name, propagationPolicy: 'Foreground' });
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  for (;;) {
    if (!wait) break;
    const left = (await core.listNamespace({ labelSelector })).items.length;
    if (left === 0) break;
    if (Date.now() - t0 > timeoutMs) {
      log(`cleanup: ${left} store namespaces still terminating after ${Math.round(timeoutMs / 1000)} s; continuing`);
      break;
    }
    await sleep(500);
  }
  if (names.length > 0) log(`cleanup: deleted ${names.length} store namespaces in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return names.length;
}
