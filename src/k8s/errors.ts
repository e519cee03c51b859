import { ApiException } from '@kubernetes/client-node';
import { AppError } from '../errors.js';

/** Network-level failures that mean "the API server is not reachable right now". */
const TRANSIENT_NET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH',
  'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export interface ObjectRef {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

/** `Kind ns/name` for messages and logs. */
export function describeObject(obj: ObjectRef | undefined): string {
  if (!obj) return 'request';
  const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj.kind ?? 'Object'} ${ns}${obj.metadata?.name ?? '?'}`;
}

/**
 * A failed Kubernetes API call, classified. `transient` failures (409 Conflict, 429, 5xx, connection
 * errors) are retried with backoff; the rest fail the step with the API server's own message.
 */
export class KubeApiError extends AppError {
  public readonly code = 'KUBERNETES_API_ERROR';
  /** HTTP status from the API server; 0 when it was not reached at all. */
  public readonly status: number;
  /** The API server's `reason` (e.g. `AlreadyExists`, `Invalid`, `Forbidden`), or the socket error code. */
  public readonly reason: string;
  public readonly transient: boolean;
  /** From a Retry-After header, when the server sent one. */
  public readonly retryAfterMs: number | undefined;

  public constructor(
    message: string,
    init: { status: number; reason: string; transient: boolean; retryAfterMs?: number },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.status = init.status;
    this.reason = init.reason;
    this.transient = init.transient;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** The HTTP status this error maps to on the platform's own API. */
  public override get statusCode(): number {
    return this.transient ? 503 : 502;
  }

  /** Classifies any error thrown by @kubernetes/client-node (or the fetch below it). */
  public static from(err: unknown, obj?: ObjectRef): KubeApiError {
    if (err instanceof KubeApiError) return err;
    const what = describeObject(obj);
    if (err instanceof ApiException) {
      const status = parseStatus(err.body);
      const code = err.code;
      const reason = status.reason ?? (code === 429 ? 'TooManyRequests' : code >= 500 ? 'ServerError' : 'Unknown');
      const message = status.message ?? `HTTP ${code}`;
      const transient = isTransientStatus(code, reason) || isTransientMessage(message);
      return new KubeApiError(`${what}: ${message}`, {
        status: code, reason, transient, retryAfterMs: parseRetryAfter(headerOf(err.headers, 'retry-after')),
      }, { cause: err });
    }
    // a client-side deadline (KubeClients.bounded) aborted the request before the API server answered
    if (isAbortError(err)) {
      return new KubeApiError(`${what}: no answer from the API server before the client deadline`, {
        status: 0, reason: 'Timeout', transient: true,
      }, { cause: err });
    }
    const netCode = networkCodeOf(err);
    if (netCode) {
      return new KubeApiError(`${what}: API server unreachable (${netCode})`, {
        status: 0, reason: netCode, transient: true,
      }, { cause: err });
    }
    const message = err instanceof Error ? err.message : String(err);
    return new KubeApiError(`${what}: ${message}`, { status: 0, reason: 'ClientError', transient: false }, { cause: err });
  }
}

/** 409 Conflict (stale resourceVersion), 429, 5xx are worth retrying; AlreadyExists and other 4xx are not. */
export function isTransientStatus(code: number, reason?: string): boolean {
  if (code === 409) return reason === 'Conflict';
  return code === 429 || code >= 500;
}

/**
 * Refusals that clear on their own: in a brand-new namespace the service-account controller has not
 * created `default` yet, or the quota controller has not filled in the quota's status; and a quota
 * refusal the quota controller may still correct (see isCorrectableQuotaRefusal).
 */
export function isTransientMessage(message: string): boolean {
  return /serviceaccount "?default"? not found/i.test(message) || /status unknown for quota/i.test(message)
    || isCorrectableQuotaRefusal(message);
}

/**
 * `exceeded quota: <name>, requested: a=1,b=2Gi, used: a=8,b=4Gi, limited: a=8,b=5Gi` is worth
 * retrying unless the object alone asks for more than the limit. Usage can be over-charged for a while:
 * admission charges the quota before the object is stored, so an API server that dies in between
 * (or a create that failed after admission) leaves usage the quota controller only recounts later,
 * and pods that are terminating still count. An object bigger than the limit never fits.
 */
export function isCorrectableQuotaRefusal(message: string): boolean {
  const m = /exceeded quota: [^,]+, requested: (\S+), used: \S+, limited: (\S+)/.exec(message);
  if (!m) return false;
  const requested = resourceList(m[1]!);
  const limited = resourceList(m[2]!);
  for (const [resource, asked] of requested) {
    const limit = limited.get(resource);
    if (limit !== undefined && asked > limit) return false;
  }
  return true;
}

/** `a=1,b=2Gi` as resource → amount; amounts that do not parse are left out. */
function resourceList(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pair of text.replace(/[.,;]+$/, '').split(',')) {
    const at = pair.lastIndexOf('=');
    const amount = parseQuantity(pair.slice(at + 1));
    if (at > 0 && amount !== undefined) out.set(pair.slice(0, at), amount);
  }
  return out;
}

const QUANTITY_SUFFIX: Readonly<Record<string, number>> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A Kubernetes quantity (`500m`, `2Gi`, `1e3`) as a number; undefined when it does not parse. */
export function parseQuantity(text: string): number | undefined {
  const m = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)([a-zA-Z]{0,2})$/.exec(text.trim());
  if (!m) return undefined;
  const factor = QUANTITY_SUFFIX[m[2]!];
  return factor === undefined ? undefined : Number(m[1]) * factor;
}

/** An object of the same name exists but does not carry this store's labels: never adopt it. */
export class ForeignObjectError extends AppError {
  public readonly code = 'FOREIGN_OBJECT';
}

interface StatusBody { reason?: string; message?: string }

/** client-node hands back the body as a string, a parsed object or a Buffer depending on the path taken. */
export function parseStatus(body: unknown): StatusBody {
  let value: unknown = body;
  if (value instanceof Uint8Array) value = Buffer.from(value).toString('utf8');
  if (typeof value === 'string') {
    const text = value.trim();
    try {
      value = JSON.parse(text);
    } catch {
      return { message: text === '' ? undefined : text.slice(0, 500) };
    }
  }
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    return {
      reason: typeof v.reason === 'string' && v.reason !== '' ? v.reason : undefined,
      message: typeof v.message === 'string' && v.message !== '' ? v.message : undefined,
    };
  }
  return {};
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** node-fetch's AbortError, or the DOMException an aborted AbortSignal raises. */
function isAbortError(err: unknown): boolean {
  const name = err && typeof err === 'object' ? (err as { name?: unknown }).name : undefined;
  return name === 'AbortError' || name === 'TimeoutError';
}

function networkCodeOf(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 4 && cur && typeof cur === 'object'; depth++) {
    const e = cur as { code?: unknown; errno?: unknown; type?: unknown; name?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && TRANSIENT_NET_CODES.has(e.code)) return e.code;
    if (typeof e.errno === 'string' && TRANSIENT_NET_CODES.has(e.errno)) return e.errno;
    // node-fetch reports socket failures as FetchError type 'system'; a request timeout as 'request-timeout'
    if (e.name === 'FetchError' && (e.type === 'system' || e.type === 'request-timeout')) {
      return typeof e.code === 'string' ? e.code : 'FetchError';
    }
    cur = e.cause;
  }
  return undefined;
}
