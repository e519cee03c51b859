import { App } from 'cdk8s';
import type { Construct } from 'constructs';
import type { SynthesizedStep } from './readiness.js';
import type { Engine } from './spec.js';
import { collectSteps } from './step.js';
import { parseSpec, type StoreProps, WooCommerceStore } from './store.js';

/** One engine the platform can (or will) provision. */
export interface EngineDefinition {
  readonly title: string;
  /** False until the engine's constructs are built: the API refuses it as "not available yet". */
  readonly available: boolean;
  /** Builds the engine's construct tree; absent while the engine is only an outline. */
  readonly build?: (scope: Construct, id: string, props: StoreProps) => Construct;
  /**
   * The planned step list of an engine that is not built yet (names and titles, in order).
   * Built engines describe their steps with their construct tree instead.
   */
  readonly outline?: readonly { readonly name: string; readonly title: string }[];
}

/** The engine registry. */
export const engines: Readonly<Record<Engine, EngineDefinition>> = {
  woocommerce: {
    title: 'WooCommerce',
    available: true,
    build: (scope, id, props) => new WooCommerceStore(scope, id, props),
  },
  /**
   * Medusa: same namespace, guardrails, secrets and policies as WooCommerce, then PostgreSQL
   * (StatefulSet), Redis (Deployment) and the Medusa server (Deployment + migrations Job).
   */
  medusa: {
    title: 'Medusa',
    available: false,
    outline: [
      { name: 'namespace', title: 'Namespace' },
      { name: 'guardrails', title: 'Resource quota and limits' },
      { name: 'secrets', title: 'Secrets' },
      { name: 'network-policy', title: 'Network policies' },
      { name: 'postgres', title: 'PostgreSQL database' },
      { name: 'redis', title: 'Redis' },
      { name: 'medusa-server', title: 'Medusa server' },
      { name: 'ingress', title: 'Ingress' },
      { name: 'store-check', title: 'Store check' },
    ],
  },
};

/** Whether `engine` can be provisioned today (false for unknown names). */
export function engineAvailable(engine: string): boolean {
  return Object.hasOwn(engines, engine) && engines[engine as Engine].available;
}

/**
 * Every object of a store, grouped into ordered provisioning steps (from the construct tree).
 * Pure and deterministic: the same input gives byte-identical output.
 */
export function synthesizeStore(props: StoreProps): SynthesizedStep[] {
  const spec = parseSpec(props.spec);
  const engine = engines[spec.engine];
  if (!engine.available || !engine.build) throw new Error(`engine '${spec.engine}' is not available yet`);
  // an App is needed to resolve objects to JSON; nothing is written unless synth() is called
  const root = engine.build(new App({ outdir: 'dist' }), 'Store', { ...props, spec });
  return collectSteps(root);
}
