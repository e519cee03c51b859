import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { down, readState, up } from '../../infra/cluster/cluster.js';
import { COMPONENTS } from '../../infra/cluster/components.js';
import { isAlive } from '../../infra/cluster/process.js';
import { createTestNamespace, deleteNamespace, kubeConfig, startPrivateCluster } from '../support/cluster.js';

describe('cluster lifecycle', () => {
  it('runs a second cluster beside the first on its own free ports, and down leaves no process or state', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sp-cluster-')), 'cluster');
    const state = await up(() => undefined, {}, dir);
    try {
      const running = readState()!;
      expect(state.ports.apiserver).not.toBe(running?.ports.apiserver);
      const kc = new KubeConfig();
      kc.loadFromFile(state.kubeconfig);
      const nodes = await kc.makeApiClient(CoreV1Api).listNode();
      expect(nodes.items.map((n) => n.metadata?.name).sort()).toEqual(['kwok-node-0', 'kwok-node-1', 'kwok-node-2']);
      expect(nodes.items[0]?.status?.allocatable?.cpu).toBe('8');
    } finally {
      await down(() => undefined, dir);
    }
    expect(COMPONENTS.filter((c) => isAlive(state.pids[c]))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('serves the API again, data intact, after kube-apiserver and etcd are stopped and restarted', async () => {
    const cluster = await startPrivateCluster();
    try {
      const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
      await core.createNamespace({ body: { metadata: { name: 'survivor' } } });
      await cluster.stop('kube-apiserver');
      expect(await core.readNamespace({ name: 'survivor' }).then(() => 'answered', () => 'refused')).toBe('refused');
      await cluster.start('kube-apiserver');
      await cluster.restart('etcd', 500);
      const ns = await core.readNamespace({ name: 'survivor' });
      expect(ns.status?.phase).toBe('Active');
    } finally {
      await cluster.destroy();
    }
  });

  it('garbage-collects the ReplicaSets and pods of a deleted Deployment', async () => {
    const ns = await createTestNamespace('gc');
    const kc = kubeConfig();
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    try {
      await apps.createNamespacedDeployment({ namespace: ns, body: {
        metadata: { name: 'web' },
        spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] } } },
      } });
      const until = async (check: () => Promise<boolean>): Promise<void> => {
        for (let i = 0; i < 300 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
      };
      await until(async () => (await core.listNamespacedPod({ namespace: ns })).items.length === 1);
      await apps.deleteNamespacedDeployment({ name: 'web', namespace: ns, propagationPolicy: 'Background' });
      await until(async () => (await apps.listNamespacedReplicaSet({ namespace: ns })).items.length === 0
        && (await core.listNamespacedPod({ namespace: ns })).items.length === 0);
      expect((await apps.listNamespacedReplicaSet({ namespace: ns })).items).toHaveLength(0);
      expect((await core.listNamespacedPod({ namespace: ns })).items).toHaveLength(0);
    } finally {
      await deleteNamespace(ns, false);
    }
  });
});
