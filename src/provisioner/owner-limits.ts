import { planTable, type Plan } from '../../constructs/index.js';
import type { OwnerRow, OwnersRepo, PlanCounts } from '../db/repos/owners-repo.js';
import { EngineNotAllowedError, NotFoundError, OwnerLimitReachedError, PlanNotAllowedError } from '../errors.js';

/** What an owner's live stores claim: their count and the sum of their plans' quota requests. */
export interface OwnerUsage {
  readonly stores: number;
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

const quotaOf = (plan: string) => planTable[plan as Plan]?.quota.requests ?? { cpuMillis: 0, memoryMiB: 0 };

export function usageOf(byPlan: PlanCounts): OwnerUsage {
  let stores = 0;
  let cpuMillis = 0;
  let memoryMiB = 0;
  for (const [plan, n] of Object.entries(byPlan)) {
    const q = quotaOf(plan);
    stores += n;
    cpuMillis += n * q.cpuMillis;
    memoryMiB += n * q.memoryMiB;
  }
  return { stores, cpuMillis, memoryMiB };
}

/** Throws unless `owner` may add one store of `spec` on top of `usage`. Pure. */
export function assertOwnerAllows(owner: OwnerRow, usage: OwnerUsage, spec: { readonly plan: string; readonly engine: string }): void {
  if (owner.allowedEngines !== null && !owner.allowedEngines.includes(spec.engine)) {
    throw new EngineNotAllowedError(`owner '${owner.id}' may not use engine '${spec.engine}'; allowed: ${owner.allowedEngines.join(', ') || 'none'}`);
  }
  if (owner.allowedPlans !== null && !owner.allowedPlans.includes(spec.plan)) {
    throw new PlanNotAllowedError(`owner '${owner.id}' may not use plan '${spec.plan}'; allowed: ${owner.allowedPlans.join(', ') || 'none'}`);
  }
  if (owner.maxStores !== null && usage.stores >= owner.maxStores) {
    throw new OwnerLimitReachedError(`owner '${owner.id}' has ${usage.stores} live stores, its limit is ${owner.maxStores}; delete a store first`);
  }
  const q = quotaOf(spec.plan);
  if (owner.maxCpuMillis !== null && usage.cpuMillis + q.cpuMillis > owner.maxCpuMillis) {
    throw new OwnerLimitReachedError(
      `plan '${spec.plan}' claims ${q.cpuMillis}m CPU; owner '${owner.id}' uses ${usage.cpuMillis}m of its ${owner.maxCpuMillis}m`,
    );
  }
  if (owner.maxMemoryMiB !== null && usage.memoryMiB + q.memoryMiB > owner.maxMemoryMiB) {
    throw new OwnerLimitReachedError(
      `plan '${spec.plan}' claims ${q.memoryMiB}Mi memory; owner '${owner.id}' uses ${usage.memoryMiB}Mi of its ${owner.maxMemoryMiB}Mi`,
    );
  }
}

/**
 * The owner check the create transaction runs (StoresRepo.insertWithinLimit's guard): reads the owner
 * and its usage inside the transaction, so parallel creates cannot both take the last slot.
 */
export function ownerGuard(owners: OwnersRepo, ownerId: string, spec: { readonly plan: string; readonly engine: string }): () => void {
  return () => {
    const owner = owners.find(ownerId);
    if (owner === undefined) throw new NotFoundError(`owner '${ownerId}' does not exist`);
    assertOwnerAllows(owner, usageOf(owners.liveStoresByPlan(ownerId)), spec);
  };
}
