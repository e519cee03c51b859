import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { StoreContext } from './context.js';
import { POD_SECURITY_ENFORCE_LABEL, storeLabels } from './labels.js';
import { POD_SECURITY_LEVEL } from './pods.js';
import { StoreStep } from './step.js';

/** Props of {@link StoreNamespace}. */
export interface StoreNamespaceProps {
  readonly context: StoreContext;
}

/**
 * Step 1: the store's namespace `store-<slug>`, labelled for the platform and for Pod Security
 * admission (enforce, audit and warn all at "restricted"). Ready when the namespace is Active.
 */
export class StoreNamespace extends StoreStep {
  /** The namespace name. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: StoreNamespaceProps) {
    const ctx = props.context;
    super(scope, id, {
      name: 'namespace',
      title: 'Namespace',
      readiness: { kind: 'NamespaceActive', name: ctx.namespace },
      timeoutSeconds: 60,
    });
    this.name = ctx.namespace;
    new kplus.Namespace(this, 'Resource', {
      metadata: {
        name: ctx.namespace,
        labels: {
          ...storeLabels(ctx.slug),
          [POD_SECURITY_ENFORCE_LABEL]: POD_SECURITY_LEVEL,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': POD_SECURITY_LEVEL,
          'pod-security.kubernetes.io/warn': POD_SECURITY_LEVEL,
        },
      },
    });
  }
}
