import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditPort, AuditRecord } from '../ports.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Audit action recorded for this route (every mutation has one), e.g. `store.create`. */
    audit?: string;
  }
  interface FastifyRequest {
    /** Audit target when it is not the :id parameter (e.g. the id of a store just created). */
    auditTarget?: string;
    /** The owner the action was for, when the route knows better than the scope (the store's owner). */
    auditOwner?: string;
  }
}

export interface AuditPluginOptions {
  readonly audit: AuditPort;
}

function outcomeOf(req: FastifyRequest, status: number): AuditRecord['outcome'] {
  if (status < 400) return req.idempotentReplay === true ? 'replay' : 'success';
  return status === 403 && req.principal?.role !== 'admin' ? 'denied' : 'failure';
}

/**
 * Every route with `config.audit` lands on the audit log once it has answered, with the key that asked
 * and how it went: success, replay (an idempotent retry answered from the stored response), denied
 * (a viewer key mutating) or failure. Unauthenticated requests (401) are not recorded.
 */
export default fp<AuditPluginOptions>(
  async (app, opts) => {
    app.addHook('onResponse', async (req, reply) => {
      const action = req.routeOptions.config.audit;
      if (action === undefined || reply.statusCode === 401) return;
      const status = reply.statusCode;
      try {
        opts.audit.record({
          actor: req.principal?.keyId ?? 'anonymous',
          ownerId: req.auditOwner ?? req.ownerScope,
          action,
          target: req.auditTarget ?? (req.params as { id?: string } | undefined)?.id ?? '-',
          outcome: outcomeOf(req, status),
          requestId: req.id,
          ip: req.ip,
          ...(status >= 400 ? { detail: `HTTP ${status}` } : {}),
        });
      } catch (err) {
        req.log.error({ err, action }, 'Could not write the audit log');
      }
    });
  },
  { name: 'audit', dependencies: ['auth', 'idempotency'] },
);
