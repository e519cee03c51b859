import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { defaultTitle } from '../../../constructs/index.js';
import { DEFAULT_OWNER_ID } from '../../db/schema.js';
import { ForbiddenError } from '../errors.js';
import { DeleteStoreQuery } from '../schemas/backups.js';
import { IdempotencyHeaders } from '../plugins/idempotency.js';
import type { StoreRow } from '../ports.js';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';
import { CreateStoreBody, ListStoresQuery, StoreIdParams, StoreList, StoreView, UpdateStoreBody } from '../schemas/stores.js';
import { actorOf, assertNameNotReserved, storeAccess, storePath, type StoreRoutesOptions } from './shared.js';

/** The store resource: create, list, read, change plan, delete. Thin: the provisioner decides. */
const storesRoutes: FastifyPluginAsyncZod<StoreRoutesOptions> = async (app, opts) => {
  const { provisioner, queries, config } = opts;
  const { view, views, mustGet } = storeAccess(opts);

  app.post(
    '/stores',
    {
      schema: {
        tags: ['stores'],
        summary: 'Create a store',
        description:
          'Validates the spec, checks the owner\'s allowance and limits, records the store as Pending and queues it. ' +
          'A name whose namespace `store-<name>` is one the platform or the cluster uses is refused (422 STORE_NAME_RESERVED). ' +
          'The store belongs to the caller\'s owner (a platform admin: the `X-Owner` header, else `default`). Poll the store or follow `/events/stream`.',
        headers: IdempotencyHeaders,
        body: CreateStoreBody,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 409, 413, 415, 422) },
      },
      config: {
        audit: 'store.create',
        idempotency: {
          replay: (body) => {
            const { id, ownerId } = body as { id: string; ownerId: string };
            return { target: id, owner: ownerId, headers: { location: storePath(id) } };
          },
        },
      },
    },
    async (req, reply) => {
      // engine availability, owner allowance and limits, MAX_STORES and defaults are the provisioner's (one SQLite transaction)
      const ownerId = req.ownerScope ?? DEFAULT_OWNER_ID;
      req.auditOwner = ownerId;
      assertNameNotReserved(config, req.body.name);
      const spec = { ...req.body, title: req.body.title ?? defaultTitle(req.body.name) };
      // the Idempotency-Key answer is committed with the store, so a retry after a crash replays it (never 409)
      const record = req.recordIdempotentAnswer;
      const row = await provisioner.create(spec, {
        actor: actorOf(req),
        ownerId,
        ...(record !== undefined ? { onInsert: (inserted: StoreRow) => record(202, view(inserted)) } : {}),
      });
      req.auditTarget = row.id;
      req.log = req.log.child({ storeId: row.id });
      req.log.info({ slug: row.slug }, 'Store accepted');
      return reply.code(202).header('location', storePath(row.id)).send(view(row));
    },
  );

  app.get(
    '/stores',
    {
      schema: {
        tags: ['stores'],
        summary: 'List stores',
        description: 'The caller\'s owner\'s stores (a platform admin: every owner\'s, or the `X-Owner` header\'s), newest first. Follow `nextCursor` for the next page.',
        querystring: ListStoresQuery,
        response: { 200: StoreList, ...problems(...AUTH_PROBLEMS) },
      },
    },
    async (req) => {
      const page = queries.listStores({ ...req.query, ownerId: req.ownerScope });
      return { items: views(page.items), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/stores/:id',
    {
      schema: { tags: ['stores'], summary: 'Get a store', params: StoreIdParams, response: { 200: StoreView, ...problems(...AUTH_PROBLEMS, 404) } },
    },
    async (req) => view(mustGet(req, req.params.id)),
  );

  app.delete(
    '/stores/:id',
    {
      schema: {
        tags: ['stores'],
        summary: 'Delete a store',
        description:
          'Marks the store Deleting and removes its namespace; the record and timeline are kept and the name becomes reusable. ' +
          'With backups configured, a final backup is taken first and the delete waits for it (it stays listed afterwards); a failed final ' +
          'backup leaves the store Failed and in place. `skipFinalBackup=true` (admin keys only) deletes without one. 409 BACKUP_IN_PROGRESS while a backup or restore runs. ' +
          'With an undelete window (UNDELETE_WINDOW_HOURS), a Ready or Suspended store is soft-deleted: parked behind its maintenance page and kept, ' +
          'its name taken, until `purgeAt`; `POST .../actions/undelete` brings it back until then. `purge=now` (admin keys only) purges at once.',
        params: StoreIdParams,
        querystring: DeleteStoreQuery,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 404, 409) },
      },
      config: { audit: 'store.delete' },
    },
    async (req, reply) => {
      mustGet(req, req.params.id);
      const skipFinalBackup = req.query.skipFinalBackup === 'true';
      if (skipFinalBackup && req.principal?.role !== 'admin') throw new ForbiddenError('only platform admin keys may delete a store without its final backup (skipFinalBackup)');
      const purgeNow = req.query.purge === 'now';
      if (purgeNow && req.principal?.role !== 'admin') throw new ForbiddenError('only platform admin keys may purge a store at once (purge=now)');
      const row = await provisioner.delete(req.params.id, { actor: actorOf(req), ...(skipFinalBackup ? { skipFinalBackup } : {}), ...(purgeNow ? { purgeNow } : {}) });
      return reply.code(202).send(view(row));
    },
  );

  app.patch(
    '/stores/:id',
    {
      schema: {
        tags: ['stores'],
        summary: 'Change a store\'s plan',
        description: 'Only a Ready store; it goes back to Provisioning while every step is server-side applied on the new plan, then Ready again.',
        params: StoreIdParams,
        body: UpdateStoreBody,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 404, 409, 413, 415) },
      },
      config: { audit: 'store.change-plan' },
    },
    async (req, reply) => {
      mustGet(req, req.params.id);
      const row = await provisioner.changePlan(req.params.id, req.body.plan, { actor: actorOf(req) });
      return reply.code(202).send(view(row));
    },
  );

};

export default storesRoutes;
