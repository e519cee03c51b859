import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import {
  DEFAULT_PLATFORM_SETTINGS,
  type PlatformSettings,
  StoreSpec,
  type SynthesizedStep,
  engineAvailable,
} from '../../constructs/index.js';
import { redactSteps, synthStoreFromSpec } from '../manifests/synth.js';
import { type CliIo, type Command, UsageError } from './usage-error.js';

const HELP = `Usage: store-platform synth --name <name> [options]

Synthesizes every Kubernetes object of one store, grouped into provisioning steps in apply order.
Without --out, prints one multi-document YAML stream; with --out, writes one file per step
(01-namespace.yaml, 02-guardrails.yaml, ...). Secret values are redacted unless --reveal-secrets.

Store:
  --name <name>              store name (slug), 3-40 chars, lowercase letters, digits, '-'  (required)
  --plan <plan>              small | standard | large                     (default: standard)
  --engine <engine>          woocommerce | medusa                         (default: woocommerce)
  --title <title>            store title                                  (default: the name)
  --email <email>            administrator email                          (default: admin@example.com)
  --currency <code>          ISO 4217 currency                            (default: USD)
  --custom-domain <host>     serve on this host instead of <name>.<domain>
Platform:
  --domain <domain>          base domain of store hosts                   (default: ${DEFAULT_PLATFORM_SETTINGS.baseDomain})
  --ingress-class <name>     ingressClassName                             (default: ${DEFAULT_PLATFORM_SETTINGS.ingressClassName})
  --ingress-namespace <ns>   namespace of the ingress controller          (default: ${DEFAULT_PLATFORM_SETTINGS.ingressNamespace})
  --ingress-service <name>   the controller's Service the store check uses (default: ${DEFAULT_PLATFORM_SETTINGS.ingressService})
  --tls                      TLS through cert-manager
  --cluster-issuer <name>    cert-manager ClusterIssuer                   (default: ${DEFAULT_PLATFORM_SETTINGS.tls.clusterIssuer})
  --storage-class <name>     StorageClass of the store's volumes          (default: the cluster's default)
  --no-internet-egress       forbid WordPress egress to the internet
Output:
  --out <dir>                write one YAML file per step into <dir>
  --reveal-secrets           print real (freshly generated) secret values
  -h, --help                 show this help
`;

const OPTIONS = {
  name: { type: 'string' },
  plan: { type: 'string', default: 'standard' },
  engine: { type: 'string', default: 'woocommerce' },
  title: { type: 'string' },
  email: { type: 'string', default: 'admin@example.com' },
  currency: { type: 'string', default: 'USD' },
  'custom-domain': { type: 'string' },
  domain: { type: 'string', default: DEFAULT_PLATFORM_SETTINGS.baseDomain },
  'ingress-class': { type: 'string', default: DEFAULT_PLATFORM_SETTINGS.ingressClassName },
  'ingress-namespace': { type: 'string', default: DEFAULT_PLATFORM_SETTINGS.ingressNamespace },
  'ingress-service': { type: 'string', default: DEFAULT_PLATFORM_SETTINGS.ingressService },
  tls: { type: 'boolean', default: false },
  'cluster-issuer': { type: 'string', default: DEFAULT_PLATFORM_SETTINGS.tls.clusterIssuer },
  'storage-class': { type: 'string' },
  'no-internet-egress': { type: 'boolean', default: false },
  out: { type: 'string' },
  'reveal-secrets': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: false }>>['values'];

function parse(argv: readonly string[]): Values {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    // node's messages are one line already, e.g. "Unknown option '--nme'"
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new UsageError(`${msg} (see store-platform synth --help)`, { cause: err });
  }
}

/** The store spec and platform settings the flags describe; UsageError on bad values. */
export function inputsFromFlags(values: Values): { spec: StoreSpec; platform: PlatformSettings } {
  if (!values.name) throw new UsageError('--name is required (see store-platform synth --help)');
  const parsed = StoreSpec.safeParse({
    name: values.name,
    engine: values.engine,
    plan: values.plan,
    adminEmail: values.email,
    title: values.title ?? values.name,
    currency: values.currency,
    ...(values['custom-domain'] ? { customDomain: values['custom-domain'] } : {}),
  });
  if (!parsed.success) {
    const flag: Record<string, string> = { adminEmail: 'email', customDomain: 'custom-domain' };
    const issues = parsed.error.issues.map((i) => `--${flag[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`);
    throw new UsageError(issues.join('; '));
  }
  if (!engineAvailable(parsed.data.engine)) throw new UsageError(`--engine: engine '${parsed.data.engine}' is not available yet`);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(values.domain)) {
    throw new UsageError(`--domain: '${values.domain}' is not a DNS domain like 127.0.0.1.nip.io`);
  }
  const platform: PlatformSettings = {
    ...DEFAULT_PLATFORM_SETTINGS,
    baseDomain: values.domain,
    ingressClassName: values['ingress-class'],
    ingressNamespace: values['ingress-namespace'],
    ingressService: values['ingress-service'],
    tls: { enabled: values.tls, clusterIssuer: values['cluster-issuer'] },
    allowInternetEgress: !values['no-internet-egress'],
    ...(values['storage-class'] ? { storageClassName: values['storage-class'] } : {}),
  };
  return { spec: parsed.data, platform };
}

/** File name of a step: `01-namespace.yaml`. */
export function stepFileName(index: number, step: SynthesizedStep): string {
  return `${String(index + 1).padStart(2, '0')}-${step.name}.yaml`;
}

/** One step as YAML documents, headed by a comment naming the step and its readiness rule. */
export function renderStep(index: number, total: number, step: SynthesizedStep): string {
  const header = `# step ${index + 1}/${total}: ${step.name} (${step.title}); ready when ${step.readiness.kind}, timeout ${step.timeoutSeconds}s\n`;
  const docs = step.objects.map((o) => stringify(o, { lineWidth: 0 }));
  return header + docs.map((d) => `---\n${d}`).join('');
}

export const synthCommand: Command = {
  summary: 'print or write the Kubernetes objects of one store, step by step',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const values = parse(argv);
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    const { spec, platform } = inputsFromFlags(values);
    const synthesized = synthStoreFromSpec(spec, platform);
    const steps = values['reveal-secrets'] ? synthesized : redactSteps(synthesized);
    if (values.out === undefined) {
      io.stdout.write(steps.map((s, i) => renderStep(i, steps.length, s)).join(''));
      return 0;
    }
    if (values.out === '') throw new UsageError('--out needs a directory');
    mkdirSync(values.out, { recursive: true });
    steps.forEach((s, i) => {
      const file = join(values.out as string, stepFileName(i, s));
      writeFileSync(file, renderStep(i, steps.length, s));
      io.stdout.write(`${file}\n`);
    });
    return 0;
  },
};

