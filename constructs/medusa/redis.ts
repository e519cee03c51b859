import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import type { MedusaContext } from './context.js';
import { componentLabels, componentSelector } from '../labels.js';
import { MEDUSA_NAMES, MEDUSA_PORTS, REDIS_UID } from './names.js';
import { allowRedis } from './policies.js';
import { assertPinned, containerSecurityContext, nodePoolPlacement, podSecurityContext, resources } from '../pods.js';
import { StoreStep } from '../step.js';

/** Props of {@link Redis}. */
export interface RedisProps {
  readonly context: MedusaContext;
  /** The shared NetworkPolicies step: this workload adds its allow-policy to it. */
  readonly policies: Construct;
}

/**
 * Step 6: Redis for Medusa's event bus, workflow engine, locking, cache and sessions. No
 * persistence: everything in it is rebuilt or retried (sessions sign in again), so an emptyDir
 * working directory and a read-only root filesystem. Reachable by backend clients only (the
 * NetworkPolicy is its access control; it has no password). Ready when the Deployment is Available.
 */
export class Redis extends StoreStep {
  public constructor(scope: Construct, id: string, props: RedisProps) {
    const ctx = props.context;
    super(scope, id, {
      name: 'redis',
      title: 'Redis',
      readiness: { kind: 'DeploymentAvailable', namespace: ctx.namespace, name: MEDUSA_NAMES.redis },
      timeoutSeconds: 300,
    });
    allowRedis(props.policies, ctx);
    const image = assertPinned(ctx.platform.images.redis, 'redis');
    const labels = componentLabels(ctx.slug, MEDUSA_NAMES.redis, 'cache');
    const selector = componentSelector(ctx.slug, MEDUSA_NAMES.redis);
    const port = k8s.IntOrString.fromString('redis');
    const ping = ['redis-cli', '-h', '127.0.0.1', 'ping'];
    new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: MEDUSA_NAMES.redis, namespace: ctx.namespace, labels },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(REDIS_UID, REDIS_UID),
            ...nodePoolPlacement(ctx.platform.nodePool),
            containers: [{
              name: 'redis',
              image,
              imagePullPolicy: 'IfNotPresent',
              args: ['--save', '', '--appendonly', 'no', '--dir', '/data', '--protected-mode', 'no'],
              ports: [{ name: 'redis', containerPort: MEDUSA_PORTS.redis, protocol: 'TCP' }],
              resources: resources(ctx.sizing.redis),
              securityContext: containerSecurityContext({ readOnlyRootFilesystem: true }),
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
              livenessProbe: { exec: { command: ping }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
              readinessProbe: { exec: { command: ping }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 },
            }],
            volumes: [{ name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
          },
        },
      },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name: MEDUSA_NAMES.redis, namespace: ctx.namespace, labels },
      spec: { type: 'ClusterIP', selector, ports: [{ name: 'redis', port: MEDUSA_PORTS.redis, targetPort: port, protocol: 'TCP' }] },
    });
  }
}
