import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import type { MedusaContext } from './context.js';
import { componentLabels, componentSelector, DB_CLIENT_LABEL } from '../labels.js';
import { MEDUSA_NAMES, MEDUSA_PORTS, MEDUSA_UID } from './names.js';
import { allowServer } from './policies.js';
import { assertPinned, containerSecurityContext, nodePoolPlacement, podSecurityContext, resources } from '../pods.js';
import type { ContainerResources } from '../plans.js';
import { StoreStep } from '../step.js';
import { MEDUSA_CLI, medusaEnv, TMP_MOUNT, TMP_VOLUME, type WorkerMode } from './app-env.js';

/** Props of {@link MedusaServer}. */
export interface MedusaServerProps {
  readonly context: MedusaContext;
  /** The shared NetworkPolicies step: this workload adds its allow-policy to it. */
  readonly policies: Construct;
}

/**
 * Step 8: the Medusa server (Store API, Admin API and the admin dashboard at `/app`) on port 9000
 * with its ClusterIP Service. On plans with a worker size it runs `server` mode next to a separate
 * `worker` Deployment (subscribers, scheduled jobs, workflows); otherwise `shared` mode, one
 * process. `/health` backs readiness and liveness (a server that failed to bind stays alive).
 * Ready when the server Deployment is Available.
 */
export class MedusaServer extends StoreStep {
  public constructor(scope: Construct, id: string, props: MedusaServerProps) {
    const ctx = props.context;
    super(scope, id, {
      name: 'medusa',
      title: 'Medusa server',
      readiness: { kind: 'DeploymentAvailable', namespace: ctx.namespace, name: MEDUSA_NAMES.server },
      timeoutSeconds: 600,
    });
    allowServer(props.policies, ctx);
    const worker = ctx.sizing.worker;
    const http = k8s.IntOrString.fromString('http');
    const health = { httpGet: { path: '/health', port: http } };
    deployment(this, 'Resource', ctx, MEDUSA_NAMES.server, worker ? 'server' : 'shared', ctx.sizing.server, {
      ports: [{ name: 'http', containerPort: MEDUSA_PORTS.server, protocol: 'TCP' }],
      startupProbe: { ...health, periodSeconds: 5, failureThreshold: 36 },
      livenessProbe: { ...health, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 },
      readinessProbe: { ...health, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 },
    });
    if (worker) deployment(this, 'Worker', ctx, MEDUSA_NAMES.worker, 'worker', worker, {});
    new k8s.KubeService(this, 'Service', {
      metadata: { name: MEDUSA_NAMES.server, namespace: ctx.namespace, labels: componentLabels(ctx.slug, MEDUSA_NAMES.server, 'web') },
      spec: {
        type: 'ClusterIP',
        selector: componentSelector(ctx.slug, MEDUSA_NAMES.server),
        ports: [{ name: 'http', port: MEDUSA_PORTS.server, targetPort: http, protocol: 'TCP' }],
      },
    });
  }
}

function deployment(
  scope: Construct, id: string, ctx: MedusaContext, name: string, mode: WorkerMode, size: ContainerResources,
  container: Pick<k8s.Container, 'ports' | 'startupProbe' | 'livenessProbe' | 'readinessProbe'>,
): void {
  const labels = componentLabels(ctx.slug, name, mode === 'worker' ? 'worker' : 'web');
  new k8s.KubeDeployment(scope, id, {
    metadata: { name, namespace: ctx.namespace, labels },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 3,
      selector: { matchLabels: componentSelector(ctx.slug, name) },
      // one replica, and the quota has no room for a surge pod the size of the server: replace, not roll
      strategy: { type: 'Recreate' },
      template: {
        metadata: { labels: { ...labels, [DB_CLIENT_LABEL]: 'true' } },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurityContext(MEDUSA_UID, MEDUSA_UID),
          ...nodePoolPlacement(ctx.platform.nodePool),
          containers: [{
            name: 'medusa',
            image: assertPinned(ctx.platform.images.medusa, 'medusa'),
            imagePullPolicy: 'IfNotPresent',
            command: [MEDUSA_CLI, 'start'],
            env: medusaEnv(ctx, mode),
            resources: resources(size),
            securityContext: containerSecurityContext({ readOnlyRootFilesystem: true }),
            volumeMounts: [TMP_MOUNT],
            ...container,
          }],
          volumes: [TMP_VOLUME],
        },
      },
    },
  });
}
