import { z } from 'zod';
import { ENGINES } from '../../../constructs/index.js';
import { ROLLOUT_STATUSES, ROLLOUT_STORE_STATUSES } from '../../db/schema.js';

const Wave = z.union([
  z.number().int().min(1).max(100_000),
  z.string().regex(/^(100|[1-9]?\d(\.\d+)?)%$/, 'a share such as 25%'),
]).describe('A count of stores, or a share of the rollout (`"25%"`) the waves up to this one reach');

export const RolloutCreate = z
  .object({
    engine: z.enum(ENGINES),
    version: z.string().min(1).max(100).describe('The release every selected store moves to'),
    selector: z.object({
      plan: z.string().min(1).max(50).optional(),
      ownerId: z.string().min(1).max(100).optional(),
      fromVersion: z.string().min(1).max(100).optional().describe('Only stores on this release'),
    }).strict().default({}).describe('Which of the engine\'s live stores; all of them when empty'),
    waves: z.array(Wave).min(1).max(50).optional().describe('Wave sizes in order, the first the canary; the last takes the rest. Default: 1, 50%, 100%'),
    maxFailures: z.number().int().min(0).max(100_000).default(0).describe('Stores that may fail or roll back before the rollout halts'),
    pauseSeconds: z.number().int().min(0).max(86_400).default(0).describe('Wait between two waves'),
  })
  .strict()
  .meta({ id: 'RolloutRequest' });

export const RolloutIdParams = z.object({ id: z.string().min(1).max(100) });

export const RolloutStoreView = z.object({
  storeId: z.string(),
  wave: z.number().int().describe('1-based'),
  fromVersion: z.string(),
  status: z.enum(ROLLOUT_STORE_STATUSES),
  reason: z.string().nullable(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
}).meta({ id: 'RolloutStore' });

export const RolloutView = z
  .object({
    id: z.string(),
    engine: z.string(),
    version: z.string(),
    selector: z.object({ plan: z.string().optional(), ownerId: z.string().optional(), fromVersion: z.string().optional() }),
    waves: z.array(z.number().int()).describe('Stores per wave'),
    maxFailures: z.number().int(),
    pauseSeconds: z.number().int(),
    status: z.enum(ROLLOUT_STATUSES),
    statusReason: z.string().nullable(),
    wave: z.number().int().describe('The wave under way, 1-based'),
    nextWaveAt: z.iso.datetime().nullable(),
    counts: z.record(z.enum(ROLLOUT_STORE_STATUSES), z.number().int()).describe('Stores by status'),
    failures: z.number().int().describe('Stores that failed or rolled back since the rollout started or was last resumed'),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    stores: z.array(RolloutStoreView).optional().describe('Every store in wave order (on a single rollout only)'),
  })
  .meta({ id: 'Rollout' });
export type RolloutViewBody = z.infer<typeof RolloutView>;

export const RolloutList = z.object({ items: z.array(RolloutView) }).meta({ id: 'RolloutList' });
