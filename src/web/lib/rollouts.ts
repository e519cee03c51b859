import type { Schemas } from '../api/client';

/** A fleet rollout as GET /api/v1/rollouts/{id} and its stream send it (the list leaves out `stores`). */
export type Rollout = Schemas['Rollout'];
/** One store of a rollout: its wave, the release it leaves, where its upgrade is. */
export type RolloutStore = Schemas['RolloutStore'];
export type RolloutRequest = Schemas['RolloutRequest'];

export const ROLLOUT_STORE_STATUSES: readonly RolloutStoreStatus[] = ['Pending', 'Upgrading', 'Succeeded', 'RolledBack', 'Failed', 'Skipped'];
export type RolloutStoreStatus = RolloutStore['status'];
export type RolloutStatus = Rollout['status'];
export type RolloutAction = 'pause' | 'resume' | 'abort';
/** A count of stores, or the share of the rollout (`"25%"`) the waves up to this one reach. */
export type Wave = number | string;

/** What an admin may do with a rollout in each status (the server answers 409 ILLEGAL_TRANSITION to the rest). */
export const ROLLOUT_ACTIONS: Record<RolloutStatus, readonly RolloutAction[]> = {
  Running: ['pause', 'abort'],
  Paused: ['resume', 'abort'],
  Halted: ['resume', 'abort'],
  Aborted: [],
  Succeeded: [],
};

/** A rollout that has ended: its stream ends and nothing more changes. */
export const rolloutEnded = (status: RolloutStatus) => ROLLOUT_ACTIONS[status].length === 0;

const COUNT = /^\d+$/;
const SHARE = /^\d+(\.\d+)?%$/;

/**
 * Wave sizes as typed (`1, 25%, 100%`): counts become numbers, shares stay `"N%"` strings, as the API
 * takes them. Empty: undefined (the server's default). A token that is neither is an error naming it.
 */
export function parseWaves(text: string): { waves: Wave[] | undefined } | { error: string } {
  const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
  if (tokens.length === 0) return { waves: undefined };
  const waves: Wave[] = [];
  for (const t of tokens) {
    if (COUNT.test(t) && Number(t) >= 1) waves.push(Number(t));
    else if (SHARE.test(t) && Number(t.slice(0, -1)) > 0 && Number(t.slice(0, -1)) <= 100) waves.push(t);
    else return { error: `'${t}' is neither a number of stores nor a share such as 25%` };
  }
  return { waves };
}

/** "2 Succeeded · 1 Pending": the statuses that have stores, in lifecycle order. */
export function countsText(counts: Rollout['counts']): string {
  const parts = ROLLOUT_STORE_STATUSES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length === 0 ? 'no stores' : parts.join(' · ');
}

/** The rollout's stores grouped by wave (1-based, in order); a wave with no stores left is still listed. */
export function storesByWave(rollout: Rollout): RolloutStore[][] {
  const waves: RolloutStore[][] = rollout.waves.map(() => []);
  for (const s of rollout.stores ?? []) {
    while (waves.length < s.wave) waves.push([]);
    waves[s.wave - 1]!.push(s);
  }
  return waves;
}
