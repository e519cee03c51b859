import { z } from 'zod';
import { ENGINES, PLANS } from '../../../constructs/index.js';
import { API_KEY_ROLES } from '../../db/schema.js';

const OwnerId = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'an owner id: lowercase letters, digits and "-"');

const limit = (what: string) => z.number().int().min(0).max(10_000_000).nullable().describe(`${what}; null: unlimited`);

/** Allowances and limits, all optional on create (default: unlimited) and on update (default: unchanged). */
const OwnerFields = {
  name: z.string().trim().min(1).max(100),
  allowedPlans: z.array(z.enum(PLANS)).max(PLANS.length).nullable().describe('Plans the owner may use; null: every plan'),
  allowedEngines: z.array(z.enum(ENGINES)).max(ENGINES.length).nullable().describe('Engines the owner may use; null: every engine'),
  maxStores: limit('Live (not Deleted) stores at once'),
  maxCpuMillis: limit('Sum of the plans\' quota CPU requests over the live stores, in millicores'),
  maxMemoryMiB: limit('Sum of the plans\' quota memory requests over the live stores, in MiB'),
};

export const CreateOwnerBody = z
  .object({
    id: OwnerId.describe('Stable id, used by `X-Owner` and `keys create --owner`'),
    name: OwnerFields.name,
    allowedPlans: OwnerFields.allowedPlans.default(null),
    allowedEngines: OwnerFields.allowedEngines.default(null),
    maxStores: OwnerFields.maxStores.default(null),
    maxCpuMillis: OwnerFields.maxCpuMillis.default(null),
    maxMemoryMiB: OwnerFields.maxMemoryMiB.default(null),
  })
  .strict()
  .meta({ id: 'CreateOwner' });

export const UpdateOwnerBody = z.object(OwnerFields).partial().strict().meta({ id: 'UpdateOwner' });

export const OwnerIdParams = z.object({ ownerId: OwnerId });

export const OwnerUsage = z
  .object({
    stores: z.number().int().describe('Live stores'),
    cpuMillis: z.number().int().describe('Quota CPU requests claimed by the live stores'),
    memoryMiB: z.number().int().describe('Quota memory requests claimed by the live stores'),
  })
  .meta({ id: 'OwnerUsage' });

export const OwnerView = z
  .object({
    id: z.string(),
    name: z.string(),
    allowedPlans: z.array(z.string()).nullable(),
    allowedEngines: z.array(z.string()).nullable(),
    maxStores: z.number().int().nullable(),
    maxCpuMillis: z.number().int().nullable(),
    maxMemoryMiB: z.number().int().nullable(),
    usage: OwnerUsage,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Owner' });
export type OwnerViewBody = z.infer<typeof OwnerView>;

export const OwnerList = z.object({ items: z.array(OwnerView) }).meta({ id: 'OwnerList' });

export const ApiKeyView = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(API_KEY_ROLES),
    ownerId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const ApiKeyList = z.object({ items: z.array(ApiKeyView) }).meta({ id: 'ApiKeyList' });

export const CreateApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: z.enum(API_KEY_ROLES).describe('`owner` or `viewer` for the caller\'s owner; `admin` only by a platform admin acting for nobody'),
  })
  .strict()
  .meta({ id: 'CreateApiKey' });

export const CreatedApiKey = ApiKeyView.extend({
  key: z.string().describe('The key itself: shown once, only its SHA-256 is stored'),
}).meta({ id: 'CreatedApiKey' });

export const KeyIdParams = z.object({ keyId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'a key id') });
