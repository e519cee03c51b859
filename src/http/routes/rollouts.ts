import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';
import { RolloutCreate, RolloutIdParams, RolloutList, RolloutView } from '../schemas/rollouts.js';
import { rolloutView } from '../views.js';
import { DEFAULT_WAVES, type WaveSpec } from '../../provisioner/rollouts.js';
import { actorOf, type StoreRoutesOptions } from './shared.js';

/** Fleet rollouts: many stores upgraded to one release in waves. Platform admins only: a rollout spans owners. */
const rolloutsRoutes: FastifyPluginAsyncZod<StoreRoutesOptions> = async (app, opts) => {
  const { provisioner } = opts;
  const one = (id: string) => {
    const { rollout, stores } = provisioner.rollout(id);
    return rolloutView(rollout, stores, true);
  };

  app.post(
    '/rollouts',
    {
      schema: {
        tags: ['rollouts'],
        summary: 'Upgrade a fleet of stores to one release, in waves',
        description: 'Picks the engine\'s live stores matching `selector` that run another release, lays them out in `waves` (the first is '
          + 'the canary) and starts it at once: each wave upgrades its stores (each with its pre-upgrade backup and rollback, as the '
          + 'upgrade action does), then waits `pauseSeconds` before the next. Once more than `maxFailures` stores failed or rolled back, '
          + 'the rollout halts (resume forgives those failures; abort ends it). Stores with no upgrade path are listed as Skipped. '
          + '409 VERSION_NOT_ALLOWED, NO_STORES_SELECTED, and ROLLOUT_CONFLICT when a store is in another open rollout.',
        body: RolloutCreate,
        response: { 201: RolloutView, ...problems(...AUTH_PROBLEMS, 403, 409, 422) },
      },
      config: { role: 'admin', audit: 'rollout.create' },
    },
    async (req, reply) => {
      const row = provisioner.startRollout({
        engine: req.body.engine, version: req.body.version, selector: req.body.selector,
        waves: (req.body.waves ?? DEFAULT_WAVES) as WaveSpec[], maxFailures: req.body.maxFailures, pauseSeconds: req.body.pauseSeconds,
      }, actorOf(req));
      return reply.code(201).header('location', `/api/v1/rollouts/${row.id}`).send(one(row.id));
    },
  );

  app.get(
    '/rollouts',
    {
      schema: { tags: ['rollouts'], summary: 'Rollouts, newest first', response: { 200: RolloutList, ...problems(...AUTH_PROBLEMS, 403) } },
      config: { role: 'admin' },
    },
    async () => ({ items: provisioner.listRollouts(100).map((r) => rolloutView(r, provisioner.rollout(r.id).stores, false)) }),
  );

  app.get(
    '/rollouts/:id',
    {
      schema: { tags: ['rollouts'], summary: 'One rollout with every store in wave order', params: RolloutIdParams, response: { 200: RolloutView, ...problems(...AUTH_PROBLEMS, 403, 404) } },
      config: { role: 'admin' },
    },
    async (req) => one(req.params.id),
  );

  const ACTIONS = {
    pause: 'Pause a rollout: no new store starts; upgrades under way finish. 409 ILLEGAL_TRANSITION unless Running.',
    resume: 'Resume a Paused or Halted rollout; a halted rollout\'s failures so far are forgiven. 409 ILLEGAL_TRANSITION otherwise.',
    abort: 'Abort an open rollout: stores not started are Skipped, upgrades under way finish; it cannot be resumed. 409 ILLEGAL_TRANSITION once it has ended.',
  } as const;
  for (const [action, description] of Object.entries(ACTIONS) as [keyof typeof ACTIONS, string][]) {
    app.post(
      `/rollouts/:id/${action}`,
      {
        schema: {
          tags: ['rollouts'], summary: `${action[0]!.toUpperCase()}${action.slice(1)} a rollout`, description,
          params: RolloutIdParams, response: { 200: RolloutView, ...problems(...AUTH_PROBLEMS, 403, 404, 409) },
        },
        config: { role: 'admin', audit: `rollout.${action}` },
      },
      async (req) => one(provisioner.rolloutAction(req.params.id, action, actorOf(req)).id),
    );
  }
};

export default rolloutsRoutes;
