import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BackupNotFoundError, BackupsNotConfiguredError } from '../../errors.js';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';
import { defaultTitle } from '../../../constructs/index.js';
import { BackupIdParams, BackupList, BackupOnlyParams, BackupView, NewStoreFromBackupBody, RestoreBody, RestoreList, RestoreView } from '../schemas/backups.js';
import { StoreIdParams, StoreView, type NewStoreInput } from '../schemas/stores.js';
import { backupView, restoreView } from '../views.js';
import { actorOf, assertNameNotReserved, inScope, storeAccess, storePath, type ScopedRequest, type StoreRoutesOptions } from './shared.js';

/**
 * A store's backups and restores. Reads are for every key that sees the store; backing up and restoring
 * are owner and admin actions (the default role of a mutation), each on the audit log. The provisioner
 * refuses what the store's state does not allow, with a problem each.
 */
const backupsRoutes: FastifyPluginAsyncZod<StoreRoutesOptions> = async (app, opts) => {
  const { provisioner, queries } = opts;
  const { view, mustGet } = storeAccess(opts);

  /**
   * A backup to restore and the store it was taken of, once backups are configured; a backup of a store
   * the caller cannot see is not found, like the store itself.
   */
  const visibleBackup = (req: ScopedRequest, backupId: string) => {
    if (!provisioner.backupsEnabled) throw new BackupsNotConfiguredError('backups are not configured on this platform (BACKUP_S3_ENDPOINT is unset)');
    const backup = queries.getBackup(backupId);
    const from = backup === undefined ? undefined : queries.getStore(backup.storeId);
    if (backup === undefined || from === undefined || !inScope(req, from)) throw new BackupNotFoundError(`backup '${backupId}' does not exist`);
    return { backup, from };
  };

  app.post(
    '/stores/:id/backups',
    {
      schema: {
        tags: ['backups'],
        summary: 'Back up a store now',
        description:
          'Queues an on-demand backup of a Ready store: its database dump and files (WooCommerce: wp-content) into the store\'s restic repository, ' +
          'encrypted with the store\'s own password. Poll the backup or follow the store\'s `/events/stream` (step `backup`). ' +
          '409: BACKUPS_NOT_CONFIGURED, STORE_NOT_READY, BACKUP_IN_PROGRESS.',
        params: StoreIdParams,
        response: { 202: BackupView, ...problems(...AUTH_PROBLEMS, 403, 404, 409) },
      },
      config: { audit: 'store.backup' },
    },
    async (req, reply) => {
      mustGet(req, req.params.id);
      const row = await provisioner.backup(req.params.id, { actor: actorOf(req) });
      return reply.code(202).header('location', `${storePath(req.params.id)}/backups/${row.id}`).send(backupView(row));
    },
  );

  app.get(
    '/stores/:id/backups',
    {
      schema: {
        tags: ['backups'],
        summary: 'List a store\'s backups, newest first',
        description: 'Also after the store is Deleted: its final backup stays listed.',
        params: StoreIdParams,
        response: { 200: BackupList, ...problems(...AUTH_PROBLEMS, 404) },
      },
    },
    async (req) => {
      mustGet(req, req.params.id);
      return { items: queries.listBackups(req.params.id).map(backupView) };
    },
  );

  app.get(
    '/stores/:id/backups/:backupId',
    {
      schema: {
        tags: ['backups'],
        summary: 'Get one backup of a store',
        params: BackupIdParams,
        response: { 200: BackupView, ...problems(...AUTH_PROBLEMS, 404) },
      },
    },
    async (req) => {
      mustGet(req, req.params.id);
      const row = queries.getBackup(req.params.backupId);
      if (row === undefined || row.storeId !== req.params.id) throw new BackupNotFoundError(`store '${req.params.id}' has no backup '${req.params.backupId}'`);
      return backupView(row);
    },
  );

  app.post(
    '/stores/:id/restore',
    {
      schema: {
        tags: ['backups'],
        summary: 'Restore one of the store\'s backups into it',
        description:
          'Maintenance: the store goes Restoring, its app is scaled down, the backup is verified and restored (database, then files), the app ' +
          'comes back and the store check runs; then Ready. A backup refused before anything was written (damaged, incomplete) leaves the store ' +
          'as it was (Ready); a restore that fails after it began writing leaves the store Failed, saying so (restore another backup). ' +
          '404 BACKUP_NOT_FOUND; 409 BACKUPS_NOT_CONFIGURED, STORE_NOT_READY, BACKUP_IN_PROGRESS, BACKUP_NOT_RESTORABLE; 422 BACKUP_OF_ANOTHER_STORE, BACKUP_ENGINE_MISMATCH.',
        params: StoreIdParams,
        body: RestoreBody,
        response: { 202: RestoreView, ...problems(...AUTH_PROBLEMS, 403, 404, 409, 413, 415, 422) },
      },
      config: { audit: 'store.restore' },
    },
    async (req, reply) => {
      mustGet(req, req.params.id);
      visibleBackup(req, req.body.backupId);
      const row = await provisioner.restore(req.params.id, req.body.backupId, { actor: actorOf(req) });
      return reply.code(202).send(restoreView(row));
    },
  );

  app.post(
    '/backups/:backupId/restore',
    {
      schema: {
        tags: ['backups'],
        summary: 'Make a new store from a backup (clone a store, or bring a deleted one back)',
        description:
          'Creates a store like POST /stores (its own name, host and secrets; the backed-up store\'s plan, admin email and currency unless given), ' +
          'provisions it, restores the backup into it (another store\'s, or a deleted store\'s final backup while retention keeps it), rewrites ' +
          'what the data holds of the other store (WordPress: `wp search-replace` of its URL; both engines: this store\'s admin password) and runs ' +
          'the store check; Ready only then. Follow the new store\'s `/events/stream` (step `restore`). ' +
          '404 BACKUP_NOT_FOUND; 409 BACKUPS_NOT_CONFIGURED, BACKUP_NOT_RESTORABLE, STORE_NAME_TAKEN, HOST_TAKEN, STORE_LIMIT_REACHED; 422 STORE_NAME_RESERVED.',
        params: BackupOnlyParams,
        body: NewStoreFromBackupBody,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 404, 409, 413, 415, 422) },
      },
      config: { audit: 'backup.restore-new-store' },
    },
    async (req, reply) => {
      const { backup, from } = visibleBackup(req, req.params.backupId);
      assertNameNotReserved(opts.config, req.body.name);
      const ownerId = req.ownerScope ?? from.ownerId;
      req.auditOwner = ownerId;
      const spec = {
        // the rows were validated when the backed-up store was created
        engine: backup.engine as NewStoreInput['engine'], plan: from.plan as NewStoreInput['plan'], adminEmail: from.adminEmail, currency: from.currency,
        ...req.body, title: req.body.title ?? defaultTitle(req.body.name),
      };
      const row = await provisioner.createFromBackup(backup.id, spec, { actor: actorOf(req), ownerId });
      req.auditTarget = row.id;
      return reply.code(202).header('location', storePath(row.id)).send(view(row));
    },
  );

  app.get(
    '/stores/:id/restores',
    {
      schema: {
        tags: ['backups'],
        summary: 'List a store\'s restores, newest first (status, step, failure)',
        params: StoreIdParams,
        response: { 200: RestoreList, ...problems(...AUTH_PROBLEMS, 404) },
      },
    },
    async (req) => {
      mustGet(req, req.params.id);
      return { items: queries.listRestores(req.params.id).map(restoreView) };
    },
  );
};

export default backupsRoutes;
