import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PLATFORM_SETTINGS, MAINTENANCE_NAMES, MAINTENANCE_RESOURCES, PLANS, STORE_ID_LABEL, engineOf, maintenanceResponse, planTable,
  storeIngressOf, synthesizeMaintenance, type KubeObject, type MaintenancePageProps, type PlatformSettings,
} from '../../../constructs/index.js';
import { ingressPeers } from '../../../constructs/ingress-route.js';
import { allObjects, cpuMillis, fakeSecrets, mebibytes, medusaSecrets, podTemplates, synth } from './fixtures.js';
import { synthesizeStore } from '../../../constructs/engines.js';

const platform = (over: Partial<PlatformSettings> = {}): PlatformSettings => ({ ...DEFAULT_PLATFORM_SETTINGS, ...over });

function props(over: Partial<MaintenancePageProps> = {}, settings: Partial<PlatformSettings> = {}): MaintenancePageProps {
  return { slug: 'acme', title: 'Acme Goods', ingress: storeIngressOf(synth({}, settings)), platform: platform(settings), ...over };
}

const byKind = (objects: readonly KubeObject[], kind: string): KubeObject => {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('maintenance page', () => {
  it('synthesizes the expected manifests', () => {
    expect(synthesizeMaintenance(props())).toMatchSnapshot();
  });

  it('is two steps: the responder, ready when its Deployment is Available, then the Ingress', () => {
    const steps = synthesizeMaintenance(props());
    expect(steps.map((s) => [s.name, s.readiness.kind, s.objects.map((o) => o.kind)])).toEqual([
      ['maintenance', 'DeploymentAvailable', ['ConfigMap', 'Deployment', 'Service', 'NetworkPolicy']],
      ['ingress', 'Applied', ['Ingress']],
    ]);
  });

  it('places every object in the store namespace with the store labels, under names no engine uses', () => {
    const objects = allObjects(synthesizeMaintenance(props()));
    for (const o of objects) {
      expect(o.metadata.namespace).toBe('store-acme');
      expect(o.metadata.labels?.[STORE_ID_LABEL]).toBe('acme');
    }
    for (const engine of ['woocommerce', 'medusa'] as const) {
      const store = allObjects(synthesizeStore({ spec: { name: 'acme', engine, plan: 'standard', adminEmail: 'a@b.example', title: 'A', currency: 'EUR' }, secrets: engine === 'medusa' ? medusaSecrets() : fakeSecrets(), platform: platform() }));
      const taken = new Set(store.filter((o) => o.kind !== 'Ingress').map((o) => `${o.kind}/${o.metadata.name}`));
      for (const o of objects.filter((x) => x.kind !== 'Ingress')) expect(taken.has(`${o.kind}/${o.metadata.name}`)).toBe(false);
    }
  });

  it('keeps the store\'s Ingress name, host, labels and TLS and changes only its backend', () => {
    for (const tls of [false, true]) {
      const settings = { tls: { enabled: tls, clusterIssuer: 'letsencrypt' } };
      const own = allObjects(synth({}, settings)).find((o) => o.kind === 'Ingress')!;
      const page = byKind(allObjects(synthesizeMaintenance(props({}, settings))), 'Ingress');
      expect(page.metadata).toEqual(own.metadata);
      const spec = (o: KubeObject) => o.spec as { rules: { http: { paths: { backend: unknown }[] } }[] };
      expect(spec(page).rules[0]!.http.paths[0]!.backend).toEqual({ service: { name: MAINTENANCE_NAMES.responder, port: { number: 80 } } });
      const strip = (o: KubeObject) => JSON.stringify(o.spec).replace(JSON.stringify(spec(o).rules[0]!.http.paths[0]!.backend), '');
      expect(strip(page)).toBe(strip(own));
    }
  });

  it('runs busybox nc as nobody under Pod Security restricted with a pinned image and sized resources', () => {
    const [pod] = podTemplates(allObjects(synthesizeMaintenance(props())));
    expect(pod!.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect((pod!.spec as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds).toBe(1);
    const c = pod!.spec.containers[0]!;
    expect(c.image).toBe(DEFAULT_PLATFORM_SETTINGS.images.maintenance);
    expect(c.image).toMatch(/^busybox:[^@]+@sha256:[0-9a-f]{64}$/);
    expect(c.command).toEqual(['nc', '-ll', '-p', '8080', '-e', 'sh', '/maintenance/respond.sh']);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.resources?.requests).toEqual({ cpu: '10m', memory: '16Mi', 'ephemeral-storage': '16Mi' });
    expect(c.resources?.limits).toEqual({ cpu: '100m', memory: '32Mi', 'ephemeral-storage': '64Mi' });
  });

  it('admits only the ingress controller to the responder', () => {
    for (const settings of [{}, { ingressPodLabels: { 'app.kubernetes.io/name': 'traefik' }, ingressCidrs: ['10.0.0.0/24'] }]) {
      const policy = byKind(allObjects(synthesizeMaintenance(props({}, settings))), 'NetworkPolicy');
      expect(policy.spec).toEqual({
        podSelector: { matchLabels: { [STORE_ID_LABEL]: 'acme', 'app.kubernetes.io/name': MAINTENANCE_NAMES.responder } },
        policyTypes: ['Ingress'],
        ingress: [{ from: ingressPeers(platform(settings)), ports: [{ protocol: 'TCP', port: 8080 }] }],
      });
    }
  });

  it('answers 503 with Retry-After, an exact Content-Length and the escaped title', () => {
    const answer = maintenanceResponse('Tom & Jerry\'s <Shop>', 120);
    const [head, body] = answer.split('\r\n\r\n') as [string, string];
    expect(head.split('\r\n')).toEqual([
      'HTTP/1.1 503 Service Unavailable', 'Content-Type: text/html; charset=utf-8', 'Retry-After: 120', 'Cache-Control: no-store',
      `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close',
    ]);
    expect(body).toContain('<h1>Tom &amp; Jerry&#39;s &lt;Shop&gt; is paused</h1>');
    expect(body).not.toContain('<Shop>');
    expect(maintenanceResponse('Café ☕', 1)).toContain(`Content-Length: ${Buffer.byteLength(maintenanceResponse('Café ☕', 1).split('\r\n\r\n')[1]!)}`);
  });

  it('fits beside every plan\'s running workloads in the quota, with room for its Service and ConfigMap', () => {
    for (const plan of PLANS) {
      for (const engine of ['woocommerce', 'medusa'] as const) {
        const objects = allObjects(synthesizeStore({
          spec: { name: 'acme', engine, plan, adminEmail: 'a@b.example', title: 'A', currency: 'EUR' },
          secrets: engine === 'medusa' ? medusaSecrets() : fakeSecrets(), platform: platform(),
        }));
        const names = new Set(Object.values(engineOf(engine).components(planTable[plan])).map((c) => c.name));
        const workloads = podTemplates(objects).filter((t) => names.has(t.owner.metadata.name));
        const sum = (pick: (r: Record<string, string>) => number) => workloads.flatMap((t) => t.spec.containers)
          .reduce((n, c) => n + pick(c.resources!.requests!), 0);
        const q = planTable[plan].quota;
        expect(sum((r) => cpuMillis(r.cpu!)) + MAINTENANCE_RESOURCES.requests.cpuMillis).toBeLessThanOrEqual(q.requests.cpuMillis);
        expect(sum((r) => mebibytes(r.memory!)) + MAINTENANCE_RESOURCES.requests.memoryMiB).toBeLessThanOrEqual(q.requests.memoryMiB);
        expect(MAINTENANCE_RESOURCES.limits.cpuMillis).toBeLessThanOrEqual(planTable[plan].limitRange.max.cpuMillis);
        // the namespace's own kube-root-ca.crt ConfigMap counts too
        expect(objects.filter((o) => o.kind === 'Service').length + 1).toBeLessThanOrEqual(q.services);
        expect(objects.filter((o) => o.kind === 'ConfigMap').length + 2).toBeLessThanOrEqual(q.configMaps);
        expect(workloads.length + 1).toBeLessThanOrEqual(q.pods);
      }
    }
  });

  it('fails on an unpinned image, a bad Retry-After or a store without exactly one Ingress', () => {
    expect(() => synthesizeMaintenance(props({}, { images: { ...DEFAULT_PLATFORM_SETTINGS.images, maintenance: 'busybox' } }))).toThrow(/maintenance image must be pinned/);
    expect(() => synthesizeMaintenance(props({ retryAfterSeconds: 0 }))).toThrow(/retryAfterSeconds must be a positive integer, got 0/);
    expect(() => synthesizeMaintenance(props({ title: ' ' }))).toThrow(/title must not be empty/);
    expect(() => storeIngressOf(synth().filter((s) => s.name !== 'ingress'))).toThrow(/exactly one Ingress .* found 0/);
  });
});

// The responder itself, run under this machine's busybox (a prerequisite of the unit tests): the
// ConfigMap's script and answer, behind `nc -ll -e` exactly as the Deployment runs them.
describe('maintenance responder under busybox', () => {
  let dir: string;
  let child: ChildProcess;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sp-maintenance-'));
    const page = byKind(allObjects(synthesizeMaintenance(props())), 'ConfigMap');
    const data = page.data as Record<string, string>;
    writeFileSync(join(dir, 'respond.sh'), data['respond.sh']!.replaceAll('/maintenance/', `${dir}/`));
    writeFileSync(join(dir, 'response.http'), data['response.http']!);
    port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    child = spawn('busybox', ['nc', '-ll', '-p', String(port), '-e', 'busybox', 'sh', join(dir, 'respond.sh')], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if (await new Promise<boolean>((resolve) => connect(port, '127.0.0.1').on('connect', function (this: { destroy(): void }) { this.destroy(); resolve(true); }).on('error', () => resolve(false)))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('busybox nc did not start listening');
  });
  afterAll(() => {
    child?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, method = 'GET', body?: string) => new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: 'acme.example.com' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });

  it('answers every path and method with the 503 page', async () => {
    for (const [path, method, body] of [['/', 'GET'], ['/wp-admin/admin-ajax.php?x=1', 'GET'], ['/checkout/', 'POST', 'a=b&c=d']] as const) {
      const res = await get(path, method, body);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('600');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('Acme Goods is paused');
    }
  });

  it('serves others while one client holds a connection open without sending', async () => {
    const idle = connect(port, '127.0.0.1');
    try {
      const answers = await Promise.all([get('/'), get('/a'), get('/b')]);
      expect(answers.map((a) => a.status)).toEqual([503, 503, 503]);
    } finally {
      idle.destroy();
    }
  });
});
