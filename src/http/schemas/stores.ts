import { z } from 'zod';
import { CreateStoreSpec, PLANS } from '../../../constructs/index.js';
import { AUDIT_OUTCOMES, EVENT_PHASES, STORE_STATUSES } from '../../db/schema.js';
import { Cursor, Limit, queryInt } from './common.js';

export const StoreStatus = z.enum(STORE_STATUSES).meta({ id: 'StoreStatus' });

/** POST /stores body: the StoreSpec, title optional (strict: unknown fields are rejected), plus per-request options. */
export const CreateStoreBody = CreateStoreSpec.extend({
  teardownOnFailure: z
    .boolean()
    .optional()
    .describe('Delete the store automatically if provisioning fails (default: the platform setting TEARDOWN_FAILED_STORES)'),
})
  .strict()
  .meta({ id: 'CreateStore' });
export type CreateStoreInput = z.infer<typeof CreateStoreBody>;
/** A create with its defaults filled in (the title). */
export type NewStoreInput = CreateStoreInput & { readonly title: string };

export const StoreCondition = z
  .object({
    type: z.string().describe('PascalCase: a provisioning step (e.g. `StoreCheck`) or `Ready`, which summarises them'),
    status: z.enum(['True', 'False', 'Unknown']),
    reason: z.string().describe('PascalCase, e.g. Succeeded, Progressing, Retrying, Failed, StepFailed'),
    message: z.string(),
    lastTransitionTime: z.iso.datetime(),
  })
  .meta({ id: 'StoreCondition' });

export const StoreView = z
  .object({
    id: z.string(),
    ownerId: z.string().describe('The owner (tenant) the store belongs to'),
    name: z.string().describe('The slug; the namespace is store-<name>'),
    title: z.string(),
    engine: z.string(),
    plan: z.string(),
    adminEmail: z.string(),
    customDomain: z.string().nullable(),
    currency: z.string(),
    status: StoreStatus,
    statusReason: z.string().nullable(),
    failedStep: z.string().nullable(),
    storeUrl: z.string(),
    adminUrl: z.string(),
    components: z.array(z.string()).describe('Workloads of the store (its engine\'s, for its plan): the names restart and logs accept'),
    namespace: z.string(),
    teardownOnFailure: z.boolean(),
    generation: z.number().int(),
    observedGeneration: z.number().int(),
    queuePosition: z.number().int().nullable().describe('Position in the provisioning queue: 1 is next, 0 is being worked on, null when not queued'),
    createdBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    readyAt: z.iso.datetime().nullable(),
    deletedAt: z.iso.datetime().nullable(),
    purgeAt: z.iso.datetime().nullable().describe('A soft-deleted store (Deleting) is purged at this time and may be undeleted until then; null otherwise'),
    version: z.string().describe('The release of its engine the store runs (while Upgrading: the one it is moving to)'),
    upgradeFrom: z.string().nullable().describe('While Upgrading: the release the store is leaving, which a failed upgrade rolls back to; null otherwise'),
    sourceBackupId: z.string().nullable().describe('The backup the store was made from (POST /backups/{backupId}/restore); null for a new store'),
    conditions: z.array(StoreCondition).describe('One per provisioning step seen on the timeline, then Ready (like a controller\'s status conditions)'),
  })
  .meta({ id: 'Store' });
export type StoreViewBody = z.infer<typeof StoreView>;

export const StoreList = z
  .object({
    items: z.array(StoreView),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'StoreList' });

export const ListStoresQuery = z.object({
  status: StoreStatus.optional(),
  cursor: Cursor.optional(),
  limit: Limit,
});

export const StoreIdParams = z.object({
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'a store id'),
});

export const StoreEvent = z
  .object({
    id: z.number().int(),
    storeId: z.string(),
    step: z.string(),
    phase: z.enum(EVENT_PHASES),
    message: z.string(),
    durationMs: z.number().int().nullable(),
    attempt: z.number().int(),
    at: z.iso.datetime(),
    count: z.number().int().min(1).describe('How many identical retries in a row this row stands for (an outage writes one row per reason)'),
    lastAt: z.iso.datetime().nullable().describe('When the latest of those retries happened; null when the row stands for one'),
  })
  .meta({ id: 'StoreEvent' });
export type StoreEventBody = z.infer<typeof StoreEvent>;

export const EventList = z.object({ items: z.array(StoreEvent) }).meta({ id: 'StoreEventList' });

export const EventsQuery = z.object({
  after: queryInt(0, Number.MAX_SAFE_INTEGER).optional().describe('Only events with a larger id'),
});

export const UpdateStoreBody = z
  .object({
    plan: z.enum(PLANS).describe('Move a Ready store to another plan: quota, limits and container sizes follow (server-side apply)'),
  })
  .strict()
  .meta({ id: 'UpdateStore' });

/** Optional: no body (Fastify validates a missing one as null) restarts every component. */
export const UpgradeBody = z
  .object({
    version: z.string().min(1).max(100).describe('A release of the store\'s engine (GET /api/v1/engines lists them with their upgrade paths)'),
    skipBackup: z.boolean().optional().describe('Admin keys only: upgrade without a pre-upgrade backup (a rollback then keeps the data as the upgrade left it)'),
  })
  .strict()
  .meta({ id: 'UpgradeRequest' });

export const RestartBody = z
  .object({
    component: z.string().min(1).max(63).regex(/^[a-z0-9-]+$/).optional().describe('e.g. `wordpress` or `mysql`; all pods when omitted'),
  })
  .strict()
  .nullish();

export const RestartResult = z
  .object({ storeId: z.string(), restarted: z.array(z.string()).describe('Names of the workloads restarted') })
  .meta({ id: 'RestartResult' });

export const AdminCredentials = z
  .object({
    storeId: z.string(),
    adminUrl: z.string(),
    username: z.string(),
    password: z.string(),
  })
  .meta({ id: 'AdminCredentials' });

export const PasswordReset = z
  .object({
    storeId: z.string(),
    username: z.string(),
    password: z.string().describe('Shown once; the platform keeps no copy'),
  })
  .meta({ id: 'PasswordReset' });

export const StoreHealth = z
  .object({
    storeId: z.string(),
    pods: z.array(
      z.object({
        name: z.string(),
        component: z.string().nullable(),
        phase: z.string(),
        ready: z.boolean(),
        restarts: z.number().int(),
        lastTermination: z.string().nullable().describe('Why a container of the pod last ended, e.g. OOMKilled or Error; null if none has'),
        ageSeconds: z.number().int().nullable(),
      }),
    ),
    pvcs: z.array(z.object({ name: z.string(), phase: z.string(), size: z.string().nullable() })),
    quota: z.array(z.object({ resource: z.string(), used: z.string(), hard: z.string() })),
    mail: z
      .object({
        status: z.enum(['relay', 'off', 'unsupported']).describe('`relay`: mail goes to the platform\'s SMTP relay; `off`: none is configured (SMTP_HOST); `unsupported`: the engine sends no mail'),
        relay: z.string().nullable().describe('`host:port (TLS mode)` of the relay; null unless `relay`'),
        from: z.string().nullable().describe('The address mail is sent from; null unless `relay`'),
        detail: z.string(),
      })
      .describe('Whether the store can send mail (order e-mails, password resets)'),
  })
  .meta({ id: 'StoreHealth' });

export const LogsQuery = z.object({
  component: z.string().min(1).max(63).regex(/^[a-z0-9-]+$/).optional(),
  tail: queryInt(1, 5000).default(200).describe('Lines per container'),
});

export const StoreLogs = z
  .object({
    storeId: z.string(),
    entries: z.array(z.object({ pod: z.string(), container: z.string(), lines: z.array(z.string()) })),
  })
  .meta({ id: 'StoreLogs' });

export const AuditEntry = z
  .object({
    id: z.number().int(),
    actor: z.string(),
    ownerId: z.string().nullable().describe('The owner the action was for; null for platform-wide actions'),
    action: z.string(),
    target: z.string(),
    outcome: z.enum(AUDIT_OUTCOMES),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    detail: z.string().nullable(),
    at: z.iso.datetime(),
  })
  .meta({ id: 'AuditEntry' });

export const AuditList = z
  .object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditList' });

export const AuditQuery = z.object({ cursor: Cursor.optional(), limit: Limit });
