import type { KubeClients } from './client.js';
import type { CallOptions, RetryPolicy } from './retry.js';

/** How long an API request may wait on the cluster, and how it retries meanwhile. */
export interface InteractiveLimits {
  readonly policy: RetryPolicy;
  /** The client-side deadline of the whole piece of work, in ms. */
  readonly timeoutMs: number;
  /** @default 3 */
  readonly maxAttempts?: number;
}

/** Clients and call options for one piece of interactive work. */
export interface Interactive {
  /** Every request these make is aborted at the deadline. */
  readonly kube: KubeClients;
  /** No retry starts after the deadline. */
  readonly call: CallOptions;
}

/**
 * Kubernetes calls made while an API request waits on the answer (health, logs, credentials,
 * restart, password reset): a blip is retried, and an API server that does not answer (etcd away: it
 * holds each request for 60 s) fails the whole piece of work by `timeoutMs`, which the API answers
 * with 503.
 */
export function interactive(kube: KubeClients, limits: InteractiveLimits, now = Date.now()): Interactive {
  const deadline = now + limits.timeoutMs;
  const maxAttempts = Math.min(limits.policy.maxAttempts ?? Number.POSITIVE_INFINITY, limits.maxAttempts ?? 3);
  return { kube: kube.bounded({ deadline }), call: { policy: { ...limits.policy, maxAttempts }, deadline } };
}
