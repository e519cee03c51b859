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
 * Refusals that clear on their own in a brand-new namespace: the service-account controller has not
 * created `default` yet, or the quota controller has not filled in the quota's status.
 */
export function isTransientMessage(message: string): boolean {
  return /serviceaccount "?default"? not found/i.test(message) || /status unknown for quota/i.test(message);
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
