import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OWNER_LABEL, POD_SECURITY_ENFORCE_LABEL, storeLabels } from './labels.js';
import { namespaceFor } from './names.js';
import { POD_SECURITY_LEVEL } from './pods.js';
import { StoreStep } from './step.js';

/** Props of {@link StoreNamespace}. */
export interface StoreNamespaceProps {
  /** The store's slug; the namespace is `store-<slug>`. */
  readonly slug: string;
  /**
   * The store's owner, recorded as the `store-platform.io/owner` label (for kubectl and billing
   * exports; the platform never authorizes by it).
   * @default - no owner label
   */
  readonly ownerId?: string;
}

/**
 * Step 1: the store's namespace `store-<slug>`, labelled for the platform and for Pod Security
 * admission (enforce, audit and warn all at "restricted"). Ready when the namespace is Active.
 */
export class StoreNamespace extends StoreStep {
  /** The namespace name. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: StoreNamespaceProps) {
    const namespace = namespaceFor(props.slug);
    super(scope, id, {
      name: 'namespace',
      title: 'Namespace',
      readiness: { kind: 'NamespaceActive', name: namespace },
      timeoutSeconds: 60,
    });
    if (props.ownerId !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(props.ownerId)) {
      throw new Error(`owner id must be a label value of lowercase letters, digits and '-', got '${props.ownerId}'`);
    }
    this.name = namespace;
    new kplus.Namespace(this, 'Resource', {
      metadata: {
        name: namespace,
        labels: {
          ...storeLabels(props.slug),
          ...(props.ownerId !== undefined ? { [OWNER_LABEL]: props.ownerId } : {}),
          [POD_SECURITY_ENFORCE_LABEL]: POD_SECURITY_LEVEL,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': POD_SECURITY_LEVEL,
          'pod-security.kubernetes.io/warn': POD_SECURITY_LEVEL,
        },
      },
    });
  }
}
