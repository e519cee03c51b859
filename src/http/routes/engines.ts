import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ENGINES, engineAvailable, engineOf, PLANS, planTable } from '../../../constructs/index.js';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';

const EngineView = z
  .object({
    name: z.enum(ENGINES),
    title: z.string(),
    plans: z.array(z.enum(PLANS)).describe('The plans a store of this engine may use'),
    adminPath: z.string().describe('Path of the admin UI under the store URL'),
    adminTitle: z.string().describe('What the merchant calls the administrator account'),
  })
  .meta({ id: 'Engine' });

/** The engines a store can be created with: what a client (the dashboard) offers, from the registry. */
export function engineViews(): z.infer<typeof EngineView>[] {
  return ENGINES.filter(engineAvailable).map((name) => {
    const e = engineOf(name);
    return {
      name,
      title: e.title,
      plans: PLANS.filter((p) => e.planProblems(planTable[p]).length === 0),
      adminPath: e.admin.path,
      adminTitle: e.admin.title,
    };
  });
}

const enginesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/engines',
    {
      schema: {
        tags: ['stores'],
        summary: 'The engines a store can be created with, and the plans each offers',
        response: { 200: z.object({ items: z.array(EngineView) }), ...problems(...AUTH_PROBLEMS) },
      },
    },
    async () => ({ items: engineViews() }),
  );
};

export default enginesRoutes;
