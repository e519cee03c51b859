import { COMPONENT_LABEL, NAME_LABEL, type EngineComponent, type MailStatus, type PlatformSettings } from '../../constructs/index.js';
import { AppError, IllegalTransitionError, NotFoundError } from '../errors.js';
import type { StoreRow } from '../db/repos/stores-repo.js';
import {
  KubeApiError, listClaims, listPods, listQuotaUsage, readPodLog, readSecretData, restartWorkload, type Interactive,
} from '../k8s/index.js';
import { componentsOfRow, engineOfRow, identityOf } from '../manifests/desired.js';

// Day-2 operations on a store's live objects. Each reads the cluster directly (nothing is cached),
// within the client-side deadline of the API request waiting on it (`op`).

export class UnknownComponentError extends AppError {
  public readonly code = 'UNKNOWN_COMPONENT';
}

export interface StoreHealth {
  readonly storeId: string;
  readonly pods: {
    name: string; component: string | null; phase: string; ready: boolean; restarts: number; lastTermination: string | null; ageSeconds: number | null;
  }[];
  readonly pvcs: { name: string; phase: string; size: string | null }[];
  readonly quota: { resource: string; used: string; hard: string }[];
  readonly mail: { status: MailStatus['status']; relay: string | null; from: string | null; detail: string };
}

export interface StoreLogs {
  readonly storeId: string;
  readonly entries: { pod: string; container: string; lines: string[] }[];
}

/** Validates a component name from the API against the store's engine and plan; all its components when undefined. */
export function componentsFor(row: Pick<StoreRow, 'engine' | 'plan'>, component: string | undefined): EngineComponent[] {
  const all = componentsOfRow(row);
  if (component === undefined) return Object.values(all);
  if (!Object.hasOwn(all, component)) {
    throw new UnknownComponentError(`unknown component '${component}'; expected one of: ${Object.keys(all).join(', ')}`);
  }
  return [all[component]!];
}

/** Rollout restart of each named component (all when undefined). */
export async function restartWorkloads(op: Interactive, row: StoreRow, component: string | undefined, now = new Date()): Promise<string[]> {
  const { namespace } = identityOf(row);
  const restarted: string[] = [];
  for (const w of componentsFor(row, component)) {
    try {
      await restartWorkload(op.kube, { namespace, kind: w.kind, name: w.name, at: now }, op.call);
    } catch (err) {
      // a store still provisioning has not created every workload yet: a conflict with its state, not an outage
      if (err instanceof KubeApiError && err.status === 404) {
        throw new IllegalTransitionError(`${w.name} does not exist yet: the store is ${row.status}`, { cause: err });
      }
      throw err;
    }
    restarted.push(w.name);
  }
  return restarted;
}

export async function storeHealth(op: Interactive, row: StoreRow, platform: Pick<PlatformSettings, 'mail'>, now = Date.now()): Promise<StoreHealth> {
  const { namespace } = identityOf(row);
  const { kube, call } = op;
  const [pods, pvcs, quota] = await Promise.all([
    listPods(kube, { namespace }, call), listClaims(kube, { namespace }, call), listQuotaUsage(kube, { namespace }, call),
  ]);
  return {
    storeId: row.id,
    pods: pods.map((p) => ({
      name: p.name,
      component: p.labels[NAME_LABEL] ?? p.labels[COMPONENT_LABEL] ?? null,
      phase: p.phase,
      ready: p.ready,
      restarts: p.restarts,
      lastTermination: p.lastTermination,
      ageSeconds: p.startedAt ? Math.max(0, Math.floor((now - p.startedAt.getTime()) / 1000)) : null,
    })),
    pvcs,
    quota,
    mail: mailOf(engineOfRow(row).mailStatus(platform)),
  };
}

/** The engine's mail status with every field present (null when it does not apply). */
function mailOf(m: MailStatus): StoreHealth['mail'] {
  return { status: m.status, relay: m.relay ?? null, from: m.from ?? null, detail: m.detail };
}

/** Recent lines of each matching container; a pod whose logs cannot be read says why in its entry. */
export async function storeLogs(op: Interactive, row: StoreRow, opts: { component: string | undefined; tail: number }): Promise<StoreLogs> {
  const { namespace } = identityOf(row);
  const entries: StoreLogs['entries'] = [];
  for (const w of componentsFor(row, opts.component)) {
    const pods = await listPods(op.kube, { namespace, labelSelector: `${NAME_LABEL}=${w.name}` }, op.call);
    for (const { name: pod } of pods) {
      try {
        entries.push({ pod, container: w.container, lines: await readPodLog(op.kube, { namespace, pod, container: w.container, tailLines: opts.tail }) });
      } catch (err) {
        entries.push({ pod, container: w.container, lines: [`(logs unavailable: ${(err as Error).message})`] });
      }
    }
  }
  return { storeId: row.id, entries };
}

/** The admin user and password, read live from the store's Secret. */
export async function readAdminSecret(op: Interactive, row: StoreRow): Promise<{ username: string; password: string }> {
  const { namespace } = identityOf(row);
  const { admin } = engineOfRow(row);
  const data = await readSecretData(op.kube, { namespace, name: admin.secretName }, op.call);
  if (data === undefined) throw new NotFoundError(`store '${row.id}' has no administrator Secret yet`);
  const decode = (key: string): string => {
    const v = data[key];
    if (v === undefined) throw new AppErrorMissingKey(`Secret ${namespace}/${admin.secretName} has no '${key}'`);
    return v;
  };
  return { username: decode(admin.usernameKey), password: decode(admin.passwordKey) };
}

class AppErrorMissingKey extends AppError {
  public readonly code = 'STORE_SECRET_INCOMPLETE';
}
