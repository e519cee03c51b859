import {
  AppsV1Api, BatchV1Api, CoreV1Api, makeInformer,
  type Informer, type KubeConfig, type KubernetesListObject, type KubernetesObject, type ObjectCache,
} from '@kubernetes/client-node';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../../constructs/labels.js';

/** An object the engine waits on, by kind, namespace and name. */
export interface WatchedRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface ChangeFeedOptions {
  /** Wait before re-starting a watch that failed (API server away, connection cut). @default 1000 */
  readonly restartDelayMs?: number;
}

/** Told when a kind's watch fails and when it is back, for the log. */
export type OnWatchState = (kind: string, state: 'failed' | 'watching', err?: unknown) => void;

interface Kind {
  readonly path: string;
  readonly list: (kc: KubeConfig, labelSelector: string) => Promise<KubernetesListObject<KubernetesObject>>;
}

// The kinds whose readiness rules the engine waits on (constructs/readiness.ts), cluster-wide and only
// the platform's own objects (its label), so one watch per kind serves every store.
const KINDS: Readonly<Record<string, Kind>> = {
  Namespace: { path: '/api/v1/namespaces', list: (kc, labelSelector) => kc.makeApiClient(CoreV1Api).listNamespace({ labelSelector }) },
  ResourceQuota: { path: '/api/v1/resourcequotas', list: (kc, labelSelector) => kc.makeApiClient(CoreV1Api).listResourceQuotaForAllNamespaces({ labelSelector }) },
  StatefulSet: { path: '/apis/apps/v1/statefulsets', list: (kc, labelSelector) => kc.makeApiClient(AppsV1Api).listStatefulSetForAllNamespaces({ labelSelector }) },
  Deployment: { path: '/apis/apps/v1/deployments', list: (kc, labelSelector) => kc.makeApiClient(AppsV1Api).listDeploymentForAllNamespaces({ labelSelector }) },
  Job: { path: '/apis/batch/v1/jobs', list: (kc, labelSelector) => kc.makeApiClient(BatchV1Api).listJobForAllNamespaces({ labelSelector }) },
};

/**
 * Cuts a watched object down to what the readiness rules read (metadata.generation, spec.replicas and
 * spec.hard, status). The informer caches the very object it hands its handlers, so this keeps its
 * cache small: with a thousand stores, managed fields and pod templates were most of the platform's heap.
 */
function slim(obj: KubernetesObject): void {
  const o = obj as KubernetesObject & { spec?: Record<string, unknown> };
  if (o.metadata) {
    delete o.metadata.managedFields;
    delete o.metadata.annotations;
    delete o.metadata.ownerReferences;
  }
  if (o.spec) {
    delete o.spec.template;
    delete o.spec.volumeClaimTemplates;
  }
}

const keyOf = (kind: string, namespace: string | undefined, name: string): string => `${kind}/${namespace ?? ''}/${name}`;

/**
 * Readiness by watch rather than by poll: one list+watch per kind the engine waits on wakes the waiters
 * of an object when it changes, so a step that waits a minute for MariaDB reads its StatefulSet a few
 * times instead of every second. The watch is only a wake-up call: readiness is still judged on a fresh
 * read, so a cache one event behind can never call a step ready early. While a kind's watch is down
 * (not started yet, API server restarting, 410 Gone being re-listed) `watching` is false and waiters
 * fall back to polling. client-node's ListWatch re-lists by itself on 410 and re-watches when the server
 * ends a watch; any other failure stops it, so it is restarted here after a pause.
 */
export class ChangeFeed {
  readonly #kc: KubeConfig;
  readonly #restartDelayMs: number;
  #onState: OnWatchState | undefined;
  readonly #informers = new Map<string, Informer<KubernetesObject> & ObjectCache<KubernetesObject>>();
  readonly #healthy = new Set<string>();
  readonly #waiters = new Map<string, Set<(why?: 'changed') => void>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #running = false;

  public constructor(kc: KubeConfig, opts: ChangeFeedOptions = {}) {
    this.#kc = kc;
    this.#restartDelayMs = opts.restartDelayMs ?? 1_000;
  }

  /** Starts every kind's watch; resolves once each has listed (or failed, and will retry). Never rejects. */
  public async start(onState?: OnWatchState): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#onState = onState;
    const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
    await Promise.all(Object.entries(KINDS).map(async ([kind, k]) => {
      const informer = makeInformer(this.#kc, k.path, () => k.list(this.#kc, selector), selector);
      const wake = (obj: KubernetesObject) => this.#wake(keyOf(kind, obj.metadata?.namespace, obj.metadata?.name ?? ''));
      for (const verb of ['add', 'update'] as const) informer.on(verb, (obj) => { slim(obj); wake(obj); });
      informer.on('delete', wake);
      informer.on('error', (err) => {
        this.#healthy.delete(kind);
        this.#onState?.(kind, 'failed', err);
        // every waiter of this kind polls again rather than sleep through the gap
        for (const key of this.#waiters.keys()) if (key.startsWith(`${kind}/`)) this.#wake(key);
        this.#later(() => void this.#run(kind, informer));
      });
      this.#informers.set(kind, informer);
      await this.#run(kind, informer);
    }));
  }

  public async stop(): Promise<void> {
    this.#running = false;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await Promise.all([...this.#informers.values()].map((i) => i.stop()));
    this.#informers.clear();
    this.#healthy.clear();
  }

  /** True while the kind's watch is listed and connected: a change to one of its objects will be heard. */
  public watching(kind: string): boolean {
    return this.#healthy.has(kind);
  }

  /** Every kind this feed watches, and whether its watch is up now (for /metrics). */
  public states(): Readonly<Record<string, boolean>> {
    return Object.fromEntries(Object.keys(KINDS).map((kind) => [kind, this.#healthy.has(kind)]));
  }

  /**
   * The watch's copy of the object while its kind is watched (undefined when it is not, or the object is
   * absent). It may be an event behind the API server: good for "still waiting", never for "ready".
   */
  public cached(ref: WatchedRef): KubernetesObject | undefined {
    if (!this.watching(ref.kind)) return undefined;
    return this.#informers.get(ref.kind)?.get(ref.name, ref.namespace);
  }

  /**
   * Resolves 'changed' at the next change of `ref` (or when its watch fails), 'quiet' after `maxWaitMs`
   * without one. Arm it before reading the object, so a change between the read and the wait is not missed.
   */
  public nextChange(ref: WatchedRef, maxWaitMs: number, signal?: AbortSignal): { readonly changed: Promise<'changed' | 'quiet'>; cancel(): void } {
    const key = keyOf(ref.kind, ref.namespace, ref.name);
    let done!: (why: 'changed' | 'quiet') => void;
    const changed = new Promise<'changed' | 'quiet'>((resolve) => { done = resolve; });
    const timer = setTimeout(() => finish('quiet'), maxWaitMs);
    const onAbort = () => finish('quiet');
    const finish = (why: 'changed' | 'quiet' = 'changed') => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const set = this.#waiters.get(key);
      set?.delete(finish);
      if (set?.size === 0) this.#waiters.delete(key);
      done(why);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let set = this.#waiters.get(key);
    if (!set) this.#waiters.set(key, (set = new Set()));
    set.add(finish);
    return { changed, cancel: () => finish('quiet') };
  }

  async #run(kind: string, informer: Informer<KubernetesObject>): Promise<void> {
    if (!this.#running) return;
    // start() resolves once the list is in and the watch is open, or after reporting an error
    let failed = false;
    const onError = () => { failed = true; };
    informer.on('error', onError);
    try {
      await informer.start();
    } catch (err) {
      failed = true;
      this.#onState?.(kind, 'failed', err);
      this.#later(() => void this.#run(kind, informer));
    } finally {
      informer.off('error', onError);
    }
    if (!failed && this.#running) {
      this.#healthy.add(kind);
      this.#onState?.(kind, 'watching');
    }
  }

  #later(fn: () => void): void {
    if (!this.#running) return;
    const t = setTimeout(() => { this.#timers.delete(t); fn(); }, this.#restartDelayMs);
    this.#timers.add(t);
  }

  #wake(key: string): void {
    const set = this.#waiters.get(key);
    if (set) for (const finish of [...set]) finish();
  }
}
