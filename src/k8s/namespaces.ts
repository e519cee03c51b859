import type { KubeClients } from './client.js';
import { isOwned, readIfExists } from './apply.js';
import { KubeApiError } from './errors.js';
import { StepTimeoutError } from './readiness.js';
import { backoffDelay, sleep, withRetry, type CallOptions } from './retry.js';

/** What a namespace looks like to the platform: enough to decide ownership and deletion. */
export interface NamespaceState {
  readonly labels: Readonly<Record<string, string>>;
  /** Set once a delete was accepted; the namespace controller is emptying it. */
  readonly terminating: boolean;
}

export type NamespaceDeleteResult = 'deleted' | 'absent' | 'foreign';

export interface DeleteNamespaceOptions {
  readonly name: string;
  /** Labels that prove the namespace is ours; a namespace without them is left alone. */
  readonly owner: Readonly<Record<string, string>>;
  /** How long the namespace controller may take; StepTimeoutError after it. */
  readonly timeoutSeconds: number;
}

const ref = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

/** The namespace, or undefined when it does not exist. */
export async function readNamespace(kube: KubeClients, name: string, call: CallOptions): Promise<NamespaceState | undefined> {
  const ns = await withRetry(() => readIfExists(kube.objects, ref(name)), call);
  if (!ns) return undefined;
  return { labels: ns.metadata?.labels ?? {}, terminating: ns.metadata?.deletionTimestamp !== undefined };
}

/**
 * Deletes a namespace with foreground propagation and waits until the API server reports it gone:
 * the one delete path for deleting a store and tearing down a failed one.
 */
export async function deleteNamespaceAndWait(kube: KubeClients, opts: DeleteNamespaceOptions, call: CallOptions): Promise<NamespaceDeleteResult> {
  const deadline = Date.now() + opts.timeoutSeconds * 1000;
  const bounded: CallOptions = { ...call, deadline };
  const ns = await readNamespace(kube, opts.name, call);
  if (!ns) return 'absent';
  if (!isOwned(ns.labels, opts.owner)) return 'foreign';
  if (!ns.terminating) {
    await withRetry(async () => {
      try {
        await kube.objects.delete(ref(opts.name), undefined, undefined, undefined, undefined, 'Foreground');
      } catch (err) {
        const e = KubeApiError.from(err, ref(opts.name));
        if (e.status !== 404) throw e;
      }
    }, bounded);
  }
  for (let i = 1; ; i++) {
    const still = await withRetry(() => readIfExists(kube.objects, ref(opts.name)), bounded);
    if (!still) return 'deleted';
    if (Date.now() >= deadline) throw new StepTimeoutError(`namespace ${opts.name} still terminating after ${opts.timeoutSeconds}s`);
    await sleep(Math.min(backoffDelay(i, { baseMs: 200, maxMs: 2_000 }, () => 1), Math.max(0, deadline - Date.now())), call.signal);
  }
}
