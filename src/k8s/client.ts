import {
  AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, VersionApi,
} from '@kubernetes/client-node';
import { KubeApiError } from './errors.js';

/** Everything the platform uses to talk to one cluster; built once in main.ts and passed down. */
export interface KubeClients {
  readonly kc: KubeConfig;
  /** The one generic client: it caches API discovery, so it must be shared. */
  readonly objects: KubernetesObjectApi;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly batch: BatchV1Api;
  /** API server address, for logs and /readyz messages. */
  readonly server: string;
  /** Resolves when the API server answers within `timeoutMs`; rejects with a KubeApiError otherwise. */
  ping(timeoutMs?: number): Promise<void>;
}

/**
 * Loads credentials from `kubeconfigPath` when given, else the client's default chain: $KUBECONFIG,
 * ~/.kube/config, then the in-cluster service account.
 */
export function createKubeClients(kubeconfigPath?: string): KubeClients {
  const kc = new KubeConfig();
  if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
  else kc.loadFromDefault();
  return kubeClientsFrom(kc);
}

export function kubeClientsFrom(kc: KubeConfig): KubeClients {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const version = kc.makeApiClient(VersionApi);
  return {
    kc,
    objects: KubernetesObjectApi.makeApiClient(kc),
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    server: cluster.server,
    async ping(timeoutMs = 2_000): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new KubeApiError(`API server ${cluster.server} did not answer within ${timeoutMs} ms`, {
          status: 0, reason: 'Timeout', transient: true,
        })), timeoutMs);
      });
      try {
        await Promise.race([version.getCode(), timeout]);
      } catch (err) {
        throw KubeApiError.from(err);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
