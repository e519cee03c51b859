import { defineConfig } from '@medusajs/framework/utils'

// Every setting comes from the environment the platform gives the container (see constructs/medusa/):
// one image serves every store. Self-hosted, `redisUrl` alone only moves sessions to Redis: the event
// bus, workflow engine, locking and caching modules must be listed to use Redis too.

function required(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`medusa-config: ${name} is not set`)
  return value
}

const redisUrl = required('REDIS_URL')
const workerMode = process.env.MEDUSA_WORKER_MODE ?? 'shared'
if (workerMode !== 'shared' && workerMode !== 'server' && workerMode !== 'worker') {
  throw new Error(`medusa-config: MEDUSA_WORKER_MODE must be shared, server or worker, got '${workerMode}'`)
}

module.exports = defineConfig({
  projectConfig: {
    // in-cluster hosts are not localhost: pass `?sslmode=disable` or serve TLS from Postgres
    databaseUrl: required('DATABASE_URL'),
    redisUrl,
    workerMode,
    http: {
      storeCors: process.env.STORE_CORS ?? '',
      adminCors: process.env.ADMIN_CORS ?? '',
      authCors: process.env.AUTH_CORS ?? '',
      jwtSecret: required('JWT_SECRET'),
      cookieSecret: required('COOKIE_SECRET'),
    },
    // production session cookies are Secure: a store served over plain HTTP needs them without it
    cookieOptions: { secure: process.env.MEDUSA_COOKIE_SECURE !== 'false' },
  },
  admin: {
    // the worker serves no HTTP; MEDUSA_BACKEND_URL stays unset at build time so the admin calls its own origin
    disable: process.env.MEDUSA_ADMIN_DISABLED === 'true' || workerMode === 'worker',
    backendUrl: process.env.MEDUSA_BACKEND_URL,
  },
  modules: [
    { resolve: '@medusajs/medusa/event-bus-redis', options: { redisUrl } },
    { resolve: '@medusajs/medusa/workflow-engine-redis', options: { redis: { redisUrl } } },
    {
      resolve: '@medusajs/medusa/locking',
      options: { providers: [{ resolve: '@medusajs/medusa/locking-redis', id: 'locking-redis', is_default: true, options: { redisUrl } }] },
    },
    {
      resolve: '@medusajs/medusa/caching',
      options: { providers: [{ resolve: '@medusajs/medusa/caching-redis', id: 'caching-redis', is_default: true, options: { redisUrl } }] },
    },
  ],
})
