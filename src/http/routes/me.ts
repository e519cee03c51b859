import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';

const Identity = z
  .object({
    keyId: z.string().describe('Id of the API key (never the key itself)'),
    name: z.string(),
    role: z.enum(['admin', 'viewer']),
  })
  .meta({ id: 'Identity' });

/** Who the presented key belongs to: lets clients (the dashboard) show only what the key may do. */
const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/me',
    { schema: { tags: ['auth'], summary: 'The calling API key and its role', response: { 200: Identity, ...problems(...AUTH_PROBLEMS) } } },
    async (req) => {
      const principal = req.principal!; // the auth hook ran: no principal means 401 already
      return { keyId: principal.keyId, name: principal.name, role: principal.role };
    },
  );
};

export default meRoutes;
