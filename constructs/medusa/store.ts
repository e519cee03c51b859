import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { MedusaContext } from './context.js';
import { Guardrails } from '../quotas.js';
import { StoreNamespace } from '../namespace.js';
import { namespaceFor } from '../names.js';
import { NetworkPolicies } from '../network-policies.js';
import { planTable, type PlanSpec } from '../plans.js';
import { fitProblems } from '../plan-fit.js';
import type { StoreProps } from '../engine.js';
import { parseSpec, storeHost, storeUrl } from '../spec.js';
import { StoreIngress } from '../ingress.js';
import type { StoreStep } from '../step.js';
import { componentLabels } from '../labels.js';
import { MEDUSA_NAMES, MEDUSA_PORTS } from './names.js';
import { MedusaSecrets } from './secrets.js';
import { Postgres } from './postgres.js';
import { Redis } from './redis.js';
import { MedusaSetupJob } from './setup-job.js';
import { MedusaServer } from './server.js';
import { MedusaStoreCheck } from './store-check.js';

/** The least memory a Medusa server gets (MiB): it holds ~430 idle and ~620 at peak. */
export const MEDUSA_MIN_SERVER_MIB = 1024;

/**
 * Problems with a plan row for a Medusa store: the pods that may run at once (PostgreSQL, Redis,
 * the server, the worker where the plan has one, the store check and a password reset; the setup
 * Job finishes before the server starts) must fit the quota, and every container and the volume
 * the LimitRange. Empty when the plan is consistent.
 */
export function medusaPlanProblems(plan: PlanSpec): string[] {
  const m = plan.medusa;
  if (!m) return ['the plan has no Medusa sizing'];
  const problems = fitProblems(plan, {
    concurrent: [m.postgres, m.redis, m.server, ...(m.worker ? [m.worker] : []), m.storeCheck, m.job],
    containers: { postgres: m.postgres, redis: m.redis, server: m.server, ...(m.worker ? { worker: m.worker } : {}), job: m.job, storeCheck: m.storeCheck },
    volumesGiB: { postgres: m.postgresGiB },
  });
  if (m.server.limits.memoryMiB < MEDUSA_MIN_SERVER_MIB) problems.push(`server memory limit ${m.server.limits.memoryMiB} is below Medusa's ${MEDUSA_MIN_SERVER_MIB}`);
  return problems;
}

/**
 * A Medusa store: one Chart whose children are the provisioning steps, in apply order (namespace,
 * guardrails, secrets, network policies, PostgreSQL, Redis, setup Job, server, Ingress, store
 * check). Pure: the same props give byte-identical objects.
 */
export class MedusaStore extends Chart {
  /** Derived facts shared by the steps (namespace, host, plan row). */
  public readonly context: MedusaContext;

  public constructor(scope: Construct, id: string, props: StoreProps) {
    // no chart-level namespace: it would also stamp the cluster-scoped Namespace object
    super(scope, id, { disableResourceNameHashes: true });
    const spec = parseSpec(props.spec);
    if (spec.engine !== 'medusa') throw new Error(`MedusaStore builds engine 'medusa', got '${spec.engine}'`);
    const plan = planTable[spec.plan];
    if (!plan.medusa) throw new Error(`plan '${spec.plan}' does not offer Medusa`);
    const signing = props.secrets.signing;
    if (!signing) throw new Error('a Medusa store needs secrets.signing (jwtSecret and cookieSecret)');
    this.context = {
      slug: spec.name,
      namespace: namespaceFor(spec.name),
      spec,
      secrets: { ...props.secrets, signing },
      platform: props.platform,
      plan,
      sizing: plan.medusa,
      host: storeHost(spec, props.platform),
      url: storeUrl(spec, props.platform),
    };
    this.node.addValidation({ validate: () => medusaPlanProblems(plan).map((p) => `plan ${spec.plan}: ${p}`) });

    const context = this.context;
    // construction order is apply order (collectSteps walks the tree)
    const namespace = new StoreNamespace(this, 'Namespace', { slug: context.slug });
    const guardrails = new Guardrails(this, 'Guardrails', { slug: context.slug, plan });
    const secrets = new MedusaSecrets(this, 'Secrets', { context });
    // the shared step holds the default deny and DNS; each workload below adds its own allow-policy to it
    const policies = new NetworkPolicies(this, 'NetworkPolicies', { slug: context.slug, platform: context.platform });
    const steps: StoreStep[] = [
      namespace,
      guardrails,
      secrets,
      policies,
      new Postgres(this, 'Postgres', { context, policies }),
      new Redis(this, 'Redis', { context, policies }),
      new MedusaSetupJob(this, 'Setup', { context }),
      new MedusaServer(this, 'Server', { context, policies }),
      new StoreIngress(this, 'Ingress', {
        slug: context.slug,
        name: MEDUSA_NAMES.ingress,
        host: context.host,
        backend: { serviceName: MEDUSA_NAMES.server, port: MEDUSA_PORTS.server },
        labels: componentLabels(context.slug, MEDUSA_NAMES.server, 'web'),
        platform: props.platform,
        tlsSecretName: MEDUSA_NAMES.tlsSecret,
      }),
      new MedusaStoreCheck(this, 'StoreCheck', { context, policies }),
    ];
    steps.forEach((step, i) => {
      const previous = steps[i - 1];
      if (previous) step.node.addDependency(previous);
    });
  }
}
