import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { isCorrectableQuotaRefusal, isTransientStatus, KubeApiError, parseQuantity, parseRetryAfter, parseStatus } from '../../../src/k8s/errors.js';

const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'store-a' } };
const api = (code: number, body: unknown, headers: Record<string, string> = {}) => new ApiException(code, 'Unsuccessful HTTP Request', body, headers);

describe('KubeApiError.from', () => {
  it.each([
    [409, 'Conflict', true],
    [409, 'AlreadyExists', false],
    [429, 'TooManyRequests', true],
    [500, 'InternalError', true],
    [503, 'ServiceUnavailable', true],
    [504, 'Timeout', true],
    [400, 'BadRequest', false],
    [403, 'Forbidden', false],
    [404, 'NotFound', false],
    [422, 'Invalid', false],
  ])('classifies %i %s as transient=%s', (code, reason, transient) => {
    const err = KubeApiError.from(api(code, JSON.stringify({ kind: 'Status', reason, message: 'm' })), obj);
    expect(err.status).toBe(code);
    expect(err.reason).toBe(reason);
    expect(err.transient).toBe(transient);
  });

  it('keeps the API server message and names the object', () => {
    const err = KubeApiError.from(api(422, JSON.stringify({ reason: 'Invalid', message: 'ConfigMap "x" is invalid: data: Too long' })), obj);
    expect(err.message).toBe('ConfigMap store-a/x: ConfigMap "x" is invalid: data: Too long');
  });

  it('reads bodies given as objects and Buffers', () => {
    expect(KubeApiError.from(api(409, { reason: 'Conflict', message: 'stale' })).transient).toBe(true);
    expect(KubeApiError.from(api(409, Buffer.from(JSON.stringify({ reason: 'Conflict' })))).reason).toBe('Conflict');
  });

  it('treats socket errors, also nested as a cause, as transient', () => {
    const refused = Object.assign(new Error('request failed'), { name: 'FetchError', type: 'system', code: 'ECONNREFUSED' });
    expect(KubeApiError.from(refused).transient).toBe(true);
    const nested = new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
    expect(KubeApiError.from(nested)).toMatchObject({ transient: true, reason: 'ECONNRESET', status: 0 });
  });

  it('treats a missing default service account in a new namespace as transient', () => {
    const err = KubeApiError.from(api(403, JSON.stringify({ reason: 'Forbidden', message: 'pods "p" is forbidden: error looking up service account store-a/default: serviceaccount "default" not found' })));
    expect(err.transient).toBe(true);
  });

  it('retries a quota refusal the object would fit in once usage is recounted, and fails one it can never fit', () => {
    const refusal = (requested: string, used: string, limited: string) => api(403, JSON.stringify({
      reason: 'Forbidden', message: `secrets "s" is forbidden: exceeded quota: store-quota, requested: ${requested}, used: ${used}, limited: ${limited}`,
    }));
    expect(KubeApiError.from(refusal('secrets=1', 'secrets=8', 'secrets=8')).transient).toBe(true);
    expect(KubeApiError.from(refusal('requests.storage=2Gi', 'requests.storage=4Gi', 'requests.storage=5Gi')).transient).toBe(true);
    expect(KubeApiError.from(refusal('requests.storage=8Gi', 'requests.storage=0', 'requests.storage=5Gi')).transient).toBe(false);
    expect(KubeApiError.from(refusal('requests.cpu=1500m,requests.memory=1Gi', 'requests.cpu=0,requests.memory=0', 'requests.cpu=1,requests.memory=2Gi')).transient).toBe(false);
    // a pod that names no limit is refused for good: the quota requires one
    expect(KubeApiError.from(api(403, JSON.stringify({ reason: 'Forbidden', message: 'pods "p" is forbidden: failed quota: store-quota: must specify limits.cpu for: app' }))).transient).toBe(false);
  });

  it('retries a request the client deadline aborted', () => {
    const aborted = Object.assign(new Error('The user aborted a request.'), { name: 'AbortError', type: 'aborted' });
    const err = KubeApiError.from(aborted, obj);
    expect(err).toMatchObject({ transient: true, reason: 'Timeout', status: 0, statusCode: 503 });
    expect(err.message).toMatch(/^ConfigMap store-a\/x: no answer from the API server before the client deadline$/);
  });

  it('fails unknown local errors as permanent', () => {
    expect(KubeApiError.from(new Error('Unrecognized API version and kind: v9 Thing')).transient).toBe(false);
  });

  it('reads Retry-After in seconds and as an HTTP date', () => {
    expect(KubeApiError.from(api(429, '{}', { 'Retry-After': '2' })).retryAfterMs).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('helpers', () => {
  it('parseQuantity reads decimal and binary suffixes and refuses the rest', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2Gi')).toBe(2 * 2 ** 30);
    expect(parseQuantity('1.5k')).toBe(1500);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('8')).toBe(8);
    expect(parseQuantity('2Xi')).toBeUndefined();
    expect(parseQuantity('lots')).toBeUndefined();
  });

  it('isCorrectableQuotaRefusal ignores messages that are not quota refusals', () => {
    expect(isCorrectableQuotaRefusal('pods "p" is forbidden: violates PodSecurity "restricted:latest"')).toBe(false);
  });

  it('isTransientStatus only retries Conflict among 409s', () => {
    expect(isTransientStatus(409, 'Conflict')).toBe(true);
    expect(isTransientStatus(409, 'AlreadyExists')).toBe(false);
  });
  it('parseStatus tolerates plain text', () => {
    expect(parseStatus('upstream connect error')).toEqual({ message: 'upstream connect error' });
    expect(parseStatus('')).toEqual({});
  });
});
