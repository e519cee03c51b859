import type { Db } from '../db/client.js';
import { AuditRepo, type AuditRow } from '../db/repos/audit-repo.js';
import { BackupsRepo, type BackupRow, type RestoreRow } from '../db/repos/backups-repo.js';
import { EventsRepo } from '../db/repos/events-repo.js';
import { StoresRepo } from '../db/repos/stores-repo.js';
import type { StoreStatus } from '../db/schema.js';
import type { StoreCondition } from '../provisioner/conditions.js';
import type { StoreEventRow, StoreRow } from './ports.js';

export type { AuditRow };

/** Read side of the API over the engine's repositories. Writes go through the Provisioner. */
export class Queries {
  readonly #db: Db;
  readonly #stores: StoresRepo;
  readonly #events: EventsRepo;
  readonly #audit: AuditRepo;
  readonly #backups: BackupsRepo;

  public constructor(db: Db) {
    this.#db = db;
    this.#stores = new StoresRepo(db);
    this.#events = new EventsRepo(db);
    this.#audit = new AuditRepo(db);
    this.#backups = new BackupsRepo(db);
  }

  public listBackups(storeId: string): BackupRow[] {
    return this.#backups.listByStore(storeId);
  }

  public getBackup(id: string): BackupRow | undefined {
    return this.#backups.find(id);
  }

  public listRestores(storeId: string): RestoreRow[] {
    return this.#backups.listRestores(storeId);
  }

  /** Per store, when its latest backup succeeded (for /metrics). */
  public lastBackupSuccess(): { storeId: string; slug: string; at: number }[] {
    return this.#backups.lastSuccessByStore();
  }

  public getStore(id: string): StoreRow | undefined {
    return this.#stores.find(id);
  }

  /** Newest first; throws InvalidCursorError (400) for a cursor this server did not issue. */
  public listStores(q: { status?: StoreStatus; cursor?: string; limit: number; ownerId?: string | undefined }): { items: StoreRow[]; nextCursor: string | null } {
    const page = this.#stores.list(q);
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  }

  public countByStatus(): Record<string, number> {
    return this.#stores.countByStatus();
  }

  /** Each row's step conditions as stored (folded from the timeline once for a row from before they were). */
  public stepConditionsOf(rows: readonly StoreRow[]): Map<string, readonly StoreCondition[]> {
    return this.#events.stepConditionsOf(rows);
  }

  public listEvents(storeId: string, afterId?: number): StoreEventRow[] {
    return this.#events.list(storeId, afterId !== undefined ? { afterId } : {});
  }

  public listAudit(q: { cursor?: string; limit: number; ownerId?: string | undefined }): { items: AuditRow[]; nextCursor: string | null } {
    const page = this.#audit.list(q);
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  }

  /** Cheap database probe for /readyz. */
  public ping(): void {
    this.#db.$client.prepare('select 1').get();
  }
}
