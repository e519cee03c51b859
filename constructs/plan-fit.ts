import type { ContainerResources, PlanSpec } from './plans.js';

/** What an engine runs on a plan, for {@link fitProblems}. */
export interface PlanLoad {
  /** Containers that may run at the same time (count one twice if two copies may run). */
  readonly concurrent: readonly ContainerResources[];
  /** Every sized container by name, each checked against the LimitRange. */
  readonly containers: Readonly<Record<string, ContainerResources>>;
  /** Every volume by name, in GiB, each checked against the largest claim; their sum against the quota. */
  readonly volumesGiB: Readonly<Record<string, number>>;
}

/**
 * Problems with an engine's load on a plan row: the concurrent pods' requests and limits must fit
 * the quota, every container and volume the LimitRange, and no container may request more than its
 * limit. Empty when it fits.
 */
export function fitProblems(plan: PlanSpec, load: PlanLoad): string[] {
  const sum = (pick: (r: ContainerResources) => number) => load.concurrent.reduce((n, r) => n + pick(r), 0);
  const problems: string[] = [];
  const check = (what: string, need: number, have: number) => {
    if (need > have) problems.push(`${what} ${need} exceeds ${have}`);
  };
  check('summed cpu requests (m)', sum((r) => r.requests.cpuMillis), plan.quota.requests.cpuMillis);
  check('summed memory requests (Mi)', sum((r) => r.requests.memoryMiB), plan.quota.requests.memoryMiB);
  check('summed cpu limits (m)', sum((r) => r.limits.cpuMillis), plan.quota.limits.cpuMillis);
  check('summed memory limits (Mi)', sum((r) => r.limits.memoryMiB), plan.quota.limits.memoryMiB);
  check('summed storage (Gi)', Object.values(load.volumesGiB).reduce((n, v) => n + v, 0), plan.quota.storageGiB);
  for (const [name, r] of Object.entries(load.containers)) {
    check(`${name} cpu limit (m)`, r.limits.cpuMillis, plan.limitRange.max.cpuMillis);
    check(`${name} memory limit (Mi)`, r.limits.memoryMiB, plan.limitRange.max.memoryMiB);
    if (r.requests.cpuMillis > r.limits.cpuMillis || r.requests.memoryMiB > r.limits.memoryMiB) {
      problems.push(`${name} requests exceed its limits`);
    }
  }
  for (const [name, gib] of Object.entries(load.volumesGiB)) check(`${name} volume (Gi)`, gib, plan.limitRange.maxClaimGiB);
  return problems;
}
