import { unwrap, type Engine } from '../api/client';
import { useSession } from '../context';
import { useAsync, type AsyncState } from './hooks';

/** The engines the platform offers (GET /api/v1/engines): each one's plans, releases and upgrade paths. */
export function useEngines(): AsyncState<Engine[]> {
  const { api } = useSession();
  return useAsync(async (signal) => (await unwrap(api.GET('/api/v1/engines', { signal }))).items, [api]);
}

/** The releases a store of `engine` on `version` may be upgraded to, in the catalogue's order. */
export function upgradeTargets(engine: Engine | undefined, version: string): string[] {
  return (engine?.versions ?? []).filter((r) => r.upgradesFrom.includes(version)).map((r) => r.version);
}
