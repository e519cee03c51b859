import { desc, lt } from 'drizzle-orm';
import type { Db } from '../client.js';
import { auditLog } from '../schema.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { InvalidCursorError } from './errors.js';

export type AuditRow = typeof auditLog.$inferSelect;
export type AuditOutcome = AuditRow['outcome'];

export interface AuditEntry {
  /** API key id, or `system`. */
  readonly actor: string;
  /** e.g. `store.create`, `store.credentials.read`. */
  readonly action: string;
  /** e.g. the store id. */
  readonly target: string;
  readonly outcome: AuditOutcome;
  readonly requestId?: string;
  readonly ip?: string;
  /** Free text; never a secret. */
  readonly detail?: string;
}

/** Who did what to which store, and how it went. Append-only. */
export class AuditRepo {
  public constructor(private readonly db: Db) {}

  public record(e: AuditEntry): AuditRow {
    return this.db.insert(auditLog).values({
      actor: e.actor, action: e.action, target: e.target, outcome: e.outcome,
      requestId: e.requestId ?? null, ip: e.ip ?? null, detail: e.detail ?? null, at: new Date(),
    }).returning().get();
  }

  /** Newest first, keyset-paginated on id. */
  public list(q: { cursor?: string; limit: number }): { items: AuditRow[]; nextCursor?: string } {
    const limit = Math.max(1, Math.min(q.limit, 500));
    let where;
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor);
      if (!c || c.length !== 1 || typeof c[0] !== 'number') throw new InvalidCursorError('cursor is not valid for this list');
      where = lt(auditLog.id, c[0]);
    }
    const rows = this.db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(limit + 1).all();
    if (rows.length <= limit) return { items: rows };
    const page = rows.slice(0, limit);
    return { items: page, nextCursor: encodeCursor([page[page.length - 1]!.id]) };
  }
}
