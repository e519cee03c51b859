import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ForeignObjectError, KubeApiError } from '../../../src/k8s/errors.js';
import { backoffDelay, CancelledError, retryDelay, withRetry } from '../../../src/k8s/retry.js';

const policy = { baseMs: 100, maxMs: 2_000 };
const status = (code: number, reason: string, headers: Record<string, string> = {}) =>
  new ApiException(code, 'Unsuccessful HTTP Request', JSON.stringify({ kind: 'Status', reason, message: `${reason} happened` }), headers);

describe('backoffDelay', () => {
  it('doubles from the base with the jitter pinned at its ends', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(2, policy, () => 1)).toBe(200);
    expect(backoffDelay(3, policy, () => 1)).toBe(400);
  });

  it('never exceeds the cap and never drops below half of it once capped', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
      const d = backoffDelay(attempt, policy, () => r);
      expect(d).toBeLessThanOrEqual(policy.maxMs);
      expect(d).toBeGreaterThanOrEqual(Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)) / 2);
    }));
  });

  it('honours a longer Retry-After, capped at maxMs', () => {
    const e429 = KubeApiError.from(status(429, 'TooManyRequests', { 'Retry-After': '1' }));
    expect(retryDelay(e429, 1, policy, () => 0)).toBe(1_000);
    const eLong = KubeApiError.from(status(429, 'TooManyRequests', { 'retry-after': '30' }));
    expect(retryDelay(eLong, 1, policy, () => 0)).toBe(2_000);
  });
});

describe('withRetry', () => {
  const fast = { baseMs: 1, maxMs: 2 };

  it('retries transient failures, reports each retry, then succeeds', async () => {
    const seen: number[] = [];
    let calls = 0;
    const out = await withRetry(async () => {
      calls++;
      if (calls === 1) throw status(503, 'ServiceUnavailable');
      if (calls === 2) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { name: 'FetchError', type: 'system', code: 'ECONNREFUSED' });
      if (calls === 3) throw status(409, 'Conflict');
      return 'ok';
    }, { policy: fast, onRetry: (_e, n) => seen.push(n) });
    expect(out).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('fails at once on a validation error with the API server message', async () => {
    let calls = 0;
    const run = withRetry(async () => { calls++; throw status(422, 'Invalid'); }, { policy: fast });
    await expect(run).rejects.toThrow(/Invalid happened/);
    expect(calls).toBe(1);
  });

  it('fails after maxAttempts', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw status(500, 'InternalError'); }, { policy: { ...fast, maxAttempts: 3 } }))
      .rejects.toThrow(/gave up after 3 attempts/);
    expect(calls).toBe(3);
  });

  it('fails when the next wait would pass the deadline', async () => {
    let now = 0;
    await expect(withRetry(async () => { now += 10; throw status(503, 'ServiceUnavailable'); }, {
      policy: { baseMs: 100, maxMs: 100 }, deadline: 50, now: () => now,
    })).rejects.toThrow(/gave up after 1 attempts \(deadline\)/);
  });

  it('passes our own verdicts through untouched', async () => {
    await expect(withRetry(async () => { throw new ForeignObjectError('not ours'); }, { policy: fast })).rejects.toBeInstanceOf(ForeignObjectError);
  });

  it('stops with the abort reason when cancelled', async () => {
    const ac = new AbortController();
    const run = withRetry(async () => { ac.abort(new CancelledError('delete')); throw status(503, 'ServiceUnavailable'); }, { policy: fast, signal: ac.signal });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });
});
