import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeConfig, statusOf } from '../support/cluster.js';
import { readSse, specFor, startApi, type ApiHarness } from './api-harness.js';

// create -> SSE shows each step -> Ready -> day-2 reads -> delete, over real HTTP on the simulated cluster

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h?.close();
});

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('store lifecycle over the API', () => {
  it('creates a store, streams every step until Ready, serves its details, and deletes it', async () => {
    const name = h.name('api-life');
    const created = await h.call('POST', '/api/v1/stores', { body: specFor(name) });
    expect(created.status).toBe(202);
    const store = (await created.json()) as { id: string; status: string; namespace: string };
    expect(created.headers.get('location')).toBe(`/api/v1/stores/${store.id}`);
    expect(store.status).toBe('Pending');

    const stream = await h.call('GET', `/api/v1/stores/${store.id}/events/stream`, { key: h.viewerKey });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const { messages } = await readSse(stream, 110_000);
    const last = messages.at(-1);
    expect(last, JSON.stringify(messages.slice(-5))).toEqual({ event: 'end', data: { status: 'Ready' } });

    // every step of the timeline was streamed, each started and then succeeded
    const steps = messages.filter((m) => m.event === 'step').map((m) => m.data as { step: string; phase: string; id: number });
    const timeline = (await (await h.call('GET', `/api/v1/stores/${store.id}/events`)).json()) as { items: { id: number; step: string; phase: string }[] };
    expect(steps.map((s) => s.id)).toEqual(timeline.items.map((e) => e.id));
    const succeeded = new Set(steps.filter((s) => s.phase === 'succeeded').map((s) => s.step));
    for (const s of ['namespace', 'mysql', 'wordpress']) expect(succeeded, `step ${s}`).toContain(s);
    const statuses = messages.filter((m) => m.event === 'store').map((m) => (m.data as { status: string }).status);
    expect(statuses).toContain('Provisioning');
    expect(statuses.at(-1)).toBe('Ready');

    const got = (await (await h.call('GET', `/api/v1/stores/${store.id}`, { key: h.viewerKey })).json()) as { status: string; readyAt: string | null };
    expect(got.status).toBe('Ready');
    expect(got.readyAt).not.toBeNull();

    const health = await h.call('GET', `/api/v1/stores/${store.id}/health`, { key: h.viewerKey });
    expect(health.status).toBe(200);
    const hb = (await health.json()) as { pods: { ready: boolean }[]; quota: unknown[] };
    expect(hb.pods.length).toBeGreaterThan(0);
    expect(hb.quota.length).toBeGreaterThan(0);

    const creds = await h.call('GET', `/api/v1/stores/${store.id}/credentials`);
    expect(creds.status).toBe(200);
    expect(creds.headers.get('cache-control')).toBe('no-store');
    const cb = (await creds.json()) as { username: string; password: string };
    expect(cb.password.length).toBeGreaterThan(8);

    const logs = await h.call('GET', `/api/v1/stores/${store.id}/logs?component=wordpress&tail=20`, { key: h.viewerKey });
    expect(logs.status).toBe(200);
    // kwok runs no containers, so the lines themselves are a placeholder; the shape is the contract
    expect(((await logs.json()) as { entries: { pod: string }[] }).entries[0]?.pod).toMatch(/^wordpress-/);

    const restart = await h.call('POST', `/api/v1/stores/${store.id}/actions/restart`, { body: { component: 'wordpress' } });
    expect(restart.status).toBe(202);
    expect(((await restart.json()) as { restarted: string[] }).restarted.length).toBe(1);
    const reset = await h.call('POST', `/api/v1/stores/${store.id}/actions/reset-admin-password`);
    const rb = (await reset.json()) as { password: string };
    expect(reset.status, JSON.stringify(rb)).toBe(200);
    expect(rb.password).not.toBe(cb.password);
    const after = (await (await h.call('GET', `/api/v1/stores/${store.id}/credentials`)).json()) as { password: string };
    expect(after.password).toBe(rb.password);

    const audit = (await (await h.call('GET', '/api/v1/audit?limit=10', { key: h.viewerKey })).json()) as { items: { action: string; actor: string; target: string }[] };
    expect(audit.items.map((a) => a.action)).toEqual(expect.arrayContaining(['store.create', 'store.credentials.read', 'store.restart', 'store.reset-admin-password']));
    expect(audit.items.find((a) => a.action === 'store.create')).toMatchObject({ actor: h.adminKeyId, target: store.id });
    expect(JSON.stringify(audit)).not.toContain(cb.password);
    expect(JSON.stringify(audit)).not.toContain(rb.password);

    // plan change: back through Provisioning to Ready, with the quota server-side applied from the plan table
    const core = kubeConfig().makeApiClient(CoreV1Api);
    const hardCpu = async () => (await core.readNamespacedResourceQuota({ name: 'store-quota', namespace: store.namespace })).spec?.hard?.['requests.cpu'];
    const smallCpu = await hardCpu();
    const patched = await h.call('PATCH', `/api/v1/stores/${store.id}`, { body: { plan: 'large' } });
    expect(patched.status).toBe(202);
    expect(((await patched.json()) as { plan: string }).plan).toBe('large');
    await waitFor(async () => {
      const s = (await (await h.call('GET', `/api/v1/stores/${store.id}`)).json()) as { status: string };
      return s.status === 'Ready' ? s : undefined;
    }, 110_000, 'Ready on the large plan');
    expect(await hardCpu()).not.toBe(smallCpu);

    const del = await h.call('DELETE', `/api/v1/stores/${store.id}`);
    expect(del.status).toBe(202);
    expect(((await del.json()) as { status: string }).status).toBe('Deleting');
    await waitFor(async () => {
      const s = (await (await h.call('GET', `/api/v1/stores/${store.id}`)).json()) as { status: string };
      return s.status === 'Deleted' ? s : undefined;
    }, 110_000, 'Deleted');
    const gone = await core.readNamespace({ name: store.namespace }).then(() => 200, (err: unknown) => statusOf(err));
    expect(gone).toBe(404);

    // the name is free again
    const again = await h.call('POST', '/api/v1/stores', { body: specFor(name) });
    expect(again.status).toBe(202);
    const againId = ((await again.json()) as { id: string }).id;
    expect((await h.call('DELETE', `/api/v1/stores/${againId}`)).status).toBe(202);
  });

  it('streams changes of every store on /stores/stream, with heartbeats', async () => {
    const stream = await h.call('GET', '/api/v1/stores/stream', { key: h.viewerKey });
    expect(stream.status).toBe(200);
    const name = h.name('api-feed');
    const reading = readSse(stream, 110_000, (m) => m.event === 'store' && (m.data as { name: string; status: string }).name === name && (m.data as { status: string }).status === 'Ready');
    const created = await h.call('POST', '/api/v1/stores', { body: specFor(name) });
    expect(created.status).toBe(202);
    const { messages, comments } = await reading;
    const mine = messages.filter((m) => m.event === 'store' && (m.data as { name: string }).name === name).map((m) => (m.data as { status: string }).status);
    expect(mine[0]).toBe('Pending');
    expect(mine).toContain('Provisioning');
    expect(mine.at(-1)).toBe('Ready');
    expect(messages.some((m) => m.event === 'step')).toBe(true);
    expect(comments).toBeGreaterThan(0); // heartbeats every SSE_HEARTBEAT_SECONDS (1 s here)
    const id = ((await created.json()) as { id: string }).id;
    expect((await h.call('DELETE', `/api/v1/stores/${id}`)).status).toBe(202);
  });
});
