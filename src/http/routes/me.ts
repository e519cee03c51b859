import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OwnersRepo } from '../../db/repos/owners-repo.js';
import { API_KEY_ROLES } from '../../db/schema.js';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';
import { OwnerView } from '../schemas/owners.js';
import { viewOwner } from './owners.js';

const Identity = z
  .object({
    keyId: z.string().describe('Id of the API key (never the key itself)'),
    name: z.string(),
    role: z.enum(API_KEY_ROLES),
    ownerId: z.string().nullable().describe('The owner the request is scoped to: the key\'s, or the one a platform admin names with X-Owner; null: every owner'),
    owner: OwnerView.nullable().describe('That owner with its limits and usage'),
  })
  .meta({ id: 'Identity' });

/** Who the presented key belongs to: lets clients (the dashboard) show only what the key may do, and the owner's usage. */
const meRoutes: FastifyPluginAsyncZod<{ readonly owners: OwnersRepo }> = async (app, opts) => {
  app.get(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The calling API key, its role, and its owner\'s limits and usage',
        response: { 200: Identity, ...problems(...AUTH_PROBLEMS, 404) },
      },
    },
    async (req) => {
      const principal = req.principal!; // the auth hook ran: no principal means 401 already
      const row = req.ownerScope === undefined ? undefined : opts.owners.find(req.ownerScope);
      return {
        keyId: principal.keyId, name: principal.name, role: principal.role,
        ownerId: req.ownerScope ?? null, owner: row === undefined ? null : viewOwner(opts.owners, row),
      };
    },
  );
};

export default meRoutes;
