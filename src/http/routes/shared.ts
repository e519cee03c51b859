import type { Config } from '../../config.js';
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

/** Row lookup and view shared by the store route plugins. */
export function storeAccess(opts: Pick<StoreRoutesOptions, 'provisioner' | 'queries'>) {
  return {
    view: (row: StoreRow) => storeView(row, opts.provisioner, opts.queries.listEvents(row.id)),
    mustGet: (id: string): StoreRow => {
      const row = opts.queries.getStore(id);
      if (row === undefined) throw new NotFoundError(`store '${id}' does not exist`);
      return row;
    },
  };
}
