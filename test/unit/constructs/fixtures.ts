import {
  DEFAULT_PLATFORM_SETTINGS,
  type KubeObject,
  type PlatformSettings,
  type StoreSecrets,
  type StoreSpec,
  type SynthesizedStep,
  synthesizeStore,
} from '../../../constructs/index.js';

/** Recognisable fake secrets: every value is unique and easy to search for in output. */
export function fakeSecrets(tag = 'x'): StoreSecrets {
  const v = (name: string) => `fake-${tag}-${name}-0123456789abcdef`;
  return {
    dbRootPassword: v('dbroot'),
    dbPassword: v('db'),
    adminPassword: v('admin'),
    salts: {
      authKey: v('authkey'),
      secureAuthKey: v('secureauthkey'),
      loggedInKey: v('loggedinkey'),
      nonceKey: v('noncekey'),
      authSalt: v('authsalt'),
      secureAuthSalt: v('secureauthsalt'),
      loggedInSalt: v('loggedinsalt'),
      nonceSalt: v('noncesalt'),
    },
  };
}

/** Secrets of a Medusa store: its signing secrets instead of WordPress salts. */
export function medusaSecrets(tag = 'm'): StoreSecrets {
  const { salts: _unused, ...base } = fakeSecrets(tag);
  return { ...base, signing: { jwtSecret: `fake-${tag}-jwt-0123456789abcdef`, cookieSecret: `fake-${tag}-cookie-0123456789abcdef` } };
}

export function secretValues(s: StoreSecrets): string[] {
  return [s.dbRootPassword, s.dbPassword, s.adminPassword, ...Object.values(s.salts ?? {}), ...Object.values(s.signing ?? {})];
}

export function aSpec(overrides: Partial<StoreSpec> = {}): StoreSpec {
  return {
    name: 'acme',
    engine: 'woocommerce',
    plan: 'standard',
    adminEmail: 'owner@acme.example.com',
    title: 'Acme Goods',
    currency: 'EUR',
    ...overrides,
  };
}

export function synth(
  spec: Partial<StoreSpec> = {},
  platform: Partial<PlatformSettings> = {},
  secrets: StoreSecrets = fakeSecrets(),
): SynthesizedStep[] {
  return synthesizeStore({ spec: aSpec(spec), secrets, platform: { ...DEFAULT_PLATFORM_SETTINGS, ...platform } });
}

export function allObjects(steps: readonly SynthesizedStep[]): KubeObject[] {
  return steps.flatMap((s) => s.objects);
}

/** Minimal shapes of the parts of pod templates the tests read. */
export interface ContainerJson {
  name: string;
  image: string;
  command?: string[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] }; seccompProfile?: { type: string } };
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  readinessProbe?: unknown;
  livenessProbe?: unknown;
}
export interface PodSpecJson {
  securityContext?: Record<string, unknown> & { seccompProfile?: { type: string } };
  containers: ContainerJson[];
  initContainers?: ContainerJson[];
  volumes?: Record<string, unknown>[];
}
export interface PodTemplate {
  owner: KubeObject;
  labels: Record<string, string>;
  spec: PodSpecJson;
}

type TemplateJson = { metadata?: { labels?: Record<string, string> }; spec: PodSpecJson };

/** Every pod template (Deployment, StatefulSet, Job, and a CronJob's Job) in `objects`. */
export function podTemplates(objects: readonly KubeObject[]): PodTemplate[] {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'Job', 'CronJob'].includes(o.kind))
    .map((o) => {
      const t = o.kind === 'CronJob'
        ? (o.spec as { jobTemplate: { spec: { template: TemplateJson } } }).jobTemplate.spec.template
        : (o.spec as { template: TemplateJson }).template;
      return { owner: o, labels: t.metadata?.labels ?? {}, spec: t.spec };
    });
}

/** `'250m'` → 250, `'2'` → 2000. */
export function cpuMillis(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

/** `'512Mi'` → 512, `'2Gi'` → 2048. */
export function mebibytes(q: string): number {
  if (q.endsWith('Mi')) return Number(q.slice(0, -2));
  if (q.endsWith('Gi')) return Number(q.slice(0, -2)) * 1024;
  throw new Error(`unexpected memory quantity ${q}`);
}
