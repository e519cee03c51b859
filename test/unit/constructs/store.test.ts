import { describe, expect, it } from 'vitest';
import { DATABASE_IMAGES, databaseEngineOfImage, isDigestPinned } from '../../../constructs/images.js';
import {
  DB_CLIENT_LABEL,
  DEFAULT_PLATFORM_SETTINGS,
  MANAGED_BY_LABEL,
  PLANS,
  POD_SECURITY_ENFORCE_LABEL,
  STORE_ID_LABEL,
  type KubeObject,
  type PlatformSettings,
  planProblems,
  planTable,
  storeLabels,
  synthesizeStore,
  engineOf,
  ENGINES,
} from '../../../constructs/index.js';
import { CERTIFICATE_TIMEOUT_SECONDS } from '../../../constructs/ingress.js';
import {
  aSpec,
  allObjects,
  cpuMillis,
  type ContainerJson,
  fakeSecrets,
  medusaSecrets,
  mebibytes,
  podTemplates,
  secretValues,
  synth,
} from './fixtures.js';
import { cronSchedule } from '../../../constructs/woocommerce/wp-cron.js';
import { CHECK_ORDER_FILE, STORE_CHECK_TIMING } from '../../../constructs/woocommerce/store-check.js';
import { CHECK_ORDER_EMAIL } from '../../../constructs/woocommerce/names.js';

const CLUSTER_SCOPED = new Set(['Namespace']);

describe('WooCommerce store synthesis', () => {
  for (const plan of PLANS) {
    it(`synthesizes the expected manifests for plan ${plan}`, () => {
      expect(synth({ plan })).toMatchSnapshot();
    });
  }

  it('lists the steps in apply order with their readiness rules', () => {
    const steps = synth();
    expect(steps.map((s) => [s.name, s.readiness.kind])).toEqual([
      ['namespace', 'NamespaceActive'],
      ['guardrails', 'QuotaObserved'],
      ['secrets', 'Applied'],
      ['network-policy', 'Applied'],
      ['mysql', 'StatefulSetReady'],
      ['wordpress', 'DeploymentAvailable'],
      ['store-setup', 'JobComplete'],
      ['ingress', 'Applied'],
      ['store-check', 'JobComplete'],
    ]);
    for (const s of steps) {
      expect(s.objects.length, s.name).toBeGreaterThan(0);
      expect(s.timeoutSeconds).toBeGreaterThan(0);
      if ('name' in s.readiness && s.readiness.kind !== 'NamespaceActive') {
        // the rule points at an object of its own step
        const target = s.readiness;
        expect(s.objects.some((o) => o.metadata.name === target.name), s.name).toBe(true);
      }
    }
  });

  it('is byte-identical for identical input', () => {
    expect(JSON.stringify(synth())).toBe(JSON.stringify(synth()));
  });

  it('changes when the secrets change (they are inputs, not drawn inside)', () => {
    expect(JSON.stringify(synth({}, {}, fakeSecrets('a')))).not.toBe(JSON.stringify(synth({}, {}, fakeSecrets('b'))));
  });

  it('labels every object with the store labels and places namespaced objects in store-<slug>', () => {
    const objects = allObjects(synth({ name: 'shop-42' }));
    for (const o of objects) {
      expect(o.metadata.labels, `${o.kind}/${o.metadata.name}`).toMatchObject(storeLabels('shop-42'));
      if (CLUSTER_SCOPED.has(o.kind)) expect(o.metadata.namespace, o.kind).toBeUndefined();
      else expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('store-shop-42');
    }
    for (const t of podTemplates(objects)) expect(t.labels).toMatchObject(storeLabels('shop-42'));
  });

  it('declares Pod Security "restricted" on the namespace', () => {
    const ns = allObjects(synth()).find((o) => o.kind === 'Namespace');
    expect(ns?.metadata.labels?.[POD_SECURITY_ENFORCE_LABEL]).toBe('restricted');
    expect(ns?.metadata.labels?.[MANAGED_BY_LABEL]).toBe('store-platform');
  });

  it('gives every container requests, limits, a restricted securityContext and a pinned image', () => {
    const templates = podTemplates(allObjects(synth()));
    expect(templates.map((t) => `${t.owner.kind}/${t.owner.metadata.name}`).sort()).toEqual([
      'CronJob/wp-cron',
      'Deployment/wordpress',
      'Job/store-check',
      'Job/store-setup',
      'StatefulSet/mysql',
    ]);
    for (const t of templates) {
      expect(t.spec.securityContext?.runAsNonRoot).toBe(true);
      expect(t.spec.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      for (const c of [...t.spec.containers, ...(t.spec.initContainers ?? [])]) {
        const where = `${t.owner.metadata.name}/${c.name}`;
        expect(isDigestPinned(c.image), `${where}: ${c.image} is pinned by tag and digest`).toBe(true);
        expect(c.image, where).not.toMatch(/:latest$/);
        for (const r of ['cpu', 'memory']) {
          expect(c.resources?.requests?.[r], where).toBeDefined();
          expect(c.resources?.limits?.[r], where).toBeDefined();
        }
        expect(c.securityContext?.allowPrivilegeEscalation, where).toBe(false);
        expect(c.securityContext?.runAsNonRoot, where).toBe(true);
        expect(c.securityContext?.capabilities?.drop, where).toEqual(['ALL']);
        expect(c.securityContext?.seccompProfile?.type, where).toBe('RuntimeDefault');
      }
    }
  });

  it('gives long-running containers readiness and liveness probes', () => {
    const templates = podTemplates(allObjects(synth())).filter((t) => t.owner.kind !== 'Job' && t.owner.kind !== 'CronJob');
    for (const c of templates.flatMap((t) => t.spec.containers)) {
      expect(c.readinessProbe, c.name).toBeDefined();
      expect(c.livenessProbe, c.name).toBeDefined();
    }
  });

  for (const plan of PLANS) {
    it(`sets the quota from the plan table and fits every concurrently running pod in it (${plan})`, () => {
      const objects = allObjects(synth({ plan }));
      const quota = objects.find((o) => o.kind === 'ResourceQuota') as KubeObject & { spec: { hard: Record<string, string> } };
      const row = planTable[plan];
      expect(cpuMillis(quota.spec.hard['requests.cpu']!)).toBe(row.quota.requests.cpuMillis);
      expect(mebibytes(quota.spec.hard['requests.memory']!)).toBe(row.quota.requests.memoryMiB);
      expect(cpuMillis(quota.spec.hard['limits.cpu']!)).toBe(row.quota.limits.cpuMillis);
      expect(mebibytes(quota.spec.hard['limits.memory']!)).toBe(row.quota.limits.memoryMiB);
      expect(quota.spec.hard['requests.storage']).toBe(`${row.quota.storageGiB}Gi`);
      expect(quota.spec.hard['services.loadbalancers']).toBe('0');

      // effective pod request = max(any init container, sum of containers). The setup Job and the
      // store check run one after the other (the check's step starts once setup is Complete), and a
      // reset-password Job (the setup Job's size) may run next to either
      const podSum = (key: 'requests' | 'limits', res: 'cpu' | 'memory') => {
        const parse = res === 'cpu' ? cpuMillis : mebibytes;
        const v = (c: ContainerJson) => parse(c.resources![key]![res]!);
        const sized = new Map<string, number>();
        for (const t of podTemplates(objects)) {
          const main = t.spec.containers.reduce((n, c) => n + v(c), 0);
          sized.set(t.owner.metadata.name, Math.max(main, ...(t.spec.initContainers ?? []).map(v)));
        }
        const reset = sized.get('store-setup')!;
        const setupOrCheck = Math.max(reset, sized.get('store-check')!);
        sized.delete('store-setup');
        sized.delete('store-check');
        return [...sized.values()].reduce((n, x) => n + x, 0) + setupOrCheck + reset;
      };
      expect(podSum('requests', 'cpu')).toBeLessThanOrEqual(cpuMillis(quota.spec.hard['requests.cpu']!));
      expect(podSum('requests', 'memory')).toBeLessThanOrEqual(mebibytes(quota.spec.hard['requests.memory']!));
      expect(podSum('limits', 'cpu')).toBeLessThanOrEqual(cpuMillis(quota.spec.hard['limits.cpu']!));
      expect(podSum('limits', 'memory')).toBeLessThanOrEqual(mebibytes(quota.spec.hard['limits.memory']!));
      expect(planProblems(row)).toEqual([]);
    });
  }

  it('fails when a plan row does not fit its own quota', () => {
    const row = planTable.small;
    const bad = { ...row, quota: { ...row.quota, requests: { cpuMillis: 100, memoryMiB: row.quota.requests.memoryMiB } } };
    expect(planProblems(bad).join()).toMatch(/summed cpu requests/);
  });

  it('runs due WP-Cron events from a CronJob at the store\'s own minute, not on page loads', () => {
    const objects = allObjects(synth());
    const cron = objects.find((o) => o.kind === 'CronJob') as KubeObject & { spec: { schedule: string; concurrencyPolicy: string } };
    expect(cron.metadata.name).toBe('wp-cron');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    expect(cron.spec.schedule).toBe(cronSchedule('acme'));
    expect(cron.spec.schedule).toMatch(/^[0-4]-59\/5 \* \* \* \*$/);
    // stores spread over the interval
    expect(new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((n) => cronSchedule(`shop-${n}`))).size).toBeGreaterThan(2);
    const [c] = podTemplates([cron])[0]!.spec.containers;
    expect(c!.command!.join(' ')).toContain('http://wordpress:80/wp-cron.php?doing_wp_cron');
    const wpEnv = podTemplates(objects).find((t) => t.owner.metadata.name === 'wordpress')!.spec.containers[0]!.env!;
    expect(wpEnv.find((e) => e.name === 'WORDPRESS_CONFIG_EXTRA')?.value).toContain("define('DISABLE_WP_CRON', true);");
    // the run may reach WordPress only, and WordPress admits it
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as (KubeObject & { spec: { egress?: unknown[]; ingress?: unknown[] } })[];
    expect(policies.find((p) => p.metadata.name === 'wp-cron')!.spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: { [STORE_ID_LABEL]: 'acme', 'app.kubernetes.io/name': 'wordpress' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
    expect(JSON.stringify(policies.find((p) => p.metadata.name === 'wordpress')!.spec.ingress)).toContain('"app.kubernetes.io/name":"wp-cron"');
  });

  it('denies all traffic by default and opens only the listed flows', () => {
    const policies = allObjects(synth()).filter((o) => o.kind === 'NetworkPolicy') as (KubeObject & {
      spec: { podSelector: Record<string, unknown>; policyTypes: string[]; ingress?: unknown[]; egress?: unknown[] };
    })[];
    const deny = policies.find((p) => p.metadata.name === 'default-deny');
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    // every other policy selects pods of this store only (or all pods of the namespace for DNS)
    for (const p of policies.filter((x) => x !== deny && x.metadata.name !== 'allow-dns')) {
      const sel = p.spec.podSelector as { matchLabels: Record<string, string> };
      expect(Object.keys(sel.matchLabels).some((k) => k === STORE_ID_LABEL || k === DB_CLIENT_LABEL), p.metadata.name).toBe(true);
    }
    const wp = policies.find((p) => p.metadata.name === 'wordpress')!;
    expect(JSON.stringify(wp.spec.ingress)).toContain('"kubernetes.io/metadata.name":"ingress-nginx"');
  });

  it('excepts the cluster ranges from every internet egress rule', () => {
    const policies = allObjects(synth({}, { clusterCidrs: ['10.0.0.0/8', '192.168.0.0/16'] })).filter((o) => o.kind === 'NetworkPolicy');
    const blocks = JSON.stringify(policies).match(/"ipBlock":\{[^}]*\}/g) ?? [];
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks) {
      expect(['"ipBlock":{"cidr":"0.0.0.0/0","except":["10.0.0.0/8","192.168.0.0/16"]}', '"ipBlock":{"cidr":"::/0","except":[]}']).toContain(b);
    }
  });

  it('drops WordPress internet egress when the platform forbids it', () => {
    const wp = allObjects(synth({}, { allowInternetEgress: false })).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'wordpress');
    expect((wp?.spec as { egress?: unknown; policyTypes: string[] }).egress).toBeUndefined();
    expect((wp?.spec as { policyTypes: string[] }).policyTypes).toEqual(['Ingress']);
  });

  it('keeps secret values out of every object but Secrets', () => {
    const secrets = fakeSecrets('leak');
    const objects = allObjects(synth({}, {}, secrets));
    const nonSecret = JSON.stringify(objects.filter((o) => o.kind !== 'Secret'));
    for (const v of secretValues(secrets)) expect(nonSecret).not.toContain(v);
    const secretJson = JSON.stringify(objects.filter((o) => o.kind === 'Secret'));
    for (const v of secretValues(secrets)) expect(secretJson).toContain(v);
    for (const s of objects.filter((o) => o.kind === 'Secret')) {
      expect(s.stringData, s.metadata.name).toBeDefined();
      expect(s.data, s.metadata.name).toBeUndefined();
    }
  });

  it('serves the store on <slug>.<baseDomain> over plain HTTP by default', () => {
    const ing = allObjects(synth({ name: 'shop' }, { baseDomain: 'stores.test' })).find((o) => o.kind === 'Ingress')!;
    expect(JSON.stringify(ing.spec)).toContain('"host":"shop.stores.test"');
    expect(ing.metadata.annotations).toBeUndefined();
    expect((ing.spec as { tls?: unknown }).tls).toBeUndefined();
    expect((ing.spec as { ingressClassName: string }).ingressClassName).toBe('nginx');
  });

  it('serves a custom domain with cert-manager TLS when enabled', () => {
    const objects = allObjects(synth({ customDomain: 'shop.example.org' }, { tls: { enabled: true, clusterIssuer: 'le-prod' } }));
    const ing = objects.find((o) => o.kind === 'Ingress')!;
    expect(ing.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'le-prod' });
    expect(ing.spec).toMatchObject({ tls: [{ hosts: ['shop.example.org'], secretName: 'wordpress-tls' }] });
    expect(JSON.stringify(objects)).toContain("define('WP_HOME', 'https://shop.example.org');");
  });

  it('keeps the database server family a store was created with when the platform\'s default is another', () => {
    const dbImage = (props: { databaseServer?: string }, platform: Partial<PlatformSettings> = {}) => {
      const steps = synthesizeStore({ spec: aSpec(), secrets: fakeSecrets(), platform: { ...DEFAULT_PLATFORM_SETTINGS, ...platform }, ...props });
      return podTemplates(allObjects(steps)).find((t) => t.owner.metadata.name === 'mysql')!.spec.containers[0]!.image;
    };
    const mirror = { images: { ...DEFAULT_PLATFORM_SETTINGS.images, mysql: 'mirror.example/db/mariadb:11.8.9@sha256:' + 'a'.repeat(64) } };
    // a new store, or one of the platform's family, runs the platform's image (its override included)
    expect(dbImage({})).toBe(DATABASE_IMAGES.mariadb);
    expect(dbImage({ databaseServer: 'mariadb' }, mirror)).toBe(mirror.images.mysql);
    // a store created on MySQL stays on MySQL's pinned image
    expect(dbImage({ databaseServer: 'mysql' }, mirror)).toBe(DATABASE_IMAGES.mysql);
    expect(dbImage({ databaseServer: 'mariadb' }, { databaseEngine: 'mysql', images: { ...DEFAULT_PLATFORM_SETTINGS.images, mysql: DATABASE_IMAGES.mysql } }))
      .toBe(DATABASE_IMAGES.mariadb);
    expect(() => dbImage({ databaseServer: 'postgres' })).toThrow("database server 'postgres' is not one of mariadb, mysql");
  });

  it('reads a running server\'s family from its image name', () => {
    expect(databaseEngineOfImage(DATABASE_IMAGES.mariadb)).toBe('mariadb');
    expect(databaseEngineOfImage(DATABASE_IMAGES.mysql)).toBe('mysql');
    expect(databaseEngineOfImage('localhost/mariadb:10.11-r3')).toBe('mariadb');
    expect(databaseEngineOfImage('registry.example:5000/library/mysql:8.0')).toBe('mysql');
    expect(databaseEngineOfImage('docker.io/library/mariadb')).toBe('mariadb');
  });

  it('is Ready with TLS only once the certificate for its host is issued, before the store check runs over HTTPS', () => {
    for (const engine of ENGINES) {
      const secrets = engine === 'medusa' ? medusaSecrets() : fakeSecrets();
      const steps = synth({ engine, customDomain: 'shop.example.org' }, { tls: { enabled: true, clusterIssuer: 'le-prod' } }, secrets);
      const names = steps.map((s) => s.name);
      const ingress = steps.find((s) => s.name === 'ingress')!;
      const secretName = (ingress.objects[0]!.spec as { tls: { secretName: string }[] }).tls[0]!.secretName;
      expect(ingress.readiness, engine).toEqual({ kind: 'CertificateIssued', namespace: 'store-acme', secretName, host: 'shop.example.org' });
      expect(ingress.timeoutSeconds).toBe(CERTIFICATE_TIMEOUT_SECONDS);
      expect(names.indexOf('ingress'), engine).toBeLessThan(names.indexOf(engineOf(engine).checkStep));
      expect(synth({ engine }, {}, secrets).find((s) => s.name === 'ingress')!.readiness, engine).toEqual({ kind: 'Applied' });
    }
  });

  it('runs WordPress as www-data on 8080 behind a Service on 80', () => {
    const objects = allObjects(synth());
    const wp = podTemplates(objects).find((t) => t.owner.kind === 'Deployment')!;
    expect(wp.spec.securityContext).toMatchObject({ runAsUser: 33, runAsGroup: 33, fsGroup: 33 });
    expect(JSON.stringify(wp.spec.containers[0])).toContain('"containerPort":8080');
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'wordpress-apache')!;
    expect((cm.data as Record<string, string>)['ports.conf']).toMatch(/^Listen 8080$/m);
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'wordpress')!;
    expect(svc.spec).toMatchObject({ ports: [{ port: 80, targetPort: 'http' }] });
  });

  it('runs MySQL as its own user with fsGroup', () => {
    const mysql = podTemplates(allObjects(synth())).find((t) => t.owner.kind === 'StatefulSet')!;
    expect(mysql.spec.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
  });

  it('runs the store check\'s checkout, then its order removal, inside the Job deadline and the step timeout', () => {
    const steps = synth();
    const step = steps.find((s) => s.name === 'store-check')!;
    const job = step.objects.find((o) => o.kind === 'Job') as KubeObject & { spec: { backoffLimit: number; activeDeadlineSeconds: number } };
    const pod = podTemplates([job])[0]!.spec;
    expect(pod.initContainers!.map((c) => c.name)).toEqual(['stage-core', 'checkout']);
    expect(pod.containers.map((c) => [c.name, c.command])).toEqual([['wp-cli', ['/bin/sh', '/scripts/remove-check-order.sh']]]);
    const checkoutEnv = Object.fromEntries(pod.initContainers![1]!.env!.map((e) => [e.name, e.value]));
    const removalEnv = Object.fromEntries(pod.containers[0]!.env!.map((e) => [e.name, e.value]));
    expect(checkoutEnv).toMatchObject({ CHECK_EMAIL: CHECK_ORDER_EMAIL, ORDER_FILE: CHECK_ORDER_FILE, BILLING_COUNTRY: DEFAULT_PLATFORM_SETTINGS.storeAddress.country });
    expect(removalEnv).toMatchObject({ CHECK_EMAIL: CHECK_ORDER_EMAIL, ORDER_FILE: CHECK_ORDER_FILE });
    expect(CHECK_ORDER_EMAIL).toMatch(/@[a-z.-]+\.invalid$/);
    const t = STORE_CHECK_TIMING;
    expect(Number(checkoutEnv['DEADLINE_SECONDS'])).toBe(t.checkoutDeadlineSeconds);
    // the checkout's retries, then one curl --max-time and the removal, fit one pod's budget
    expect(t.checkoutDeadlineSeconds + 20 + 60).toBeLessThanOrEqual(t.podSeconds);
    expect((job.spec.backoffLimit + 1) * t.podSeconds).toBeLessThanOrEqual(job.spec.activeDeadlineSeconds);
    expect(job.spec.activeDeadlineSeconds).toBeLessThan(step.timeoutSeconds);
  });

  it('removes finished Jobs and their pods after a TTL', () => {
    for (const job of allObjects(synth()).filter((o) => o.kind === 'Job')) {
      expect((job.spec as { ttlSecondsAfterFinished?: number }).ttlSecondsAfterFinished, job.metadata.name).toBeGreaterThan(0);
    }
  });

  it('embeds the setup and check scripts and passes the store settings to the setup job', () => {
    const objects = allObjects(synth({ currency: 'GBP', title: 'Tea Shop' }));
    const scripts = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'store-scripts')!;
    expect(Object.keys(scripts.data as object).sort()).toEqual(['remove-check-order.sh', 'setup-store.sh', 'store-check.sh']);
    const setup = podTemplates(objects).find((t) => t.owner.metadata.name === 'store-setup')!;
    const envs = Object.fromEntries((setup.spec.containers[0]!.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(envs).toMatchObject({ STORE_CURRENCY: 'GBP', STORE_TITLE: 'Tea Shop', STORE_URL: 'http://acme.127.0.0.1.nip.io' });
    expect(envs['ADMIN_PASSWORD']).toEqual({ secretKeyRef: { name: 'wordpress-admin', key: 'password' } });
  });

  it('fails on an unpinned image', () => {
    const images = { ...DEFAULT_PLATFORM_SETTINGS.images, wordpress: 'wordpress' };
    expect(() => synth({}, { images })).toThrow(/wordpress image must be pinned/);
    expect(() => synth({}, { images: { ...images, wordpress: 'wordpress:latest' } })).toThrow(/pinned/);
    expect(() => synth({}, { images: { ...images, wordpress: 'registry.local:5000/wordpress' } })).toThrow(/pinned/);
  });

  it('fails on a spec the schema rejects', () => {
    expect(() => synthesizeStore({ spec: aSpec({ name: 'Bad_Name' }), secrets: fakeSecrets(), platform: DEFAULT_PLATFORM_SETTINGS })).toThrow(
      /invalid store spec/,
    );
  });

  it('fails on short secrets', () => {
    expect(() => synth({}, {}, { ...fakeSecrets(), adminPassword: 'short' })).toThrow(/adminPassword must be at least 12/);
  });
});
