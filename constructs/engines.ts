import { App } from 'cdk8s';
import type { EngineDefinition, StoreProps } from './engine.js';
import type { SynthesizedStep } from './readiness.js';
import { parseSpec, type Engine } from './spec.js';
import { collectSteps } from './step.js';
import { medusa } from './medusa/index.js';
import { woocommerce } from './woocommerce/index.js';

/**
 * The engine registry: an engine named in the spec (`ENGINES`) but absent here is refused by the API
 * as "not available yet". See the README's "Adding an engine".
 */
export const engines: Readonly<Partial<Record<Engine, EngineDefinition>>> = {
  woocommerce,
  medusa,
};

/** Whether `engine` can be provisioned today (false for unknown names). */
export function engineAvailable(engine: string): boolean {
  return Object.hasOwn(engines, engine) && engines[engine as Engine] !== undefined;
}

/** The engine's definition; throws for one that is not available. */
export function engineOf(engine: string): EngineDefinition {
  if (!engineAvailable(engine)) throw new Error(`engine '${engine}' is not available yet`);
  return engines[engine as Engine]!;
}

/**
 * Every object of a store, grouped into ordered provisioning steps (from the construct tree).
 * Pure and deterministic: the same input gives byte-identical output.
 */
export function synthesizeStore(props: StoreProps): SynthesizedStep[] {
  const spec = parseSpec(props.spec);
  // an App is needed to resolve objects to JSON; nothing is written unless synth() is called
  const root = engineOf(spec.engine).build(new App({ outdir: 'dist' }), 'Store', { ...props, spec });
  return collectSteps(root);
}
