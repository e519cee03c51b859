import { describe, expect, it } from 'vitest';
import { isDigestPinned } from '../../../constructs/images.js';
import {
  DB_CLIENT_LABEL, DEFAULT_PLATFORM_SETTINGS, PLANS, POD_SECURITY_ENFORCE_LABEL, STORE_ID_LABEL,
  engineOf, planTable, storeLabels, type KubeObject, type StoreSecrets,
} from '../../../constructs/index.js';
import { MEDUSA_MIN_SERVER_MIB, medusaPlanProblems } from '../../../constructs/medusa/index.js';
import { allObjects, cpuMillis, fakeSecrets, mebibytes, medusaSecrets, podTemplates, secretValues, synth, type ContainerJson } from './fixtures.js';

const medusa = (spec: Parameters<typeof synth>[0] = {}, platform: Parameters<typeof synth>[1] = {}, secrets = medusaSecrets()) =>
  synth({ engine: 'medusa', ...spec }, platform, secrets);

type Policy = KubeObject & { spec: { podSelector: { matchLabels?: Record<string, string> }; policyTypes: string[]; ingress?: unknown[]; egress?: unknown[] } };
const envOf = (c: ContainerJson) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));

describe('Medusa store synthesis', () => {
  for (const plan of PLANS) {
    it(`synthesizes the expected manifests for plan ${plan}`, () => {
      expect(medusa({ plan })).toMatchSnapshot();
    });
  }

  it('lists the steps in apply order with their readiness rules, the real order last', () => {
    const steps = medusa();
    expect(steps.map((s) => [s.name, s.readiness.kind])).toEqual([
      ['namespace', 'NamespaceActive'],
      ['guardrails', 'QuotaObserved'],
      ['secrets', 'Applied'],
      ['network-policy', 'Applied'],
      ['postgres', 'StatefulSetReady'],
      ['redis', 'DeploymentAvailable'],
      ['store-setup', 'JobComplete'],
      ['medusa', 'DeploymentAvailable'],
      ['ingress', 'Applied'],
      ['store-check', 'JobComplete'],
    ]);
    for (const s of steps) {
      if ('name' in s.readiness && s.readiness.kind !== 'NamespaceActive') {
        const target = s.readiness;
        expect(s.objects.some((o) => o.metadata.name === target.name), s.name).toBe(true);
      }
    }
    expect(engineOf('medusa').checkStep).toBe(steps.at(-1)!.name);
  });

  it('is byte-identical for identical input, and changes with the secrets', () => {
    expect(JSON.stringify(medusa())).toBe(JSON.stringify(medusa()));
    expect(JSON.stringify(medusa({}, {}, medusaSecrets('a')))).not.toBe(JSON.stringify(medusa({}, {}, medusaSecrets('b'))));
  });

  it('labels every object and places namespaced objects in store-<slug> under Pod Security "restricted"', () => {
    const objects = allObjects(medusa({ name: 'shop-7' }));
    for (const o of objects) {
      expect(o.metadata.labels, `${o.kind}/${o.metadata.name}`).toMatchObject(storeLabels('shop-7'));
      if (o.kind === 'Namespace') expect(o.metadata.labels?.[POD_SECURITY_ENFORCE_LABEL]).toBe('restricted');
      else expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('store-shop-7');
    }
  });

  for (const plan of PLANS) {
    it(`gives every container a pinned image, requests and limits from the plan and a restricted securityContext (${plan})`, () => {
      const templates = podTemplates(allObjects(medusa({ plan })));
      const split = planTable[plan].medusa!.worker !== undefined;
      expect(templates.map((t) => `${t.owner.kind}/${t.owner.metadata.name}`).sort()).toEqual([
        'Deployment/medusa', ...(split ? ['Deployment/medusa-worker'] : []), 'Deployment/redis', 'Job/store-check', 'Job/store-setup', 'StatefulSet/postgres',
      ]);
      for (const t of templates) {
        expect(t.spec.securityContext?.runAsNonRoot).toBe(true);
        for (const c of t.spec.containers) {
          const where = `${t.owner.metadata.name}/${c.name}`;
          // the store image is the operator's build (a tag until they pin its digest); the official ones carry both
          if (c.image === DEFAULT_PLATFORM_SETTINGS.images.medusa) expect(c.image, where).toMatch(/^[^@]+:[\w][\w.-]{0,127}$/);
          else expect(isDigestPinned(c.image), `${where}: ${c.image} is pinned by tag and digest`).toBe(true);
          expect(c.image, where).not.toMatch(/:latest$/);
          expect(c.resources?.limits?.memory, where).toBeDefined();
          expect(c.securityContext, where).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
        }
      }
      const server = templates.find((t) => t.owner.metadata.name === 'medusa')!.spec.containers[0]!;
      expect(mebibytes(server.resources!.limits!.memory!)).toBeGreaterThanOrEqual(MEDUSA_MIN_SERVER_MIB);
      expect(envOf(server).MEDUSA_WORKER_MODE).toBe(split ? 'server' : 'shared');
    });

    it(`fits the pods that run at once in the quota (${plan})`, () => {
      const row = planTable[plan];
      expect(medusaPlanProblems(row)).toEqual([]);
      // the setup Job finishes before the server starts; its share stands for a password-reset Job of the same size
      const templates = podTemplates(allObjects(medusa({ plan })));
      const sum = (key: 'requests' | 'limits', res: 'cpu' | 'memory') => {
        const parse = res === 'cpu' ? cpuMillis : mebibytes;
        return templates.flatMap((t) => t.spec.containers).reduce((n, c) => n + parse(c.resources![key]![res]!), 0);
      };
      expect(sum('requests', 'memory')).toBeLessThanOrEqual(row.quota.requests.memoryMiB);
      expect(sum('limits', 'memory')).toBeLessThanOrEqual(row.quota.limits.memoryMiB);
      expect(sum('requests', 'cpu')).toBeLessThanOrEqual(row.quota.requests.cpuMillis);
      expect(sum('limits', 'cpu')).toBeLessThanOrEqual(row.quota.limits.cpuMillis);
    });
  }

  it('fails on a plan whose Medusa pods do not fit its quota, or whose server is below Medusa\'s minimum', () => {
    const row = planTable.small;
    expect(medusaPlanProblems({ ...row, quota: { ...row.quota, limits: { ...row.quota.limits, memoryMiB: 1024 } } }).join()).toMatch(/summed memory limits/);
    const m = row.medusa!;
    expect(medusaPlanProblems({ ...row, medusa: { ...m, server: { ...m.server, limits: { ...m.server.limits, memoryMiB: 512 } } } }).join()).toMatch(/below Medusa's 1024/);
    expect(medusaPlanProblems({ ...row, medusa: undefined })).toEqual(['the plan has no Medusa sizing']);
  });

  it('probes the server on /health port 9000, and runs every Medusa container with a read-only root and HOME on an emptyDir', () => {
    const templates = podTemplates(allObjects(medusa()));
    const server = templates.find((t) => t.owner.metadata.name === 'medusa')!.spec.containers[0] as ContainerJson & Record<string, unknown>;
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(server[probe], probe).toMatchObject({ httpGet: { path: '/health', port: 'http' } });
    }
    expect(JSON.stringify(server)).toContain('"containerPort":9000');
    // a rolling update's surge pod would not fit the quota (a restart found it on the real node)
    for (const d of allObjects(medusa({ plan: 'standard' })).filter((o) => o.kind === 'Deployment')) {
      expect((d.spec as { strategy?: { type: string } }).strategy, d.metadata.name).toEqual({ type: 'Recreate' });
    }
    for (const t of templates.filter((x) => !['postgres', 'redis'].includes(x.owner.metadata.name))) {
      const c = t.spec.containers[0]!;
      expect(c.securityContext?.readOnlyRootFilesystem, t.owner.metadata.name).toBe(true);
      if (t.owner.metadata.name !== 'store-check') expect(envOf(c).HOME, t.owner.metadata.name).toBe('/tmp');
      expect(t.spec.volumes?.some((v) => v.name === 'tmp' && 'emptyDir' in v), t.owner.metadata.name).toBe(true);
    }
  });

  it('connects to PostgreSQL without TLS and switches Secure cookies with the platform\'s TLS', () => {
    const objects = allObjects(medusa());
    const db = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'postgres-credentials')!;
    expect((db.stringData as Record<string, string>).url).toMatch(/^postgres:\/\/medusa:fake-m-db-0123456789abcdef@postgres:5432\/medusa\?sslmode=disable$/);
    const cookie = (platform: Parameters<typeof synth>[1]) => envOf(podTemplates(allObjects(medusa({}, platform))).find((t) => t.owner.metadata.name === 'medusa')!.spec.containers[0]!).MEDUSA_COOKIE_SECURE;
    expect(cookie({})).toBe('false');
    expect(cookie({ tls: { enabled: true, clusterIssuer: 'le' } })).toBe('true');
  });

  it('passes the store settings to the setup Job and the admin login to the store check', () => {
    const templates = podTemplates(allObjects(medusa({ currency: 'GBP', title: 'Tea Shop' })));
    const setup = envOf(templates.find((t) => t.owner.metadata.name === 'store-setup')!.spec.containers[0]!);
    expect(setup).toMatchObject({ STORE_CURRENCY: 'GBP', STORE_TITLE: 'Tea Shop', STORE_COUNTRIES: 'us' });
    expect(setup.MEDUSA_ADMIN_PASSWORD).toEqual({ secretKeyRef: { name: 'medusa-admin', key: 'password' } });
    const check = envOf(templates.find((t) => t.owner.metadata.name === 'store-check')!.spec.containers[0]!);
    expect(check).toMatchObject({ CONNECT_URL: 'http://ingress-nginx-controller.ingress-nginx.svc', STORE_HOST: 'acme.127.0.0.1.nip.io' });
  });

  it('denies by default and opens only server <- ingress controller and check, backend clients -> PostgreSQL and Redis', () => {
    const policies = allObjects(medusa()).filter((o) => o.kind === 'NetworkPolicy') as Policy[];
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(['allow-dns', 'backend-clients', 'default-deny', 'medusa', 'postgres', 'redis', 'store-check']);
    const byName = (n: string) => policies.find((p) => p.metadata.name === n)!;
    expect(JSON.stringify(byName('medusa').spec.ingress)).toContain('"kubernetes.io/metadata.name":"ingress-nginx"');
    for (const n of ['postgres', 'redis']) {
      expect(byName(n).spec.ingress).toEqual([expect.objectContaining({ from: [{ podSelector: { matchLabels: { [DB_CLIENT_LABEL]: 'true' } } }] })]);
    }
    // only the server, the worker and the setup Job are backend clients; the store check is not
    const clients = podTemplates(allObjects(medusa({ plan: 'standard' }))).filter((t) => t.labels[DB_CLIENT_LABEL] === 'true').map((t) => t.owner.metadata.name);
    expect(clients.sort()).toEqual(['medusa', 'medusa-worker', 'store-setup']);
    for (const p of policies.filter((x) => !['default-deny', 'allow-dns', 'backend-clients'].includes(x.metadata.name))) {
      expect(Object.keys(p.spec.podSelector.matchLabels ?? {})).toContain(STORE_ID_LABEL);
    }
  });

  it('keeps secret values out of every object but Secrets', () => {
    const secrets = medusaSecrets('leak');
    const objects = allObjects(medusa({}, {}, secrets));
    const nonSecret = JSON.stringify(objects.filter((o) => o.kind !== 'Secret'));
    const values = secretValues(secrets).filter((v) => v !== secrets.dbRootPassword); // Medusa needs no superuser
    for (const v of values) expect(nonSecret).not.toContain(v);
    for (const v of values) expect(JSON.stringify(objects.filter((o) => o.kind === 'Secret'))).toContain(v);
  });

  it('respects the platform\'s node pool, storage class, ingress class and image overrides', () => {
    const objects = allObjects(medusa({}, {
      nodePool: { key: 'pool', value: 'stores' }, storageClassName: 'fast', ingressClassName: 'traefik',
      images: { ...DEFAULT_PLATFORM_SETTINGS.images, medusa: 'localhost/medusa:2.21.2-r1', postgres: 'localhost/postgres:15-r1', redis: 'localhost/redis:7.0-r1' },
    }));
    for (const t of podTemplates(objects)) {
      expect((t.spec as unknown as Record<string, unknown>).nodeSelector, t.owner.metadata.name).toEqual({ pool: 'stores' });
      for (const c of t.spec.containers) expect(c.image).toMatch(/^localhost\//);
    }
    expect(JSON.stringify(objects.find((o) => o.kind === 'StatefulSet'))).toContain('"storageClassName":"fast"');
    expect((objects.find((o) => o.kind === 'Ingress')!.spec as { ingressClassName: string }).ingressClassName).toBe('traefik');
  });

  it('builds a reset Job that reads the new password from the Secret, never from its spec', () => {
    const job = engineOf('medusa').resetPasswordJob('shop', { spec: { name: 'shop', plan: 'small' }, platform: DEFAULT_PLATFORM_SETTINGS, jobName: 'reset-admin-password-3' });
    expect(job.metadata).toMatchObject({ name: 'reset-admin-password-3', namespace: 'store-shop' });
    const [pod] = podTemplates([job]);
    expect(pod!.spec.containers[0]!.env).toContainEqual({ name: 'MEDUSA_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'medusa-admin', key: 'password' } } });
    expect(pod!.labels[DB_CLIENT_LABEL]).toBe('true');
  });

  it('fails without signing secrets, on an unpinned image, and on a password that is not URL-safe', () => {
    expect(() => medusa({}, {}, fakeSecrets())).toThrow(/secrets.signing/);
    expect(() => medusa({}, { images: { ...DEFAULT_PLATFORM_SETTINGS.images, medusa: 'medusa' } })).toThrow(/medusa image must be pinned/);
    expect(() => medusa({}, {}, { ...medusaSecrets(), dbPassword: 'has a space in it' })).toThrow(/URL-safe/);
  });
});
