import { ApiException, dumpYaml, PatchStrategy, type KubernetesObject, type KubernetesObjectApi } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../constructs/readiness.js';
import { createIfAbsent, ensureObject, FIELD_MANAGER, serverSideApply, toRequestObject } from '../../../src/k8s/apply.js';
import { ForeignObjectError, KubeApiError } from '../../../src/k8s/errors.js';

// A fake KubernetesObjectApi recording calls: unit tests of the applier's decisions only;
// the real API server is exercised by test/integration/engine-*.test.ts.
function fakeApi(existing?: KubernetesObject, createError?: unknown) {
  const calls: { verb: string; args: unknown[] }[] = [];
  const api = {
    async create(...args: unknown[]) {
      calls.push({ verb: 'create', args });
      if (createError) throw createError;
      return args[0];
    },
    async read(...args: unknown[]) {
      calls.push({ verb: 'read', args });
      if (!existing) throw new ApiException(404, 'x', JSON.stringify({ reason: 'NotFound' }), {});
      return existing;
    },
    async patch(...args: unknown[]) {
      calls.push({ verb: 'patch', args });
      return args[0];
    },
  } as unknown as KubernetesObjectApi;
  return { api, calls };
}

const owner = { 'store-platform.io/store-id': 'acme', 'app.kubernetes.io/managed-by': 'store-platform' };
const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'store-acme', labels: owner }, data: { a: '1' } };
const alreadyExists = new ApiException(409, 'x', JSON.stringify({ reason: 'AlreadyExists', message: 'configmaps "c" already exists' }), {});

describe('createIfAbsent', () => {
  it('creates a missing object', async () => {
    const f = fakeApi();
    expect(await createIfAbsent(f.api, cm, owner)).toBe('created');
  });

  it('counts an existing object carrying the store labels as already present', async () => {
    const f = fakeApi({ ...cm, metadata: { ...cm.metadata, labels: { ...owner, extra: 'x' } } } as KubernetesObject, alreadyExists);
    expect(await createIfAbsent(f.api, cm, owner)).toBe('exists');
  });

  it('fails on an existing object of someone else', async () => {
    const f = fakeApi({ ...cm, metadata: { ...cm.metadata, labels: { 'store-platform.io/store-id': 'other' } } } as KubernetesObject, alreadyExists);
    await expect(createIfAbsent(f.api, cm, owner)).rejects.toBeInstanceOf(ForeignObjectError);
  });

  it('fails with a classified error on a 409 Conflict (retried by the caller)', async () => {
    const f = fakeApi(undefined, new ApiException(409, 'x', JSON.stringify({ reason: 'Conflict' }), {}));
    const err = await createIfAbsent(f.api, cm, owner).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).transient).toBe(true);
  });
});

describe('serverSideApply', () => {
  it('patches with the platform field manager, force and the apply content type', async () => {
    const f = fakeApi();
    await serverSideApply(f.api, cm);
    const [body, pretty, dryRun, manager, force, strategy] = f.calls[0]!.args;
    expect(f.calls[0]!.verb).toBe('patch');
    expect(body).toMatchObject({ kind: 'ConfigMap', data: { a: '1' } });
    expect([pretty, dryRun, manager, force, strategy]).toEqual([undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply]);
  });
});

describe('ensureObject in apply mode', () => {
  it('server-side applies an existing object of ours', async () => {
    const f = fakeApi(cm as unknown as KubernetesObject);
    expect(await ensureObject(f.api, cm, owner, 'apply')).toBe('applied');
    expect(f.calls.map((c) => c.verb)).toEqual(['read', 'patch']);
  });

  it('fails rather than taking over someone else\'s object', async () => {
    const f = fakeApi({ ...cm, metadata: { name: 'c', namespace: 'store-acme' } } as KubernetesObject);
    await expect(ensureObject(f.api, cm, owner, 'apply')).rejects.toBeInstanceOf(ForeignObjectError);
    expect(f.calls.map((c) => c.verb)).toEqual(['read']);
  });

  it('never rewrites an existing Secret (generated credentials stay)', async () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'store-acme', labels: owner }, stringData: { password: 'new' } };
    const f = fakeApi(secret as unknown as KubernetesObject, alreadyExists);
    expect(await ensureObject(f.api, secret, owner, 'apply')).toBe('exists');
    expect(f.calls.map((c) => c.verb)).toEqual(['create', 'read']);
  });
});

describe('toRequestObject', () => {
  it('keeps fields whose client model name differs from the wire name (a NetworkPolicy peer list)', () => {
    const policy: KubeObject = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'mysql', namespace: 'store-acme' },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { a: 'b' } } }], ports: [{ protocol: 'TCP', port: 3306 }] }] },
    };
    // what client-node sends: its serializer's output for the request object
    const wire = parse(dumpYaml(toRequestObject(policy))) as { spec: { ingress: { from?: unknown }[] } };
    expect(wire.spec.ingress[0]!.from).toEqual([{ podSelector: { matchLabels: { a: 'b' } } }]);
  });

  it('strips the namespace a chart stamped on a Namespace and leaves the input alone', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'store-acme', namespace: 'store-acme' } };
    expect(toRequestObject(ns).metadata?.namespace).toBeUndefined();
    expect(ns.metadata.namespace).toBe('store-acme');
  });
});

describe('createIfAbsent when admission refuses an object that already exists', () => {
  const quota = new ApiException(403, 'x', JSON.stringify({ reason: 'Forbidden', message: 'persistentvolumeclaims "c" is forbidden: exceeded quota: store-quota' }), {});

  it('counts it as already present when the object is ours', async () => {
    const f = fakeApi(cm as unknown as KubernetesObject, quota);
    expect(await createIfAbsent(f.api, cm, owner)).toBe('exists');
  });

  it('fails with the admission message when the object is absent', async () => {
    const f = fakeApi(undefined, quota);
    await expect(createIfAbsent(f.api, cm, owner)).rejects.toThrow(/exceeded quota/);
  });
});
