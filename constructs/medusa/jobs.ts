import * as k8s from '../../imports/k8s.js';
import type { MedusaContext } from './context.js';
import { componentLabels, DB_CLIENT_LABEL } from '../labels.js';
import { MEDUSA_IMAGE_PATHS, MEDUSA_UID } from './names.js';
import { assertPinned, containerSecurityContext, resources, runOnceJobSpec } from '../pods.js';
import type { ContainerResources } from '../plans.js';
import { TMP_MOUNT, TMP_VOLUME } from './app-env.js';

/** Options of {@link medusaJob}. */
export interface MedusaJobOptions {
  /** Job name, also its pods' `app.kubernetes.io/name`. */
  readonly name: string;
  /** `app.kubernetes.io/component` of the Job. */
  readonly role: string;
  readonly command: string[];
  readonly env: k8s.EnvVar[];
  readonly size: ContainerResources;
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  /** Marks the pods as PostgreSQL and Redis clients (the setup and reset Jobs). */
  readonly backendClient: boolean;
}

/** A run-once Job in the store image, as `node` with a read-only root filesystem and `/tmp` as an emptyDir. */
export function medusaJob(ctx: Pick<MedusaContext, 'slug' | 'namespace' | 'platform'>, opts: MedusaJobOptions): k8s.KubeJobProps {
  const labels = componentLabels(ctx.slug, opts.name, opts.role);
  return {
    metadata: { name: opts.name, namespace: ctx.namespace, labels },
    spec: runOnceJobSpec({
      labels: opts.backendClient ? { ...labels, [DB_CLIENT_LABEL]: 'true' } : labels,
      backoffLimit: opts.backoffLimit,
      activeDeadlineSeconds: opts.activeDeadlineSeconds,
      runAs: { uid: MEDUSA_UID, gid: MEDUSA_UID },
      ...(ctx.platform.nodePool ? { nodePool: ctx.platform.nodePool } : {}),
      pod: {
        containers: [{
          name: opts.role,
          image: assertPinned(ctx.platform.images.medusa, 'medusa'),
          imagePullPolicy: 'IfNotPresent',
          workingDir: MEDUSA_IMAGE_PATHS.workdir,
          command: opts.command,
          env: opts.env,
          resources: resources(opts.size),
          securityContext: containerSecurityContext({ readOnlyRootFilesystem: true }),
          volumeMounts: [TMP_MOUNT],
        }],
        volumes: [TMP_VOLUME],
      },
    }),
  };
}
