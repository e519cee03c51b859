import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  currentRelease, ENGINES, engineAvailable, engineOf, PLANS, planTable, releasesOf, type PlatformSettings,
} from '../../../constructs/index.js';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';

const EngineView = z
  .object({
    name: z.enum(ENGINES),
    title: z.string(),
    plans: z.array(z.enum(PLANS)).describe('The plans a store of this engine may use'),
    adminPath: z.string().describe('Path of the admin UI under the store URL'),
    adminTitle: z.string().describe('What the merchant calls the administrator account'),
    currentVersion: z.string().describe('The release new stores of this engine get'),
    versions: z.array(z.object({
      version: z.string(),
      upgradesFrom: z.array(z.string()).describe('Releases a store may be upgraded from to this one'),
    })).describe('Every release of the engine on this platform, the base one (the platform\'s images) first'),
  })
  .meta({ id: 'Engine' });

/** The engines a store can be created with: what a client (the dashboard) offers, from the registry and the release catalogue. */
export function engineViews(platform: PlatformSettings): z.infer<typeof EngineView>[] {
  return ENGINES.filter(engineAvailable).map((name) => {
    const e = engineOf(name);
    return {
      currentVersion: currentRelease(platform, name, e.versioning),
      versions: releasesOf(platform, name, e.versioning).map((r) => ({ version: r.version, upgradesFrom: [...(r.upgradesFrom ?? [])] })),
      name,
      title: e.title,
      plans: PLANS.filter((p) => e.planProblems(planTable[p]).length === 0),
      adminPath: e.admin.path,
      adminTitle: e.admin.title,
    };
  });
}

const enginesRoutes: FastifyPluginAsyncZod<{ platform: PlatformSettings }> = async (app, opts) => {
  app.get(
    '/engines',
    {
      schema: {
        tags: ['stores'],
        summary: 'The engines a store can be created with, the plans each offers and its releases with their upgrade paths',
        response: { 200: z.object({ items: z.array(EngineView) }), ...problems(...AUTH_PROBLEMS) },
      },
    },
    async () => ({ items: engineViews(opts.platform) }),
  );
};

export default enginesRoutes;
