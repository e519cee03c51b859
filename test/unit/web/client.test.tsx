import { describe, expect, it } from 'vitest';
import { ApiError, createApi, unwrap, whoAmI } from '../../../src/web/api/client';
import { json, mockFetch, problem } from './fetch-mock';

const BASE = 'http://dashboard.test';

describe('whoAmI', () => {
  it('takes the role from GET /api/v1/me', async () => {
    const calls = mockFetch({ 'GET /api/v1/me': json(200, { keyId: 'k1', name: 'ops', role: 'viewer' }) });
    expect(await whoAmI('sp_key', BASE)).toEqual({ role: 'viewer', keyId: 'k1' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.get('authorization')).toBe('Bearer sp_key');
  });

  it('fails on an answer without a known role', async () => {
    mockFetch({ 'GET /api/v1/me': json(200, { keyId: 'k1', role: 'root' }) });
    await expect(whoAmI('sp_key', BASE)).rejects.toBeInstanceOf(ApiError);
  });

  it('fails with 401 for a key the platform does not know', async () => {
    mockFetch({ 'GET /api/v1/me': problem(401, 'UNAUTHORIZED', 'unknown key') });
    await expect(whoAmI('sp_bad', BASE)).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });
});

describe('typed client', () => {
  it('sends the key and turns problem+json into an ApiError', async () => {
    const calls = mockFetch({ 'GET /api/v1/stores/nope': problem(404, 'STORE_NOT_FOUND', "store 'nope' does not exist") });
    let unauthorized = 0;
    const api = createApi('sp_key', { baseUrl: BASE, onUnauthorized: () => unauthorized++ });
    const err = await unwrap(api.GET('/api/v1/stores/{id}', { params: { path: { id: 'nope' } } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'STORE_NOT_FOUND', message: "store 'nope' does not exist" });
    expect(calls[0]!.headers.get('authorization')).toBe('Bearer sp_key');
    expect(unauthorized).toBe(0);
  });

  it('signs out on a 401 (a key revoked during the session)', async () => {
    mockFetch({ 'GET /api/v1/audit': problem(401, 'UNAUTHORIZED', 'the API key is unknown or revoked') });
    let unauthorized = 0;
    const api = createApi('sp_key', { baseUrl: BASE, onUnauthorized: () => unauthorized++ });
    await expect(unwrap(api.GET('/api/v1/audit', { params: { query: { limit: 10 } } }))).rejects.toMatchObject({ status: 401 });
    expect(unauthorized).toBe(1);
  });
});
