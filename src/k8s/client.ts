import {
  AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, VersionApi,
} from '@kubernetes/client-node';
import { Agent as HttpsAgent } from 'node:https';
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

/**
 * @kubernetes/client-node builds a new https.Agent for every request, so every call pays a full TLS
 * handshake (most of the engine's CPU under load). Reuse one keep-alive agent for as long as the TLS
 * material is the same; credential plugins that rotate client certificates get a fresh agent, and
 * auth headers are still set per request.
 */
function reuseTlsConnections(kc: KubeConfig): void {
  const apply = kc.applySecurityAuthentication.bind(kc);
  let shared: { agent: HttpsAgent; identity: string } | undefined;
  kc.applySecurityAuthentication = async (ctx) => {
    await apply(ctx);
    const agent = ctx.getAgent();
    if (!(agent instanceof HttpsAgent)) return; // proxy and plain-http agents stay as built
    const o = agent.options;
    const identity = [o.ca, o.cert, o.key, o.pfx, o.passphrase, o.servername, o.rejectUnauthorized].map(String).join('\0');
    if (shared?.identity !== identity) {
      shared?.agent.destroy();
      shared = { agent: new HttpsAgent({ ...o, keepAlive: true, maxSockets: 64 }), identity };
    }
    ctx.setAgent(shared.agent);
  };
}

export function kubeClientsFrom(kc: KubeConfig): KubeClients {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  reuseTlsConnections(kc);
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
