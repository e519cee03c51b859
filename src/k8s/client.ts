import {
  AppsV1Api, BatchV1Api, CoreV1Api, Health, KubeConfig, KubernetesObjectApi,
} from '@kubernetes/client-node';
import { Agent as HttpsAgent } from 'node:https';
import { ChangeFeed } from './change-feed.js';
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
  /** Requests sent to the API server since these clients were built, by HTTP method (for /metrics). */
  requestCounts(): Readonly<Record<string, number>>;
  /** Watches of the kinds readiness waits on; the provisioner starts and stops them. */
  readonly changes: ChangeFeed;
  /**
   * Resolves when the API server reports itself ready (its own /readyz, which checks etcd) within
   * `timeoutMs`; rejects with a KubeApiError otherwise.
   */
  ping(timeoutMs?: number): Promise<void>;
  /**
   * The same clients with a client-side deadline: every request they make is aborted after
   * `requestTimeoutMs`, and any still open at `deadline` (epoch ms) is aborted then. Without one a
   * request waits as long as the API server lets it (60 s per attempt while etcd is away).
   */
  bounded(limits: RequestLimits): KubeClients;
}

export interface RequestLimits {
  /** Epoch ms after which no request stays open. */
  readonly deadline?: number;
  /** The longest any single request may take. */
  readonly requestTimeoutMs?: number;
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

/**
 * Every request client-node sends asks the KubeConfig for its credentials first, once, so counting
 * there counts requests (retries included) without wrapping each API class.
 */
function countRequests(kc: KubeConfig): () => Readonly<Record<string, number>> {
  const counts: Record<string, number> = {};
  const apply = kc.applySecurityAuthentication.bind(kc);
  kc.applySecurityAuthentication = async (ctx) => {
    const method = String(ctx.getHttpMethod());
    counts[method] = (counts[method] ?? 0) + 1;
    await apply(ctx);
  };
  return () => ({ ...counts });
}

export function kubeClientsFrom(kc: KubeConfig): KubeClients {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  reuseTlsConnections(kc);
  return clientsOf(kc, cluster.server, countRequests(kc), new ChangeFeed(kc));
}

function clientsOf(kc: KubeConfig, server: string, requestCounts: () => Readonly<Record<string, number>>, changes: ChangeFeed): KubeClients {
  const health = new Health(kc);
  return {
    kc,
    objects: KubernetesObjectApi.makeApiClient(kc),
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    server,
    requestCounts,
    changes,
    async ping(timeoutMs = 2_000): Promise<void> {
      const timedOut = (): KubeApiError => new KubeApiError(`API server ${server} did not answer within ${timeoutMs} ms`, {
        status: 0, reason: 'Timeout', transient: true,
      });
      // the timer also bounds the credential plugins that run before the request is sent
      const signal = AbortSignal.timeout(timeoutMs);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(timedOut()), timeoutMs); });
      try {
        const ready = await Promise.race([health.readyz({ signal }), timeout]);
        if (!ready) throw new KubeApiError(`API server ${server} reports itself not ready (its /readyz failed)`, { status: 503, reason: 'NotReady', transient: true });
      } catch (err) {
        if (err instanceof KubeApiError) throw err;
        if (signal.aborted) throw timedOut();
        // client-node's health check replaces the socket error with a generic one
        throw new KubeApiError(`API server ${server} unreachable`, { status: 0, reason: 'Unreachable', transient: true }, { cause: err });
      } finally {
        clearTimeout(timer);
      }
    },
    bounded(limits: RequestLimits): KubeClients {
      // A view of the same KubeConfig (credentials, TLS agent, discovery) whose every request carries
      // an abort signal; client-node sends whatever signal the request context holds.
      const view = Object.create(kc) as KubeConfig;
      view.applySecurityAuthentication = async (ctx) => {
        await kc.applySecurityAuthentication(ctx);
        const left = Math.min(limits.requestTimeoutMs ?? Number.POSITIVE_INFINITY, (limits.deadline ?? Number.POSITIVE_INFINITY) - Date.now());
        if (Number.isFinite(left)) ctx.setSignal(left > 0 ? AbortSignal.timeout(left) : AbortSignal.abort());
      };
      return clientsOf(view, server, requestCounts, changes);
    },
  };
}
