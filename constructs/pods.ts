/**
 * Building blocks for pod templates that Pod Security "restricted" admits: non-root, no privilege
 * escalation, every capability dropped, RuntimeDefault seccomp, explicit resources.
 */
import * as k8s from '../imports/k8s.js';
import type { ContainerResources } from './plans.js';
import type { NodePool } from './spec.js';
import { cpu, memory } from './plans.js';

/** Pod Security level the store namespace enforces. */
export const POD_SECURITY_LEVEL = 'restricted';

/** An image reference with an explicit tag or digest that is not `latest`. */
export function assertPinned(image: string, what: string): string {
  const ref = image.split('@');
  const digest = ref[1];
  if (digest !== undefined) {
    if (!/^sha256:[a-f0-9]{64}$/.test(digest)) throw new Error(`${what} image digest is malformed, got '${image}'`);
    return image;
  }
  const lastSlash = image.lastIndexOf('/');
  const tagAt = image.indexOf(':', lastSlash + 1);
  const tag = tagAt === -1 ? '' : image.slice(tagAt + 1);
  if (tag === '' || tag === 'latest') throw new Error(`${what} image must be pinned to a tag or digest, got '${image}'`);
  return image;
}

/** Pod-level security context for a non-root user; `fsGroup` makes volumes writable to it. */
export function podSecurityContext(uid: number, gid: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    fsGroup: gid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Container-level security context. `readOnlyRootFilesystem` stays false where an official image
 * writes into its own filesystem at start-up (documented per container).
 */
export function containerSecurityContext(opts: { readOnlyRootFilesystem: boolean }): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: opts.readOnlyRootFilesystem,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The plan's numbers as a Kubernetes `resources` block: CPU, memory and ephemeral storage. */
export function resources(r: ContainerResources): k8s.ResourceRequirements {
  const q = k8s.Quantity.fromString;
  return {
    requests: { cpu: q(cpu(r.requests.cpuMillis)), memory: q(memory(r.requests.memoryMiB)), 'ephemeral-storage': q(memory(r.ephemeralStorage.requestMiB)) },
    limits: { cpu: q(cpu(r.limits.cpuMillis)), memory: q(memory(r.limits.memoryMiB)), 'ephemeral-storage': q(memory(r.ephemeralStorage.limitMiB)) },
  };
}

/** Scheduling onto the platform's store node pool, when it has one. */
export function nodePoolPlacement(pool: NodePool | undefined): Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations'> {
  if (!pool) return {};
  return {
    nodeSelector: { [pool.key]: pool.value },
    tolerations: [{ key: pool.key, operator: 'Equal', value: pool.value, effect: 'NoSchedule' }],
  };
}

/** An env var read from a Secret key. */
export function secretEnv(name: string, secretName: string, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

/** A literal env var. */
export function env(name: string, value: string): k8s.EnvVar {
  return { name, value };
}

/** Seconds a finished run-once Job (and its pods) lingers before garbage collection. */
export const FINISHED_JOB_TTL_SECONDS = 300;

/** Options of {@link runOnceJobSpec}. */
export interface RunOnceJobOptions {
  /** Labels of the Job's pods. */
  readonly labels: Readonly<Record<string, string>>;
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  /** uid and gid the pod runs as. */
  readonly runAs: { readonly uid: number; readonly gid: number };
  /** Dedicated node pool of the platform's stores. @default - any node */
  readonly nodePool?: NodePool;
  /** The rest of the pod: containers, init containers, volumes, affinity. */
  readonly pod: Pick<k8s.PodSpec, 'containers'> & Partial<Pick<k8s.PodSpec, 'affinity' | 'initContainers' | 'volumes'>>;
}

/**
 * Spec of a Job whose pod runs once: never restarted, no service-account token or service links,
 * non-root, on the store node pool, cleaned up {@link FINISHED_JOB_TTL_SECONDS} after it finishes.
 */
export function runOnceJobSpec(opts: RunOnceJobOptions): k8s.JobSpec {
  return {
    backoffLimit: opts.backoffLimit,
    activeDeadlineSeconds: opts.activeDeadlineSeconds,
    ttlSecondsAfterFinished: FINISHED_JOB_TTL_SECONDS,
    template: {
      metadata: { labels: { ...opts.labels } },
      spec: {
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: podSecurityContext(opts.runAs.uid, opts.runAs.gid),
        ...nodePoolPlacement(opts.nodePool),
        ...opts.pod,
      },
    },
  };
}
