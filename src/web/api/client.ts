import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Store = Schemas['Store'];
export type StoreStatus = Schemas['StoreStatus'];
export type StoreEvent = Schemas['StoreEvent'];
export type StoreHealth = Schemas['StoreHealth'];
export type StoreLogs = Schemas['StoreLogs'];
export type AuditEntry = Schemas['AuditEntry'];
export type PasswordReset = Schemas['PasswordReset'];
export type RestartResult = Schemas['RestartResult'];
export type Engine = Schemas['Engine'];
export type CreateStore = Schemas['CreateStoreInput'];
export type Problem = Schemas['Problem'];
export type Owner = Schemas['Owner'];
export type Backup = Schemas['Backup'];
export type Restore = Schemas['Restore'];
export type ApiKey = Schemas['ApiKey'];
export type CreatedApiKey = Schemas['CreatedApiKey'];
export type Role = 'admin' | 'owner' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'owner', 'viewer'];
/** The header a platform admin acts for an owner with. */
export const OWNER_HEADER = 'x-owner';

export const STORE_STATUSES: readonly StoreStatus[] = ['Pending', 'Provisioning', 'Ready', 'Upgrading', 'Restoring', 'Suspending', 'Suspended', 'Resuming', 'Failed', 'Deleting', 'Deleted'];

/** A failed API call, carrying the RFC 9457 problem the server sent (or one made up for a network error). */
export class ApiError extends Error {
  public readonly status: number;
  public readonly problem: Problem;
  public constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
  public get code(): string {
    return this.problem.code;
  }
}

/** Turns a non-2xx response body (problem+json, anything else, or nothing) into an ApiError. */
export function toApiError(status: number, body: unknown, statusText = ''): ApiError {
  if (typeof body === 'object' && body !== null && 'code' in body && 'title' in body) {
    return new ApiError({ ...(body as Problem), status });
  }
  return new ApiError({ type: 'about:blank', title: statusText || `HTTP ${status}`, status, code: `HTTP_${status}`, detail: typeof body === 'string' && body ? body : undefined });
}

export type ApiClient = Client<paths>;

/** A typed client for /api/v1 (paths and bodies come from the saved OpenAPI document). */
export function createApi(key: string, opts: { baseUrl?: string; onUnauthorized?: () => void; owner?: string | undefined } = {}): ApiClient {
  const client = createClient<paths>({ baseUrl: opts.baseUrl || globalThis.location?.origin || '' });
  client.use({
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${key}`);
      // a platform admin acting for one owner: every call is scoped like that owner's own keys
      if (opts.owner !== undefined) request.headers.set(OWNER_HEADER, opts.owner);
      return request;
    },
    onResponse({ response }) {
      // a key revoked mid-session: back to the sign-in form
      if (response.status === 401) opts.onUnauthorized?.();
      return undefined;
    },
  });
  return client;
}

/** The data of an openapi-fetch result, or its problem thrown as an ApiError. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result;
  try {
    result = await call;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'NETWORK', detail: 'the platform did not answer; check your connection' });
  }
  const { data, error, response } = result;
  if (!response.ok) throw toApiError(response.status, error, response.statusText);
  return data as T;
}

export interface Identity {
  readonly role: Role;
  /** Key id when the server reports it. */
  readonly keyId?: string;
}

/** Who the key belongs to (`GET /api/v1/me`). Throws ApiError 401 for an unknown or revoked key. */
export async function whoAmI(key: string, baseUrl = ''): Promise<Identity> {
  const origin = baseUrl || globalThis.location?.origin || '';
  let me: Response;
  try {
    me = await fetch(`${origin}/api/v1/me`, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } });
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'NETWORK', detail: 'the platform did not answer' });
  }
  const body = (await me.json().catch(() => undefined)) as { role?: unknown; keyId?: unknown } | undefined;
  if (!me.ok) throw toApiError(me.status, body, me.statusText);
  const role = ROLES.find((r) => r === body?.role);
  if (role === undefined) throw toApiError(502, undefined, 'unexpected answer from /api/v1/me');
  return typeof body?.keyId === 'string' ? { role, keyId: body.keyId } : { role };
}
