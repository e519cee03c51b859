import { Construct } from 'constructs';
import * as k8s from '../imports/k8s.js';
import { storeLabels } from './labels.js';
import { namespaceFor, SHARED_NAMES as OBJECT_NAMES } from './names.js';
import { cpu, gibibytes, memory, type PlanSpec } from './plans.js';
import { StoreStep } from './step.js';

/** Props of {@link Guardrails}. */
export interface GuardrailsProps {
  /** The store's slug; the objects go to `store-<slug>`. */
  readonly slug: string;
  /** The plan row sizing the quota and the LimitRange. */
  readonly plan: Pick<PlanSpec, 'quota' | 'limitRange'>;
}

const q = (s: string): k8s.Quantity => k8s.Quantity.fromString(s);

/**
 * Step 2: the namespace's ResourceQuota and LimitRange, sized by the plan table. Ready once the
 * controller-manager has observed the quota: until then admission refuses quota-tracked objects.
 */
export class Guardrails extends StoreStep {
  public constructor(scope: Construct, id: string, props: GuardrailsProps) {
    const namespace = namespaceFor(props.slug);
    super(scope, id, {
      name: 'guardrails',
      title: 'Resource quota and limits',
      readiness: { kind: 'QuotaObserved', namespace, name: OBJECT_NAMES.resourceQuota },
      timeoutSeconds: 60,
    });
    const { quota, limitRange: lr } = props.plan;
    const metadata = (name: string) => ({ name, namespace, labels: storeLabels(props.slug) });
    new k8s.KubeResourceQuota(this, 'Resource', {
      metadata: metadata(OBJECT_NAMES.resourceQuota),
      spec: {
        hard: {
          'requests.cpu': q(cpu(quota.requests.cpuMillis)),
          'requests.memory': q(memory(quota.requests.memoryMiB)),
          'limits.cpu': q(cpu(quota.limits.cpuMillis)),
          'limits.memory': q(memory(quota.limits.memoryMiB)),
          'requests.storage': q(gibibytes(quota.storageGiB)),
          pods: q(String(quota.pods)),
          persistentvolumeclaims: q(String(quota.persistentVolumeClaims)),
          services: q(String(quota.services)),
          'services.loadbalancers': q('0'),
          'services.nodeports': q('0'),
          secrets: q(String(quota.secrets)),
          configmaps: q(String(quota.configMaps)),
        },
      },
    });
    new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: metadata(OBJECT_NAMES.limitRange),
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: q(cpu(lr.defaultRequest.cpuMillis)), memory: q(memory(lr.defaultRequest.memoryMiB)) },
            default: { cpu: q(cpu(lr.defaultLimit.cpuMillis)), memory: q(memory(lr.defaultLimit.memoryMiB)) },
            max: { cpu: q(cpu(lr.max.cpuMillis)), memory: q(memory(lr.max.memoryMiB)) },
          },
          { type: 'PersistentVolumeClaim', max: { storage: q(gibibytes(lr.maxClaimGiB)) } },
        ],
      },
    });
  }
}
