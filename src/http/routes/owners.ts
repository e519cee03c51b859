import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { OwnerRow, OwnersRepo } from '../../db/repos/owners-repo.js';
import { DEFAULT_OWNER_ID } from '../../db/schema.js';
import { NotFoundError, OwnerExistsError, OwnerInUseError } from '../../errors.js';
import { usageOf } from '../../provisioner/owner-limits.js';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';
import { CreateOwnerBody, OwnerIdParams, OwnerList, OwnerView, UpdateOwnerBody } from '../schemas/owners.js';
import { ownerView } from '../views.js';

export interface OwnersRoutesOptions {
  readonly owners: OwnersRepo;
  readonly now: () => Date;
}

/** An owner with what its live stores claim (shared with /me). */
export const viewOwner = (owners: OwnersRepo, row: OwnerRow) => ownerView(row, usageOf(owners.liveStoresByPlan(row.id)));

/** Tenants: platform admins only. Every change is audit-logged for the owner it touches. */
const ownersRoutes: FastifyPluginAsyncZod<OwnersRoutesOptions> = async (app, opts) => {
  const { owners, now } = opts;
  const mustGet = (id: string): OwnerRow => {
    const row = owners.find(id);
    if (row === undefined) throw new NotFoundError(`owner '${id}' does not exist`);
    return row;
  };

  app.post(
    '/owners',
    {
      schema: {
        tags: ['owners'],
        summary: 'Create an owner (platform admins)',
        body: CreateOwnerBody,
        response: { 201: OwnerView, ...problems(...AUTH_PROBLEMS, 403, 409, 413, 415) },
      },
      config: { role: 'admin', audit: 'owner.create' },
    },
    async (req, reply) => {
      const { id, ...fields } = req.body;
      req.auditTarget = id;
      req.auditOwner = id;
      if (owners.find(id) !== undefined) throw new OwnerExistsError(`an owner with id '${id}' exists already`);
      return reply.code(201).header('location', `/api/v1/owners/${id}`).send(viewOwner(owners, owners.insert(id, fields, now())));
    },
  );

  app.get(
    '/owners',
    {
      schema: { tags: ['owners'], summary: 'List owners (platform admins)', response: { 200: OwnerList, ...problems(...AUTH_PROBLEMS, 403) } },
      config: { role: 'admin' },
    },
    async () => ({ items: owners.list().map((row) => viewOwner(owners, row)) }),
  );

  app.get(
    '/owners/:ownerId',
    {
      schema: {
        tags: ['owners'],
        summary: 'Get an owner with its usage (platform admins)',
        params: OwnerIdParams,
        response: { 200: OwnerView, ...problems(...AUTH_PROBLEMS, 403, 404) },
      },
      config: { role: 'admin' },
    },
    async (req) => viewOwner(owners, mustGet(req.params.ownerId)),
  );

  app.patch(
    '/owners/:ownerId',
    {
      schema: {
        tags: ['owners'],
        summary: 'Change an owner\'s name, allowance or limits (platform admins)',
        description: 'Limits apply to the next create; stores already running are not touched.',
        params: OwnerIdParams,
        body: UpdateOwnerBody,
        response: { 200: OwnerView, ...problems(...AUTH_PROBLEMS, 403, 404, 413, 415) },
      },
      config: { role: 'admin', audit: 'owner.update' },
    },
    async (req) => {
      const id = req.params.ownerId;
      req.auditTarget = id;
      req.auditOwner = id;
      mustGet(id);
      return viewOwner(owners, owners.update(id, req.body, now()) ?? mustGet(id));
    },
  );

  app.delete(
    '/owners/:ownerId',
    {
      schema: {
        tags: ['owners'],
        summary: 'Delete an owner without live stores and revoke its keys (platform admins)',
        params: OwnerIdParams,
        response: { 200: OwnerView, ...problems(...AUTH_PROBLEMS, 403, 404, 409) },
      },
      config: { role: 'admin', audit: 'owner.delete' },
    },
    async (req) => {
      const id = req.params.ownerId;
      req.auditTarget = id;
      req.auditOwner = id;
      const last = viewOwner(owners, mustGet(id));
      if (id === DEFAULT_OWNER_ID) throw new OwnerInUseError(`the '${DEFAULT_OWNER_ID}' owner takes the stores admins create without X-Owner; it cannot be deleted`);
      const { deleted, liveStores } = owners.delete(id, now());
      if (!deleted) throw new OwnerInUseError(`owner '${id}' has ${liveStores} live stores; delete them first`);
      return last; // as it was just before: the record is gone
    },
  );
};

export default ownersRoutes;
