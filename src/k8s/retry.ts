import { AppError } from '../errors.js';
import { KubeApiError } from './errors.js';

/** Capped exponential backoff with jitter; the only throttle in front of the API server besides the queue. */
export interface RetryPolicy {
  /** First delay. */
  readonly baseMs: number;
  /** Ceiling for any single delay (Retry-After included). */
  readonly maxMs: number;
  /** Give up after this many attempts; unbounded (until the step deadline) when absent. */
  readonly maxAttempts?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ baseMs: 200, maxMs: 5_000 });

/**
 * Delay before attempt `attempt + 1`, after `attempt` failures (1-based). "Equal jitter": half the
 * capped exponential delay is fixed, half random, so retries spread out but never collapse to zero.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30));
  const capped = Math.min(policy.maxMs, exp);
  return Math.round(capped / 2 + random() * (capped / 2));
}

/** Honours the server's Retry-After (capped at maxMs) over our own schedule when it is longer. */
export function retryDelay(err: KubeApiError, attempt: number, policy: RetryPolicy, random?: () => number): number {
  const own = backoffDelay(attempt, policy, random);
  if (err.retryAfterMs === undefined) return own;
  return Math.min(policy.maxMs, Math.max(own, err.retryAfterMs));
}

/** Why work stopped before it finished: not a failure of the store. */
export class CancelledError extends Error {
  public constructor(public readonly why: 'shutdown' | 'delete' | 'undelete' | 'timeout') {
    super(`cancelled (${why})`);
    this.name = 'CancelledError';
  }
}

/** Abortable sleep; rejects with the signal's reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A transient failure is about to be retried; the provisioner records it on the timeline. */
export type OnRetry = (err: KubeApiError, attempt: number, delayMs: number) => void;

/**
 * How one call to the cluster is made: the retry policy, the abort signal, the step deadline and the
 * retry callback. Every function of src/k8s that talks to the API server takes one.
 */
export interface CallOptions {
  readonly policy: RetryPolicy;
  readonly signal?: AbortSignal;
  /** Epoch ms after which no further attempt starts (a step's deadline, or an API request's). */
  readonly deadline?: number;
  /** Called before each wait. */
  readonly onRetry?: OnRetry;
  readonly random?: () => number;
  readonly now?: () => number;
}

/**
 * Runs `fn` until it succeeds, a permanent error occurs, attempts run out or the deadline passes.
 * Every error leaves as a KubeApiError (or the abort reason).
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: CallOptions): Promise<T> {
  const now = opts.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (raw) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (!(raw instanceof KubeApiError) && !isKubeFailure(raw)) throw raw;
      const err = KubeApiError.from(raw);
      if (!err.transient) throw err;
      if (opts.policy.maxAttempts !== undefined && attempt >= opts.policy.maxAttempts) {
        throw new KubeApiError(`gave up after ${attempt} attempts: ${err.message}`, err, { cause: err });
      }
      const delay = retryDelay(err, attempt, opts.policy, opts.random);
      if (opts.deadline !== undefined && now() + delay > opts.deadline) {
        throw new KubeApiError(`gave up after ${attempt} attempts (deadline): ${err.message}`, err, { cause: err });
      }
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay, opts.signal);
    }
  }
}

/**
 * Errors that come from talking to Kubernetes. Our own verdicts (AppError subclasses such as
 * ForeignObjectError) and programming errors pass through untouched.
 */
function isKubeFailure(err: unknown): boolean {
  if (err instanceof AppError || err instanceof CancelledError) return false;
  // undici reports socket failures as TypeError('fetch failed') with the socket error as cause
  if (err instanceof TypeError) return err.cause !== undefined;
  return !(err instanceof RangeError) && !(err instanceof SyntaxError);
}
