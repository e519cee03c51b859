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
export type CreateStore = Schemas['CreateStoreInput'];
export type Problem = Schemas['Problem'];
export type Role = 'admin' | 'viewer';

export const STORE_STATUSES: readonly StoreStatus[] = ['Pending', 'Provisioning', 'Ready', 'Failed', 'Deleting', 'Deleted'];

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
export function createApi(key: string, opts: { baseUrl?: string; onUnauthorized?: () => void } = {}): ApiClient {
  const client = createClient<paths>({ baseUrl: opts.baseUrl || globalThis.location?.origin || '' });
  client.use({
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${key}`);
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

/**
 * Who the key belongs to. Uses `GET /api/v1/me` when the server has it; otherwise asks for a
 * credentials read of an invalid store id: the role check runs before validation, so a viewer key
 * gets 403 and an admin key 400 (no store is read). Throws ApiError 401 for an unknown key.
 */
export async function whoAmI(key: string, baseUrl = ''): Promise<Identity> {
  const origin = baseUrl || globalThis.location?.origin || '';
  const headers = { authorization: `Bearer ${key}`, accept: 'application/json' };
  const get = async (path: string): Promise<Response> => {
    try {
      return await fetch(origin + path, { headers });
    } catch {
      throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'NETWORK', detail: 'the platform did not answer' });
    }
  };
  const me = await get('/api/v1/me');
  if (me.ok) {
    const body = (await me.json()) as { role?: unknown; keyId?: unknown; id?: unknown };
    if (body.role === 'admin' || body.role === 'viewer') {
      const keyId = typeof body.keyId === 'string' ? body.keyId : typeof body.id === 'string' ? body.id : undefined;
      return keyId === undefined ? { role: body.role } : { role: body.role, keyId };
    }
  }
  if (me.status === 401) throw toApiError(401, await me.json().catch(() => undefined));
  const probe = await get('/api/v1/stores/~/credentials');
  if (probe.status === 401) throw toApiError(401, await probe.json().catch(() => undefined));
  if (probe.status === 403) return { role: 'viewer' };
  if (probe.status === 400 || probe.status === 404) return { role: 'admin' };
  throw toApiError(probe.status, await probe.json().catch(() => undefined), probe.statusText);
}
