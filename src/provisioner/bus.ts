import { EventEmitter } from 'node:events';
import type { BackupRow } from '../db/repos/backups-repo.js';
import type { StoreEventRow } from '../db/repos/events-repo.js';
import type { RolloutRow } from '../db/repos/rollouts-repo.js';
import type { StoreRow } from '../db/repos/stores-repo.js';

/** What the bus carries: `store` on every status change, `event` on every timeline entry, `backup` when a backup ends, `rollout` on every change of a rollout. */
export interface StoreBusEvents {
  readonly store: StoreRow;
  readonly event: StoreEventRow;
  readonly backup: BackupRow;
  readonly rollout: RolloutRow;
}

export type StoreBusListener<K extends keyof StoreBusEvents> = (payload: StoreBusEvents[K]) => void;

/**
 * The provisioner's typed event bus (SSE streams, metrics). A thin EventEmitter: listeners run
 * synchronously in emit order, and any number may listen (one per open stream).
 */
export class StoreBus {
  readonly #emitter = new EventEmitter();

  public constructor() {
    this.#emitter.setMaxListeners(0);
  }

  public on<K extends keyof StoreBusEvents>(name: K, listener: StoreBusListener<K>): this {
    this.#emitter.on(name, listener);
    return this;
  }

  public off<K extends keyof StoreBusEvents>(name: K, listener: StoreBusListener<K>): this {
    this.#emitter.off(name, listener);
    return this;
  }

  public emit<K extends keyof StoreBusEvents>(name: K, payload: StoreBusEvents[K]): void {
    this.#emitter.emit(name, payload);
  }
}
