import { ApiException, type KubernetesObjectApi } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ReadinessRule } from '../../../constructs/readiness.js';
import { checkReadiness, StepFailedError, StepTimeoutError, waitForReady } from '../../../src/k8s/readiness.js';

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
});

describe('waitForReady', () => {
  it('fails with the step name, its timeout and what is still missing once the deadline has passed', async () => {
    const run = waitForReady(apiWith(dep({ availableReplicas: 0 })), { name: 'wordpress', readiness: depRule, objects: [] }, {
      deadline: 0, timeoutSeconds: 3,
    });
    await expect(run).rejects.toBeInstanceOf(StepTimeoutError);
    await expect(run).rejects.toThrow("step 'wordpress' not ready after 3s: Deployment store-a/wordpress: 0/1 replicas available");
  });
});
