import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createApiKey } from '../../auth/api-keys.js';
import type { ApiKeysRepo } from '../../db/repos/api-keys-repo.js';
import { NotFoundError } from '../../errors.js';
import { OwnerRequiredError, ForbiddenError } from '../errors.js';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';
import { ApiKeyList, ApiKeyView, CreateApiKeyBody, CreatedApiKey, KeyIdParams } from '../schemas/owners.js';
import { apiKeyView } from '../views.js';

export interface KeysRoutesOptions {
  readonly apiKeys: ApiKeysRepo;
  readonly now: () => Date;
}

/**
 * An owner's API keys, managed by the owner itself (owner keys) or by a platform admin acting for it.
 * The key is in the create answer only; the platform keeps its SHA-256.
 */
const keysRoutes: FastifyPluginAsyncZod<KeysRoutesOptions> = async (app, opts) => {
  const { apiKeys, now } = opts;

  app.get(
    '/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'The owner\'s API keys (never the keys themselves)',
        description: 'A platform admin acting for nobody sees every key.',
        response: { 200: ApiKeyList, ...problems(...AUTH_PROBLEMS, 403) },
      },
      config: { role: 'owner' },
    },
    async (req) => ({ items: apiKeys.list(req.ownerScope).map(apiKeyView) }),
  );

  app.post(
    '/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'Create an API key for the owner (shown once)',
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKey, ...problems(...AUTH_PROBLEMS, 403, 413, 415) },
      },
      config: { role: 'owner', audit: 'key.create' },
    },
    async (req, reply) => {
      const { role, name } = req.body;
      const ownerId = req.ownerScope;
      if (role === 'admin' && (req.principal?.role !== 'admin' || ownerId !== undefined)) {
        throw new ForbiddenError('only a platform admin acting for no owner may create admin keys');
      }
      if (role !== 'admin' && ownerId === undefined) throw new OwnerRequiredError(`name the owner of a ${role} key with the X-Owner header`);
      const created = createApiKey(apiKeys, { role, name, ownerId: role === 'admin' ? null : ownerId, now: now() });
      req.auditTarget = created.id;
      reply.header('cache-control', 'no-store');
      const row = apiKeys.list(ownerId).find((k) => k.id === created.id)!;
      return reply.code(201).send({ ...apiKeyView(row), key: created.key });
    },
  );

  app.delete(
    '/keys/:keyId',
    {
      schema: {
        tags: ['keys'],
        summary: 'Revoke one of the owner\'s API keys',
        params: KeyIdParams,
        response: { 200: ApiKeyView, ...problems(...AUTH_PROBLEMS, 403, 404) },
      },
      config: { role: 'owner', audit: 'key.revoke' },
    },
    async (req) => {
      const id = req.params.keyId;
      req.auditTarget = id;
      // another owner's key is the same 404 as no key
      if (!apiKeys.revoke(id, now(), req.ownerScope)) throw new NotFoundError(`no active key '${id}'`);
      return apiKeyView(apiKeys.list(req.ownerScope).find((k) => k.id === id)!);
    },
  );
};

export default keysRoutes;
