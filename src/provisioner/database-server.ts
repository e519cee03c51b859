import { namespaceFor } from '../../constructs/index.js';
import { engineOfRow } from '../manifests/desired.js';
import type { StoreRow } from '../db/repos/stores-repo.js';
import { readContainerImage, type CallOptions } from '../k8s/index.js';
import type { ReconcilerDeps } from './phase.js';
import { PLATFORM_STEPS } from './timeline.js';

/**
 * The row with its database server family recorded. A store made before families were recorded gets
 * the family of the server it runs (read once from its workload's image), so a platform whose default
 * changed (MySQL to MariaDB) never re-applies a store onto a server that cannot open its data; one with
 * no server yet gets a new store's family. Stores of engines without a choice are returned as they are.
 */
export async function withDatabaseServer(d: ReconcilerDeps, row: StoreRow, call: CallOptions): Promise<StoreRow> {
  const database = engineOfRow(row).database;
  if (!database || row.databaseServer !== null) return row;
  const { kind, name, container } = database.workload;
  const image = await readContainerImage(d.kube, { kind, name, container, namespace: namespaceFor(row.slug) }, call);
  const server = image ? database.ofImage(image) : database.forNewStore(d.platform);
  d.timeline.record(row.id, PLATFORM_STEPS.store, 'info', image
    ? `Database server recorded as ${server}, the family of the running ${kind} ${name} (${image}); the store keeps it`
    : `Database server recorded as ${server}, a new store's`);
  return d.stores.update(row.id, row.version, row.status, { databaseServer: server });
}
