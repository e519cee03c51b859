import { randomBytes } from 'node:crypto';
import type { StoreStatus } from '../db/schema.js';
import { FAILED_STORE_STATUSES, OPEN_ROLLOUT_STATUSES, type RolloutRow, type RolloutsRepo, type RolloutStoreRow } from '../db/repos/rollouts-repo.js';
import type { StoreRow, StoresRepo } from '../db/repos/stores-repo.js';
import { IllegalTransitionError, NoStoresSelectedError, RolloutConflictError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { StoreBus } from './bus.js';

// Fleet rollouts: many stores moved to one release in waves, the first a canary. Every decision is
// read from SQLite on each tick (the rollout, its stores, the stores' own rows), so a platform killed
// anywhere resumes where the rows say: an upgrade it had started is finished by the engine's own
// recovery, and the next tick records its outcome.

/** A wave: that many stores, or (`"25%"`) the stores up to that share of the rollout, counted from the start. */
export type WaveSpec = number | `${number}%`;

/** What an admin asks for. */
export interface RolloutRequest {
  readonly engine: string;
  readonly version: string;
  readonly selector: { readonly plan?: string; readonly ownerId?: string; readonly fromVersion?: string };
  readonly waves: readonly WaveSpec[];
  /** Stores that may fail or roll back before the rollout halts. */
  readonly maxFailures: number;
  readonly pauseSeconds: number;
}

/** Default waves: one canary, then half the fleet, then the rest. */
export const DEFAULT_WAVES: readonly WaveSpec[] = [1, '50%', '100%'];

/**
 * How many stores each wave takes, for `total` stores: counts as given, a percentage up to that share
 * of `total` (rounded up); waves that would be empty are dropped, and the last one asked for takes whatever
 * is left (a wave of its own when it came out empty).
 */
export function waveSizes(total: number, waves: readonly WaveSpec[]): number[] {
  const sizes: number[] = [];
  let placed = 0;
  let lastTook = false;
  for (const w of waves) {
    const want = typeof w === 'number' ? w : Math.max(0, Math.ceil((total * Number.parseFloat(w)) / 100) - placed);
    const size = Math.min(want, total - placed);
    lastTook = size > 0;
    if (lastTook) sizes.push(size);
    placed += size;
  }
  if (placed < total) {
    // the rest joins the last wave asked for, or is a wave of its own when that one came out empty
    if (lastTook) sizes[sizes.length - 1]! += total - placed;
    else sizes.push(total - placed);
  }
  return sizes;
}

/** Statuses in which an upgrade started by a rollout is still under way (a rollback restores through Restoring). */
const UPGRADE_UNDER_WAY: readonly StoreStatus[] = ['Upgrading', 'Restoring'];
/** Stores a rollout picks from: every live one. */
const LIVE: readonly StoreStatus[] = ['Pending', 'Provisioning', 'Ready', 'Upgrading', 'Restoring', 'Suspending', 'Suspended', 'Resuming', 'Failed'];

export interface RolloutRunnerDeps {
  readonly rollouts: RolloutsRepo;
  readonly stores: StoresRepo;
  readonly bus: StoreBus;
  readonly log: Logger;
  /** The release a store runs. */
  readonly releaseOf: (row: StoreRow) => string;
  /** Why the store cannot be upgraded from `from` to the version, or undefined. */
  readonly upgradeProblem: (engine: string, from: string, to: string) => string | undefined;
  /** Starts one store's upgrade (Provisioner.upgrade); throws its refusal. */
  readonly upgrade: (storeId: string, version: string, actor: string) => Promise<StoreRow>;
  /** How often running rollouts are advanced. @default 1000 */
  readonly tickMs?: number;
  readonly now?: () => Date;
}

/** Drives every open rollout one step per tick. */
export class RolloutRunner {
  readonly #d: RolloutRunnerDeps;
  readonly #now: () => Date;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;

  public constructor(deps: RolloutRunnerDeps) {
    this.#d = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  public start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.tick(), this.#d.tickMs ?? 1_000);
    this.#timer.unref();
  }

  public async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
  }

  /**
   * Picks the stores (live, of the engine, matching the selector, not on the version yet) in creation
   * order, lays them out in waves, and records the rollout Running. Stores with no upgrade path are
   * listed as Skipped with the reason.
   */
  public create(req: RolloutRequest, actor: string): RolloutRow {
    const picked = this.#d.stores.listByStatus(LIVE).filter((s) => s.engine === req.engine
      && (req.selector.plan === undefined || s.plan === req.selector.plan)
      && (req.selector.ownerId === undefined || s.ownerId === req.selector.ownerId)
      && (req.selector.fromVersion === undefined || this.#d.releaseOf(s) === req.selector.fromVersion)
      && this.#d.releaseOf(s) !== req.version);
    if (picked.length === 0) throw new NoStoresSelectedError(`no live ${req.engine} store matching the selector runs another release than ${req.version}`);
    const reachable = picked.filter((s) => this.#d.upgradeProblem(s.engine, this.#d.releaseOf(s), req.version) === undefined);
    const sizes = waveSizes(reachable.length, req.waves);
    const now = this.#now();
    let position = 0;
    const members = reachable.map((s) => {
      let wave = 0;
      for (let acc = sizes[0] ?? 0; position >= acc; acc += sizes[wave] ?? 0) wave++;
      return { storeId: s.id, wave, position: position++, fromVersion: this.#d.releaseOf(s), status: 'Pending' as const };
    });
    const skipped = picked.filter((s) => !reachable.includes(s)).map((s) => ({
      storeId: s.id, wave: Math.max(0, sizes.length - 1), position: position++, fromVersion: this.#d.releaseOf(s), status: 'Skipped' as const,
      reason: this.#d.upgradeProblem(s.engine, this.#d.releaseOf(s), req.version) ?? null, finishedAt: now,
    }));
    if (members.length === 0) throw new NoStoresSelectedError(`none of the ${picked.length} selected stores can be upgraded to ${req.version}: ${skipped[0]?.reason ?? ''}`);
    const result = this.#d.rollouts.insertUnlessTaken({
      id: `ro-${now.getTime().toString(36)}-${randomBytes(3).toString('hex')}`, engine: req.engine, version: req.version, selector: { ...req.selector },
      waveSizes: sizes, maxFailures: req.maxFailures, pauseSeconds: req.pauseSeconds, status: 'Running', createdBy: actor, createdAt: now, updatedAt: now,
    }, [...members, ...skipped]);
    if ('takenBy' in result) throw new RolloutConflictError(`store '${result.storeId}' is in rollout '${result.takenBy}', which is still open; abort it or wait for it to finish`);
    this.#d.log.info({ rolloutId: result.id, stores: members.length, waves: sizes }, 'Rollout started');
    this.#emit(result);
    void this.tick();
    return result;
  }

  /** Running -> Paused: no new store starts; upgrades under way finish. */
  public pause(id: string, actor: string): RolloutRow {
    const r = this.#d.rollouts.get(id);
    if (r.status === 'Paused') return r;
    if (r.status !== 'Running') throw new IllegalTransitionError(`only a Running rollout can be paused (status is ${r.status})`);
    return this.#set(r, { status: 'Paused', statusReason: `Paused by ${actor}` });
  }

  /** Paused or Halted -> Running; a Halted rollout's failures so far are forgiven (the budget counts anew). */
  public resume(id: string, actor: string): RolloutRow {
    const r = this.#d.rollouts.get(id);
    if (r.status === 'Running') return r;
    if (r.status !== 'Paused' && r.status !== 'Halted') throw new IllegalTransitionError(`only a Paused or Halted rollout can be resumed (status is ${r.status})`);
    const failures = this.#d.rollouts.stores(id).filter((m) => FAILED_STORE_STATUSES.includes(m.status)).length;
    const row = this.#set(r, { status: 'Running', statusReason: `Resumed by ${actor}`, failuresForgiven: failures });
    void this.tick();
    return row;
  }

  /** Any open rollout -> Aborted: stores not started are Skipped; upgrades under way finish and are recorded. */
  public abort(id: string, actor: string): RolloutRow {
    const r = this.#d.rollouts.get(id);
    if (r.status === 'Aborted') return r;
    if (!OPEN_ROLLOUT_STATUSES.includes(r.status)) throw new IllegalTransitionError(`the rollout has ended (status is ${r.status})`);
    const now = this.#now();
    for (const m of this.#d.rollouts.stores(id)) {
      if (m.status === 'Pending') this.#d.rollouts.updateStore(id, m.storeId, { status: 'Skipped', reason: `rollout aborted by ${actor}`, finishedAt: now });
    }
    return this.#set(r, { status: 'Aborted', statusReason: `Aborted by ${actor}`, finishedAt: now });
  }

  /** One pass over every rollout that can still change; never two at once. */
  public tick(): Promise<void> {
    this.#ticking ??= this.#tickOnce().finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  async #tickOnce(): Promise<void> {
    for (const r of this.#d.rollouts.listByStatus([...OPEN_ROLLOUT_STATUSES, 'Aborted'])) {
      try {
        await this.#advance(r);
      } catch (err) {
        this.#d.log.error({ err, rolloutId: r.id }, 'Rollout tick failed; the next tick tries again');
      }
    }
  }

  async #advance(r: RolloutRow): Promise<void> {
    const members = this.#d.rollouts.stores(r.id);
    let changed = false;
    for (const m of members.filter((x) => x.status === 'Upgrading')) changed = this.#observe(r, m) || changed;
    if (r.status !== 'Running') {
      if (changed) this.#emit(this.#d.rollouts.get(r.id));
      return;
    }
    const now = this.#now();
    const current = () => this.#d.rollouts.stores(r.id);
    const budgetLeft = () => current().filter((x) => FAILED_STORE_STATUSES.includes(x.status)).length - r.failuresForgiven <= r.maxFailures;
    if (!budgetLeft()) {
      const failed = current().filter((x) => FAILED_STORE_STATUSES.includes(x.status) && x.wave <= r.wave);
      this.#set(r, { status: 'Halted', statusReason: `Halted in wave ${r.wave + 1}: ${failed.length - r.failuresForgiven} stores failed, more than the ${r.maxFailures} allowed (${failed.map((x) => x.storeId).join(', ')})` });
      return;
    }
    if (r.nextWaveAt !== null && now < r.nextWaveAt) {
      if (changed) this.#emit(this.#d.rollouts.get(r.id));
      return;
    }
    for (const m of members.filter((x) => x.wave === r.wave && x.status === 'Pending')) {
      await this.#start(r, m);
      changed = true;
    }
    const wave = current().filter((x) => x.wave === r.wave);
    if (wave.some((x) => x.status === 'Pending' || x.status === 'Upgrading')) {
      if (changed) this.#emit(this.#d.rollouts.get(r.id));
      return;
    }
    if (!budgetLeft()) return; // the next tick halts it, with the wave's outcomes recorded
    if (r.wave + 1 >= r.waveSizes.length) {
      this.#set(r, { status: 'Succeeded', statusReason: null, finishedAt: now });
      return;
    }
    this.#set(r, { wave: r.wave + 1, nextWaveAt: new Date(now.getTime() + r.pauseSeconds * 1000) });
  }

  /** Starts one store's upgrade; a store not in a state to take it is Skipped with the refusal. */
  async #start(r: RolloutRow, m: RolloutStoreRow): Promise<void> {
    const store = this.#d.stores.find(m.storeId);
    const now = this.#now();
    if (!store || store.status === 'Deleting' || store.status === 'Deleted') {
      this.#d.rollouts.updateStore(r.id, m.storeId, { status: 'Skipped', reason: 'the store is being deleted', finishedAt: now });
      return;
    }
    // already on its way (a platform killed right after starting it) or there
    if (this.#d.releaseOf(store) === r.version) {
      const running = UPGRADE_UNDER_WAY.includes(store.status);
      this.#d.rollouts.updateStore(r.id, m.storeId, running ? { status: 'Upgrading', startedAt: now } : { status: 'Succeeded', reason: 'already on the release', finishedAt: now });
      return;
    }
    try {
      await this.#d.upgrade(m.storeId, r.version, `rollout:${r.id}`);
      this.#d.rollouts.updateStore(r.id, m.storeId, { status: 'Upgrading', startedAt: now });
    } catch (err) {
      this.#d.rollouts.updateStore(r.id, m.storeId, { status: 'Skipped', reason: err instanceof Error ? err.message : String(err), finishedAt: now });
    }
  }

  /** Records the outcome of an upgrade once the store's row shows one; true when it did. */
  #observe(r: RolloutRow, m: RolloutStoreRow): boolean {
    const store = this.#d.stores.find(m.storeId);
    if (store && UPGRADE_UNDER_WAY.includes(store.status)) return false;
    const finishedAt = this.#now();
    if (store?.status === 'Ready') {
      const done = this.#d.releaseOf(store) === r.version;
      this.#d.rollouts.updateStore(r.id, m.storeId, done
        ? { status: 'Succeeded', finishedAt }
        : { status: 'RolledBack', reason: store.statusReason ?? 'the upgrade was rolled back', finishedAt });
      return true;
    }
    this.#d.rollouts.updateStore(r.id, m.storeId, {
      status: 'Failed', reason: store ? `the store is ${store.status}${store.statusReason ? `: ${store.statusReason}` : ''}` : 'the store is gone', finishedAt,
    });
    return true;
  }

  #set(r: RolloutRow, patch: Parameters<RolloutsRepo['update']>[1]): RolloutRow {
    const row = this.#d.rollouts.update(r.id, patch);
    if (patch.status !== undefined && patch.status !== r.status) this.#d.log.info({ rolloutId: r.id, status: patch.status, reason: patch.statusReason }, 'Rollout status');
    this.#emit(row);
    return row;
  }

  #emit(row: RolloutRow): void {
    this.#d.bus.emit('rollout', row);
  }
}
