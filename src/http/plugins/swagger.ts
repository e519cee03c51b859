import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

type Operation = { requestBody?: { required?: boolean; content?: Record<string, { schema?: { nullable?: boolean } }> } };

/**
 * @fastify/swagger marks every request body required; one whose schema accepts null (Fastify validates a
 * missing body as null) is optional, and is documented so (e.g. restart's).
 */
function optionalBodies<T>(doc: T): T {
  const paths = (doc as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const op of Object.values(paths).flatMap((ops) => Object.values(ops))) {
    const media = Object.values(op.requestBody?.content ?? {});
    if (op.requestBody !== undefined && media.length > 0 && media.every((m) => m.schema?.nullable === true)) op.requestBody.required = false;
  }
  return doc;
}

export interface SwaggerPluginOptions {
  readonly version: string;
}

/** The OpenAPI document (generated from the zod route schemas), /openapi.json and Swagger UI at /docs. */
export default fp<SwaggerPluginOptions>(
  async (app, opts) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Store Platform API',
          version: opts.version,
          description:
            'Provision isolated WooCommerce stores on Kubernetes. Every /api/v1 route needs `Authorization: Bearer <api key>`; ' +
            'viewer keys may only read. Errors are RFC 9457 problem+json (`application/problem+json`) whose `type` is ' +
            '`https://store-platform.dev/problems/{code in kebab-case}`, e.g. `.../problems/store-name-taken`.',
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key from `store-platform keys create`' } },
        },
        security: [{ bearerAuth: [] }],
        tags: [
          { name: 'stores', description: 'Store lifecycle' },
          { name: 'operations', description: 'Day-2 actions and inspection of a store' },
          { name: 'backups', description: 'Backups of a store and restores into it' },
          { name: 'audit', description: 'Audit log' },
          { name: 'system', description: 'Probes and metrics (no authentication)' },
        ],
      },
      transform: jsonSchemaTransform,
      transformObject: (input) => optionalBodies(jsonSchemaTransformObject(input)),
    });
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { persistAuthorization: false, deepLinking: true, validatorUrl: null } as Record<string, unknown>,
      // helmet's CSP applies; Swagger UI only needs its own assets from 'self'
      staticCSP: false,
    });
    app.get('/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () => app.swagger());
  },
  { name: 'swagger' },
);
