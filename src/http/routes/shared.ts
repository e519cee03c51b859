import { DEFAULT_RESERVED_NAMESPACES, reservedNamespaceViolation } from '../../../constructs/index.js';
import type { Config } from '../../config.js';
import { StoreNameReservedError } from '../../errors.js';
import { NotFoundError } from '../../errors.js';
import type { ProvisionerPort, StoreRow } from '../ports.js';
import type { Queries } from '../queries.js';
import type { SseStream } from '../sse.js';
import { storeView } from '../views.js';

/** What every store route plugin is registered with. */
export interface StoreRoutesOptions {
  readonly config: Config;
  readonly provisioner: ProvisionerPort;
  readonly queries: Queries;
  readonly now: () => Date;
  /** Open SSE streams; the app ends them on close. */
  readonly streams: Set<SseStream>;
}

/** The calling key's id (the audit actor and the owner of idempotency keys). */
export const actorOf = (req: { principal: { keyId: string } | null }): string => req.principal?.keyId ?? 'anonymous';

export const storePath = (id: string): string => `/api/v1/stores/${id}`;

/**
 * Refuses a new store's name whose namespace `store-<name>` is reserved (RESERVED_NAMESPACES, else the
 * defaults; the ingress controller's namespace always).
 */
export function assertNameNotReserved(config: Pick<Config, 'RESERVED_NAMESPACES' | 'INGRESS_NAMESPACE'>, name: string): void {
  const reserved = [...(config.RESERVED_NAMESPACES?.split(',') ?? DEFAULT_RESERVED_NAMESPACES), config.INGRESS_NAMESPACE];
  const violation = reservedNamespaceViolation(name, reserved);
  if (violation !== undefined) throw new StoreNameReservedError(violation);
}

/** The part of a request store access reads: its owner scope, and where the audit plugin looks for the owner. */
export interface ScopedRequest {
  readonly ownerScope: string | undefined;
  auditOwner?: string;
}

/** Whether a row is visible in a request's owner scope (an admin acting for nobody sees every owner). */
export const inScope = (req: Pick<ScopedRequest, 'ownerScope'>, row: Pick<StoreRow, 'ownerId'>): boolean =>
  req.ownerScope === undefined || row.ownerId === req.ownerScope;

/**
 * Row lookup and view shared by the store route plugins. `mustGet` is the one door to a store by id:
 * another owner's store is the same 404 as no store at all, so its existence never leaks.
 */
export function storeAccess(opts: Pick<StoreRoutesOptions, 'provisioner' | 'queries'>) {
  return {
    view: (row: StoreRow) => storeView(row, opts.provisioner, opts.queries.stepConditionsOf([row]).get(row.id)!),
    /** A page of views: the step conditions come with the rows, so no timeline is read. */
    views: (rows: readonly StoreRow[]) => {
      const steps = opts.queries.stepConditionsOf(rows);
      return rows.map((row) => storeView(row, opts.provisioner, steps.get(row.id)!));
    },
    mustGet: (req: ScopedRequest, id: string): StoreRow => {
      const row = opts.queries.getStore(id);
      if (row === undefined || !inScope(req, row)) throw new NotFoundError(`store '${id}' does not exist`);
      req.auditOwner = row.ownerId;
      return row;
    },
  };
}
