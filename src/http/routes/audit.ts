import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';
import { AuditList, AuditQuery } from '../schemas/stores.js';
import { auditView } from '../views.js';
import type { StoreRoutesOptions } from './shared.js';

/** The audit log, newest first (written by the audit plugin). */
const auditRoutes: FastifyPluginAsyncZod<Pick<StoreRoutesOptions, 'queries'>> = async (app, opts) => {
  const { queries } = opts;

  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first',
        description: 'The actions for the caller\'s owner (a platform admin: every action, or the `X-Owner` header\'s owner\'s).',
        querystring: AuditQuery,
        response: { 200: AuditList, ...problems(...AUTH_PROBLEMS) },
      },
    },
    async (req) => {
      const page = queries.listAudit({ ...req.query, ownerId: req.ownerScope });
      return { items: page.items.map(auditView), nextCursor: page.nextCursor };
    },
  );
};

export default auditRoutes;
