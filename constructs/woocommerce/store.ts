import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { StoreContext } from './context.js';
import { Guardrails } from '../quotas.js';
import { MySql, newStoreDatabaseServer } from './mysql.js';
import { StoreNamespace } from '../namespace.js';
import { namespaceFor } from '../names.js';
import { NetworkPolicies } from '../network-policies.js';
import { planTable, type PlanSpec } from '../plans.js';
import { fitProblems } from '../plan-fit.js';
import { tuningProblems } from './tuning.js';
import { StoreSecretsStep } from './secrets.js';
import { SetupJob } from './setup-job.js';
import type { StoreProps } from '../engine.js';
import { parseSpec, storeHost, storeUrl } from '../spec.js';
import { DATABASE_IMAGES, isDatabaseEngine, type DatabaseEngine } from '../images.js';
import { StoreCheck } from './store-check.js';
import { StoreIngress } from '../ingress.js';
import { StoreStep } from '../step.js';
import { WORDPRESS_SERVICE_PORT, WordPress } from './wordpress.js';
import { componentLabels } from '../labels.js';
import { OBJECT_NAMES } from './names.js';

/**
 * Problems with a plan row: pods that may run at once (MySQL, WordPress, the setup job or store check,
 * a password reset, a WP-Cron run) must fit the quota, every container and volume must fit the LimitRange,
 * and the Apache, PHP and database worst cases their containers' limits (tuning.ts). Empty when the plan is consistent.
 */
export function planProblems(plan: PlanSpec): string[] {
  const c = plan.components;
  return [...tuningProblems(plan), ...fitProblems(plan, {
    // database, web, two wp-cli pods (the setup or the store check, and a password reset) and a WP-Cron run
    // may overlap; the store check's curl container runs before its wp-cli one, so wp-cli sizes that pod
    concurrent: [c.mysql, c.wordpress, c.wpCli, c.wpCli, c.storeCheck],
    containers: c,
    volumesGiB: { mysql: plan.storage.mysqlGiB, 'wp-content': plan.storage.wpContentGiB },
  })];
}

/** The store's own family (kept from its creation), else a new store's. */
function storeDatabaseServer(props: Pick<StoreProps, 'databaseServer' | 'platform'>): DatabaseEngine {
  const server = props.databaseServer ?? newStoreDatabaseServer(props.platform);
  if (!isDatabaseEngine(server)) throw new Error(`database server '${server}' is not one of ${Object.keys(DATABASE_IMAGES).join(', ')}`);
  return server;
}

/**
 * A WooCommerce store: one Chart whose children are the provisioning steps, in apply order.
 * Pure: the same props give byte-identical objects (no I/O, clock or randomness). Each step
 * depends on the one before, so `cdk8s synth` also emits objects in apply order.
 */
export class WooCommerceStore extends Chart {
  /** Derived facts shared by the steps (namespace, host, plan row). */
  public readonly context: StoreContext;

  public constructor(scope: Construct, id: string, props: StoreProps) {
    // no chart-level namespace: it would also stamp the cluster-scoped Namespace object
    super(scope, id, { disableResourceNameHashes: true });
    const spec = parseSpec(props.spec);
    if (spec.engine !== 'woocommerce') throw new Error(`WooCommerceStore builds engine 'woocommerce', got '${spec.engine}'`);
    const plan = planTable[spec.plan];
    this.context = {
      slug: spec.name,
      namespace: namespaceFor(spec.name),
      spec,
      secrets: props.secrets,
      platform: props.platform,
      plan,
      host: storeHost(spec, props.platform),
      url: storeUrl(spec, props.platform),
      databaseServer: storeDatabaseServer(props),
    };
    this.node.addValidation({ validate: () => planProblems(plan).map((p) => `plan ${spec.plan}: ${p}`) });

    const context = this.context;
    // construction order is apply order (collectSteps walks the tree)
    const namespace = new StoreNamespace(this, 'Namespace', { slug: context.slug, ...(props.ownerId !== undefined ? { ownerId: props.ownerId } : {}) });
    const guardrails = new Guardrails(this, 'Guardrails', { slug: context.slug, plan });
    const secrets = new StoreSecretsStep(this, 'Secrets', { context });
    // the shared step holds the default deny and DNS; each workload below adds its own allow-policy to it
    const policies = new NetworkPolicies(this, 'NetworkPolicies', { slug: context.slug, platform: context.platform });
    const steps: StoreStep[] = [
      namespace,
      guardrails,
      secrets,
      policies,
      new MySql(this, 'MySql', { context, policies }),
      new WordPress(this, 'WordPress', { context, policies }),
      new SetupJob(this, 'Setup', { context, policies }),
      new StoreIngress(this, 'Ingress', {
        slug: context.slug,
        name: OBJECT_NAMES.ingress,
        host: context.host,
        backend: { serviceName: OBJECT_NAMES.wordpress, port: WORDPRESS_SERVICE_PORT },
        labels: componentLabels(context.slug, OBJECT_NAMES.wordpress, 'web'),
        platform: props.platform,
        tlsSecretName: OBJECT_NAMES.tlsSecret,
      }),
      new StoreCheck(this, 'StoreCheck', { context, policies }),
    ];
    steps.forEach((step, i) => {
      const previous = steps[i - 1];
      if (previous) step.node.addDependency(previous);
    });
  }
}
