import { ApiException, type KubernetesObjectApi } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ReadinessRule } from '../../../constructs/readiness.js';
import type { ChangeFeed, WatchedRef } from '../../../src/k8s/change-feed.js';
import { certificateState, checkReadiness, StepFailedError, StepTimeoutError, waitForReady, type ReadinessState } from '../../../src/k8s/readiness.js';
import { selfSignedCertificate, tlsSecretData } from '../../support/certificates.js';

// Rule evaluation over hand-made object states (the live behaviour is covered by the integration tests).
function apiWith(obj: unknown): KubernetesObjectApi {
  return {
    async read() {
      if (obj === undefined) throw new ApiException(404, 'x', JSON.stringify({ reason: 'NotFound' }), {});
      return obj;
    },
  } as unknown as KubernetesObjectApi;
}

const dep = (status: Record<string, unknown>, generation = 2) => ({
  metadata: { name: 'wordpress', generation }, spec: { replicas: 1 },
  status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }], ...status },
});
const depRule: ReadinessRule = { kind: 'DeploymentAvailable', namespace: 'store-a', name: 'wordpress' };

describe('checkReadiness', () => {
  it('reports a rolled-out Deployment as ready', async () => {
    expect(await checkReadiness(apiWith(dep({})), depRule, [])).toEqual({ ready: true });
  });

  it.each([
    ['a spec change not yet observed', dep({ observedGeneration: 1 }), /not yet observed/],
    ['old replicas still running', dep({ replicas: 2 }), /old replicas/],
    ['an updated replica not yet available', dep({ availableReplicas: 0 }), /0\/1 replicas available/],
    ['a missing Deployment', undefined, /not found/],
  ])('waits on %s', async (_what, obj, msg) => {
    const s = await checkReadiness(apiWith(obj), depRule, []);
    expect(s.ready).toBe(false);
    expect(s.ready ? '' : s.message).toMatch(msg);
  });

  it('fails a Deployment past its progress deadline', async () => {
    const stuck = dep({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "w-1" has timed out progressing.' }] });
    await expect(checkReadiness(apiWith(stuck), depRule, [])).rejects.toBeInstanceOf(StepFailedError);
  });

  it('waits for every StatefulSet replica of the current revision', async () => {
    const rule: ReadinessRule = { kind: 'StatefulSetReady', namespace: 'store-a', name: 'mysql' };
    const sts = (status: Record<string, unknown>) => ({ metadata: { generation: 1 }, spec: { replicas: 1 }, status: { observedGeneration: 1, ...status } });
    expect((await checkReadiness(apiWith(sts({ readyReplicas: 0 })), rule, [])).ready).toBe(false);
    expect((await checkReadiness(apiWith(sts({ readyReplicas: 1, currentRevision: 'a', updateRevision: 'b' })), rule, [])).ready).toBe(false);
    expect((await checkReadiness(apiWith(sts({ readyReplicas: 1, currentRevision: 'b', updateRevision: 'b' })), rule, [])).ready).toBe(true);
  });

  it('completes on Job Complete and fails on Job Failed', async () => {
    const rule: ReadinessRule = { kind: 'JobComplete', namespace: 'store-a', name: 'store-setup' };
    expect(await checkReadiness(apiWith({ status: { conditions: [{ type: 'Complete', status: 'True' }] } }), rule, [])).toEqual({ ready: true });
    await expect(checkReadiness(apiWith({ status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] } }), rule, []))
      .rejects.toThrow(/BackoffLimitExceeded Job has reached the specified backoff limit/);
  });

  it('stops waiting on a workload once it is scaled to zero and its last pod is gone', async () => {
    const rule: ReadinessRule = { kind: 'WorkloadStopped', namespace: 'store-a', workload: 'StatefulSet', name: 'mysql' };
    const sts = (replicas: number, statusReplicas: number) => ({
      metadata: { generation: 3 }, spec: { replicas, selector: { matchLabels: { 'app.kubernetes.io/name': 'mysql' } } },
      status: { observedGeneration: 3, replicas: statusReplicas },
    });
    const withPods = (obj: unknown, pods: number) => {
      const selectors: string[] = [];
      const api = {
        ...apiWith(obj),
        async list(_v: string, _k: string, _ns: string, ...rest: unknown[]) {
          selectors.push(String(rest[4]));
          return { items: Array.from({ length: pods }, () => ({})) };
        },
      } as unknown as KubernetesObjectApi;
      return { api, selectors };
    };
    const still = await checkReadiness(withPods(sts(1, 1), 0).api, rule, []);
    expect(still.ready ? '' : still.message).toMatch(/wants 1 replicas/);
    expect((await checkReadiness(withPods(sts(0, 1), 0).api, rule, [])).ready).toBe(false);
    const terminating = withPods(sts(0, 0), 1);
    const s = await checkReadiness(terminating.api, rule, []);
    expect(s.ready ? '' : s.message).toMatch(/1 pods still shutting down/);
    expect(terminating.selectors).toEqual(['app.kubernetes.io/name=mysql']);
    expect(await checkReadiness(withPods(sts(0, 0), 0).api, rule, [])).toEqual({ ready: true });
    expect(await checkReadiness(withPods(undefined, 0).api, rule, [])).toEqual({ ready: true });
  });

  it('waits until the quota controller has copied every (changed) limit into status', async () => {
    const rule: ReadinessRule = { kind: 'QuotaObserved', namespace: 'store-a', name: 'store-quota' };
    const q = (status?: Record<string, string>) => ({ spec: { hard: { pods: '20', 'requests.cpu': '2' } }, status: status ? { hard: status } : {} });
    expect((await checkReadiness(apiWith(q()), rule, [])).ready).toBe(false);
    expect((await checkReadiness(apiWith(q({ pods: '10', 'requests.cpu': '2' })), rule, [])).ready).toBe(false);
    expect((await checkReadiness(apiWith(q({ pods: '20', 'requests.cpu': '2' })), rule, [])).ready).toBe(true);
  });

  it('needs an Active namespace', async () => {
    const rule: ReadinessRule = { kind: 'NamespaceActive', name: 'store-a' };
    expect((await checkReadiness(apiWith({ status: { phase: 'Terminating' } }), rule, [])).ready).toBe(false);
    expect((await checkReadiness(apiWith({ status: { phase: 'Active' } }), rule, [])).ready).toBe(true);
  });

  describe('a TLS store waits for its certificate', () => {
    const host = 'shop.example.org';
    const rule: ReadinessRule = { kind: 'CertificateIssued', namespace: 'store-a', secretName: 'wordpress-tls', host };
    const secret = (hosts: string[]) => ({ type: 'kubernetes.io/tls', data: tlsSecretData(selfSignedCertificate(hosts)) });
    const message = (s: ReadinessState) => (s.ready ? '' : s.message);

    it('until cert-manager has written the Secret, then is ready when it serves the host now', async () => {
      expect(message(await checkReadiness(apiWith(undefined), rule, []))).toMatch(/wordpress-tls not found: waiting for cert-manager to issue the certificate for shop\.example\.org/);
      expect(message(await checkReadiness(apiWith({ type: 'kubernetes.io/tls', data: { 'tls.crt': '' } }), rule, []))).toMatch(/has no tls\.crt yet/);
      expect(await checkReadiness(apiWith(secret(['www.example.org', host])), rule, [])).toEqual({ ready: true });
    });

    it('while the Secret holds a certificate for another host, or one not valid now', () => {
      const other = tlsSecretData(selfSignedCertificate(['other.example.org']))['tls.crt'];
      expect(message(certificateState('Secret', other, host, Date.now()))).toMatch(/for DNS:other\.example\.org, not shop\.example\.org/);
      const mine = tlsSecretData(selfSignedCertificate([host]))['tls.crt'];
      const day = 86_400_000;
      expect(message(certificateState('Secret', mine, host, Date.now() + 2 * day))).toMatch(/expired on/);
      expect(message(certificateState('Secret', mine, host, Date.now() - day))).toMatch(/valid only from/);
      expect(message(certificateState('Secret', Buffer.from('not a certificate').toString('base64'), host, Date.now()))).toMatch(/not a PEM certificate/);
    });
  });
});

describe('waitForReady', () => {
  it('fails with the step name, its timeout and what is still missing once the deadline has passed', async () => {
    const run = waitForReady(apiWith(dep({ availableReplicas: 0 })), { name: 'wordpress', readiness: depRule, objects: [] }, {
      deadline: 0, timeoutSeconds: 3,
    });
    await expect(run).rejects.toBeInstanceOf(StepTimeoutError);
    await expect(run).rejects.toThrow("step 'wordpress' not ready after 3s: Deployment store-a/wordpress: 0/1 replicas available");
  });

  /** Answers `states` in turn (the last one for good), counting reads. */
  function sequence(states: unknown[]): { api: KubernetesObjectApi; reads: () => number } {
    let n = 0;
    const api = { async read() { return states[Math.min(n++, states.length - 1)]; } } as unknown as KubernetesObjectApi;
    return { api, reads: () => n };
  }

  /** A feed whose watch is up (or not), whose copy of the object the test sets, and whose changes it fires by hand. */
  function feed(up: boolean) {
    const armed: { ref: WatchedRef; fire: () => void }[] = [];
    let copy: object | undefined;
    const changes = {
      watching: () => up,
      cached: () => copy,
      nextChange(ref: WatchedRef) {
        let fire!: (why: 'changed' | 'quiet') => void;
        const changed = new Promise<'changed' | 'quiet'>((resolve) => { fire = resolve; });
        armed.push({ ref, fire: () => fire('changed') });
        return { changed, cancel: () => fire('quiet') };
      },
    } as unknown as ChangeFeed;
    const tick = () => new Promise((r) => setTimeout(r, 20));
    return {
      changes, armed,
      fireLast: () => armed.at(-1)?.fire(),
      /** The object changes to `obj` (the watch's copy too), and the waiter is told. */
      change: async (obj: object) => { copy = obj; armed.at(-1)?.fire(); await tick(); },
    };
  }

  it('sleeps until the watched object changes instead of polling, and reads it fresh then', async () => {
    const { api, reads } = sequence([dep({ availableReplicas: 0 }), dep({})]);
    const f = feed(true);
    const done = waitForReady(api, { name: 'wordpress', readiness: depRule, objects: [] }, {
      deadline: Date.now() + 30_000, timeoutSeconds: 30, changes: f.changes,
    });
    await new Promise((r) => setTimeout(r, 400)); // polling would have read the Deployment 4 times by now
    expect(reads()).toBe(1);
    expect(f.armed[0]!.ref).toEqual({ kind: 'Deployment', namespace: 'store-a', name: 'wordpress' });
    f.fireLast();
    await done;
    expect(reads()).toBe(2);
  });

  it('judges "still waiting" on the watch\'s copy without a request, and confirms "ready" with a fresh read', async () => {
    const { api, reads } = sequence([dep({ availableReplicas: 0 }), dep({})]);
    const f = feed(true);
    const done = waitForReady(api, { name: 'wordpress', readiness: depRule, objects: [] }, {
      deadline: Date.now() + 30_000, timeoutSeconds: 30, changes: f.changes,
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(reads()).toBe(1);
    // a rollout's status updates: each one wakes the wait, none of them costs a read
    await f.change(dep({ updatedReplicas: 0 }));
    await f.change(dep({ availableReplicas: 0 }));
    expect(reads()).toBe(1);
    // the copy looks ready: the API server is asked, and decides
    await f.change(dep({}));
    await done;
    expect(reads()).toBe(2);
  });

  it('polls while the watch is down', async () => {
    const { api, reads } = sequence([dep({ availableReplicas: 0 }), dep({ availableReplicas: 0 }), dep({ availableReplicas: 0 }), dep({})]);
    const f = feed(false);
    await waitForReady(api, { name: 'wordpress', readiness: depRule, objects: [] }, {
      deadline: Date.now() + 30_000, timeoutSeconds: 30, changes: f.changes, poll: { baseMs: 10, maxMs: 10 },
    });
    expect(reads()).toBe(4);
    expect(f.armed).toEqual([]);
  });
});
