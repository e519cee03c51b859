/**
 * How the provisioner decides that a provisioning step is done. Plain data, so the pure
 * construct tree can describe it and the runtime (src/k8s/readiness.ts) can evaluate it.
 */
export type ReadinessRule =
  /** Every object of the step exists. */
  | { readonly kind: 'Applied' }
  /** Every object of the step is gone (deleted and finalized). */
  | { readonly kind: 'Gone' }
  /** The Namespace reports phase Active. */
  | { readonly kind: 'NamespaceActive'; readonly name: string }
  /** The controller-manager has observed the ResourceQuota (status.hard set): until then admission refuses quota-tracked objects. */
  | { readonly kind: 'QuotaObserved'; readonly namespace: string; readonly name: string }
  /** The StatefulSet has `replicas` ready replicas of its current revision. */
  | { readonly kind: 'StatefulSetReady'; readonly namespace: string; readonly name: string }
  /** The Deployment is Available and its newest ReplicaSet is fully rolled out. */
  | { readonly kind: 'DeploymentAvailable'; readonly namespace: string; readonly name: string }
  /** The Job has condition Complete=True; Failed=True fails the step. */
  | { readonly kind: 'JobComplete'; readonly namespace: string; readonly name: string }
  /**
   * The TLS Secret an Ingress names holds a certificate for `host` that is valid now: cert-manager writes
   * it only once the ACME order is done, so a store with TLS on is Ready only when browsers can reach it.
   */
  | { readonly kind: 'CertificateIssued'; readonly namespace: string; readonly secretName: string; readonly host: string }
  /**
   * The workload is scaled to zero and every pod it selects is gone (terminating ones included), or it
   * does not exist: a suspended store's database has shut down and its quota usage is released.
   */
  | { readonly kind: 'WorkloadStopped'; readonly namespace: string; readonly workload: 'Deployment' | 'StatefulSet'; readonly name: string };

/** A Kubernetes object as synthesized: JSON with apiVersion, kind and metadata. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

/** One provisioning step, in apply order: its objects and the rule that says it is done. */
export interface SynthesizedStep {
  /** Stable machine name, e.g. `namespace`, `mysql`, `store-check`; recorded on the timeline. */
  readonly name: string;
  /** Human title for the timeline, e.g. `MySQL database`. */
  readonly title: string;
  /** Objects in apply order. */
  readonly objects: readonly KubeObject[];
  readonly readiness: ReadinessRule;
  /** How long the step may take to become ready before it fails. */
  readonly timeoutSeconds: number;
}
