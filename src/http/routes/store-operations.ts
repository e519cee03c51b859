import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';
import {
  AdminCredentials, LogsQuery, PasswordReset, RestartBody, RestartResult, StoreHealth, StoreIdParams, StoreLogs, StoreView, UpgradeBody,
} from '../schemas/stores.js';
import { ForbiddenError } from '../errors.js';
import { actorOf, storeAccess, type StoreRoutesOptions } from './shared.js';

/** Operations on one store: retry, suspend, resume, restart, password reset, health, logs and credentials. */
const storeOperationsRoutes: FastifyPluginAsyncZod<StoreRoutesOptions> = async (app, opts) => {
  const { provisioner } = opts;
  const { view, mustGet } = storeAccess(opts);

  app.post(
    '/stores/:id/retry',
    {
      schema: {
        tags: ['operations'],
        summary: 'Retry a Failed store from the step that failed',
        params: StoreIdParams,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 404, 409) },
      },
      config: { audit: 'store.retry' },
    },
    async (req, reply) => {
      mustGet(req, req.params.id);
      const row = await provisioner.retry(req.params.id, { actor: actorOf(req) });
      return reply.code(202).send(view(row));
    },
  );

  app.post(
    '/stores/:id/actions/suspend',
    {
      schema: {
        tags: ['operations'],
        summary: 'Suspend a Ready store: workloads to zero behind a maintenance page, data kept',
        description: 'Answers 202 at once with the store Suspending; the engine puts up the maintenance page (503 with Retry-After on '
          + 'the store\'s host), suspends its CronJobs and scales its workloads to zero (volumes and Secrets kept), then marks it Suspended. '
          + 'Asking again while Suspending or Suspended is a no-op; any other status is 409 ILLEGAL_TRANSITION.',
        params: StoreIdParams,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 404, 409) },
      },
      config: { audit: 'store.suspend' },
    },
    async (req, reply) => {
      mustGet(req, req.params.id);
      const row = await provisioner.suspend(req.params.id, { actor: actorOf(req) });
      return reply.code(202).send(view(row));
    },
  );

  app.post(
    '/stores/:id/actions/resume',
    {
      schema: {
        tags: ['operations'],
        summary: 'Resume a Suspended store; Ready again once its store check passes',
        description: 'Answers 202 at once with the store Resuming; the engine scales its workloads back to the plan\'s replicas, resumes its '
          + 'CronJobs, points the Ingress back at the store, removes the maintenance page and runs the store check before Ready. '
          + 'Asking again while Resuming is a no-op; any status but Suspended is 409 ILLEGAL_TRANSITION.',
        params: StoreIdParams,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 404, 409) },
      },
      config: { audit: 'store.resume' },
    },
    async (req, reply) => {
      mustGet(req, req.params.id);
      const row = await provisioner.resume(req.params.id, { actor: actorOf(req) });
      return reply.code(202).send(view(row));
    },
  );

  app.post(
    '/stores/:id/actions/upgrade',
    {
      schema: {
        tags: ['operations'],
        summary: 'Upgrade a Ready store to another release of its engine, with rollback',
        description: 'Answers 202 at once with the store Upgrading. With backups configured a pre-upgrade backup is taken first (a failed '
          + 'one refuses the upgrade and changes nothing). The store\'s Jobs run again on the new release (its setup migrates the data) and '
          + 'every step is server-side applied, then the store check runs; Ready means the new release takes orders. A failure rolls back: '
          + 'the old release\'s objects again, then the pre-upgrade backup restored (Restoring) and the check. 409 VERSION_NOT_ALLOWED for a '
          + 'release the catalogue lacks or reaches by no path from the store\'s; 409 ILLEGAL_TRANSITION unless Ready; asking again for the '
          + 'upgrade under way is a no-op. `skipBackup` is for admin keys only (403).',
        params: StoreIdParams,
        body: UpgradeBody,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 404, 409) },
      },
      config: { audit: 'store.upgrade' },
    },
    async (req, reply) => {
      mustGet(req, req.params.id);
      if (req.body.skipBackup === true && req.principal?.role !== 'admin') throw new ForbiddenError('only platform admin keys may upgrade a store without a pre-upgrade backup (skipBackup)');
      const row = await provisioner.upgrade(req.params.id, req.body.version, { actor: actorOf(req), ...(req.body.skipBackup === true ? { skipBackup: true } : {}) });
      return reply.code(202).send(view(row));
    },
  );

  app.post(
    '/stores/:id/actions/undelete',
    {
      schema: {
        tags: ['operations'],
        summary: 'Undelete a soft-deleted store before its purge time',
        description: 'Answers 202 with the store Resuming (it was Ready: workloads back, the maintenance page gone, Ready once its store '
          + 'check passes) or Suspended (it was Suspended). 409 ILLEGAL_TRANSITION for a store that is not Deleting, was deleted without an '
          + 'undelete window, or is past its `purgeAt`; 409 BACKUP_IN_PROGRESS while its final backup runs.',
        params: StoreIdParams,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 404, 409) },
      },
      config: { audit: 'store.undelete' },
    },
    async (req, reply) => {
      mustGet(req, req.params.id);
      const row = await provisioner.undelete(req.params.id, { actor: actorOf(req) });
      return reply.code(202).send(view(row));
    },
  );

  app.post(
    '/stores/:id/actions/restart',
    {
      schema: {
        tags: ['operations'],
        summary: 'Restart the store\'s pods (all, or one component)',
        params: StoreIdParams,
        body: RestartBody,
        response: { 202: RestartResult, ...problems(...AUTH_PROBLEMS, 403, 404, 409, 502, 503) },
      },
      config: { audit: 'store.restart' },
    },
    async (req, reply) => {
      mustGet(req, req.params.id);
      return reply.code(202).send(await provisioner.restart(req.params.id, req.body?.component));
    },
  );

  app.post(
    '/stores/:id/actions/reset-admin-password',
    {
      schema: {
        tags: ['operations'],
        summary: 'Set a new password for the store\'s administrator (shown once)',
        params: StoreIdParams,
        response: { 200: PasswordReset, ...problems(...AUTH_PROBLEMS, 403, 404, 409, 502, 503) },
      },
      config: { audit: 'store.reset-admin-password' },
    },
    async (req, reply) => {
      mustGet(req, req.params.id);
      reply.header('cache-control', 'no-store');
      return provisioner.resetAdminPassword(req.params.id);
    },
  );

  app.get(
    '/stores/:id/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Pods, volumes and quota usage',
        params: StoreIdParams,
        response: { 200: StoreHealth, ...problems(...AUTH_PROBLEMS, 404, 409, 502, 503) },
      },
    },
    async (req) => {
      mustGet(req, req.params.id);
      return provisioner.health(req.params.id);
    },
  );

  app.get(
    '/stores/:id/logs',
    {
      schema: {
        tags: ['operations'],
        summary: 'Recent container logs',
        params: StoreIdParams,
        querystring: LogsQuery,
        response: { 200: StoreLogs, ...problems(...AUTH_PROBLEMS, 404, 409, 502, 503) },
      },
    },
    async (req) => {
      mustGet(req, req.params.id);
      return provisioner.logs(req.params.id, { component: req.query.component, tail: req.query.tail });
    },
  );

  app.get(
    '/stores/:id/credentials',
    {
      schema: {
        tags: ['operations'],
        summary: 'Admin URL, user and password (owner and admin keys; audit-logged)',
        description: 'Read live from the store\'s Secret; the platform keeps no copy.',
        params: StoreIdParams,
        response: { 200: AdminCredentials, ...problems(...AUTH_PROBLEMS, 403, 404, 409, 502, 503) },
      },
      config: { role: 'owner', audit: 'store.credentials.read' },
    },
    async (req, reply) => {
      mustGet(req, req.params.id);
      reply.header('cache-control', 'no-store');
      return provisioner.credentials(req.params.id);
    },
  );

};

export default storeOperationsRoutes;
