import { ApiObject } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import type { KubeObject, ReadinessRule, SynthesizedStep } from './readiness.js';

/** Props of every provisioning step. */
export interface StoreStepProps {
  /** Stable machine name recorded on the timeline, e.g. `mysql`. Kebab-case. */
  readonly name: string;
  /** Human title for the timeline, e.g. `MySQL database`. */
  readonly title: string;
  /** What the provisioner waits for before the next step. */
  readonly readiness: ReadinessRule;
  /** How long the step may take to become ready before it fails. */
  readonly timeoutSeconds: number;
}

const STEP_SYMBOL = Symbol.for('store-platform.StoreStep');

/**
 * One provisioning step: a construct whose API objects are applied together, followed by a wait
 * on its readiness rule. The store's steps are its `StoreStep` children in construction order,
 * so adding a step is one `new XxxStep(this, ...)` in the store construct.
 */
export class StoreStep extends Construct {
  /** Whether `x` is a StoreStep (works across module copies). */
  public static isStoreStep(x: unknown): x is StoreStep {
    return typeof x === 'object' && x !== null && STEP_SYMBOL in x;
  }

  public readonly stepName: string;
  public readonly title: string;
  public readonly readiness: ReadinessRule;
  public readonly timeoutSeconds: number;

  public constructor(scope: Construct, id: string, props: StoreStepProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]*$/.test(props.name)) throw new Error(`step name must be kebab-case, got '${props.name}'`);
    if (!(props.timeoutSeconds > 0)) throw new Error(`step timeoutSeconds must be positive, got ${props.timeoutSeconds}`);
    Object.defineProperty(this, STEP_SYMBOL, { value: true });
    this.stepName = props.name;
    this.title = props.title;
    this.readiness = props.readiness;
    this.timeoutSeconds = props.timeoutSeconds;
  }

  /** This step's API objects as JSON, in construction (apply) order. */
  public toObjects(): KubeObject[] {
    return this.node
      .findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c))
      .map((o) => o.toJson() as KubeObject);
  }
}

/**
 * The steps under `root` in construction order, each with its objects. Runs the tree's
 * validations first and throws one Error listing every failure.
 */
export function collectSteps(root: IConstruct): SynthesizedStep[] {
  const errors = root.node.findAll().flatMap((c) => c.node.validate().map((msg) => `${c.node.path}: ${msg}`));
  if (errors.length > 0) throw new Error(`invalid store: ${errors.join('; ')}`);
  const steps = root.node.findAll().filter((c): c is StoreStep => StoreStep.isStoreStep(c));
  const names = new Set<string>();
  return steps.map((s) => {
    if (names.has(s.stepName)) throw new Error(`duplicate step name '${s.stepName}'`);
    names.add(s.stepName);
    return { name: s.stepName, title: s.title, readiness: s.readiness, timeoutSeconds: s.timeoutSeconds, objects: s.toObjects() };
  });
}
