import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../client.js';
import { auditLog } from '../schema.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { InvalidCursorError } from './errors.js';

export type AuditRow = typeof auditLog.$inferSelect;
export type AuditOutcome = AuditRow['outcome'];

export interface AuditEntry {
  /** API key id, or `system`. */
  readonly actor: string;
  /** The owner the action was for; undefined for platform-wide actions (owners, admin keys). */
  readonly ownerId?: string | undefined;
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
      actor: e.actor, ownerId: e.ownerId ?? null, action: e.action, target: e.target, outcome: e.outcome,
      requestId: e.requestId ?? null, ip: e.ip ?? null, detail: e.detail ?? null, at: new Date(),
    }).returning().get();
  }

  /** Newest first, keyset-paginated on id; with `ownerId`, only the actions for that owner. */
  public list(q: { cursor?: string; limit: number; ownerId?: string | undefined }): { items: AuditRow[]; nextCursor?: string } {
    const limit = Math.max(1, Math.min(q.limit, 500));
    const conds = [];
    if (q.ownerId !== undefined) conds.push(eq(auditLog.ownerId, q.ownerId));
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor);
      if (!c || c.length !== 1 || typeof c[0] !== 'number') throw new InvalidCursorError('cursor is not valid for this list');
      conds.push(lt(auditLog.id, c[0]));
    }
    const rows = this.db.select().from(auditLog).where(conds.length > 0 ? and(...conds) : undefined).orderBy(desc(auditLog.id)).limit(limit + 1).all();
    if (rows.length <= limit) return { items: rows };
    const page = rows.slice(0, limit);
    return { items: page, nextCursor: encodeCursor([page[page.length - 1]!.id]) };
  }
}
