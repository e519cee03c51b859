/**
 * The only door to the cluster: nothing outside src/k8s imports @kubernetes/client-node
 * (test/unit/k8s/boundary.test.ts). Every call goes through withRetry with CallOptions (retry policy,
 * error classification into KubeApiError, the timeline's retry callback).
 */
export { createKubeClients, kubeClientsFrom, type KubeClients, type RequestLimits } from './client.js';
export { interactive, type Interactive, type InteractiveLimits } from './interactive.js';
export { ensureObject, createIfAbsent, isOwned, serverSideApply, FIELD_MANAGER, type ApplyMode, type ApplyOutcome } from './apply.js';
export { describeObject, ForeignObjectError, KubeApiError } from './errors.js';
export { waitForReady, StepFailedError, StepTimeoutError, type WaitOptions } from './readiness.js';
export {
  CancelledError, DEFAULT_RETRY_POLICY, backoffDelay, sleep, withRetry,
  type CallOptions, type OnRetry, type RetryPolicy,
} from './retry.js';
export { deleteNamespaceAndWait, readNamespace, type NamespaceDeleteResult, type NamespaceState } from './namespaces.js';
export { listClaims, listPods, listQuotaUsage, readPodLog, type ClaimInfo, type PodInfo, type QuotaUsage } from './inspect.js';
export {
  SUSPEND_FIELD_MANAGER, deleteJob, deleteOwnedObject, listJobNames, patchSecretData, readSecretData, restartWorkload, scaleWorkload,
  setCronJobSuspended, type SecretRef,
} from './workloads.js';
export { deleteJobAndWait, podNames, readContainerImage, readJobRun, readScale, type JobRun, type WorkloadRef } from './runs.js';
