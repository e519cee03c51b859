import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import {
  DEFAULT_PLATFORM_SETTINGS, STORE_ID_LABEL, namespaceFor, type StoreSpec,
} from '../../constructs/index.js';
import type { KubeObject, SynthesizedStep } from '../../constructs/readiness.js';
import { openDb, type Db } from '../../src/db/client.js';
import type { StoreStatus } from '../../src/db/schema.js';
import { kubeClientsFrom, type KubeClients } from '../../src/k8s/client.js';
import { createLogger } from '../../src/logger.js';
import { Provisioner, type ProvisionerDeps, type ProvisionerOptions, type StoreEventRow, type StoreRow } from '../../src/provisioner/index.js';
import { desiredStateOf } from '../../src/manifests/desired.js';
import { deleteNamespace, kubeConfig } from '../support/cluster.js';

// Shared set-up of the engine's integration tests: each test file gets its own database file in a
// temp dir and unique store names, so files run in parallel against the one simulated cluster.

export interface Harness {
  readonly dbPath: string;
  readonly kube: KubeClients;
  /** A new engine on this harness's database file (a "process restart" when called twice). */
  engine(options?: Partial<ProvisionerOptions>, seams?: Pick<ProvisionerDeps, 'now' | 'desired' | 'rolloutTicks'>): { p: Provisioner; db: Db };
  /** A unique store name with the given prefix. */
  name(prefix: string): string;
  spec(name: string, overrides?: Partial<StoreSpec>): StoreSpec;
  /** Stops every engine, removes the namespaces of the stores it made and the temp dir. */
  cleanup(): Promise<void>;
}

export const TEST_RETRY = { baseMs: 100, maxMs: 1_000 };

export function harness(kc: KubeConfig = kubeConfig()): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'sp-engine-'));
  const dbPath = join(dir, 'platform.db');
  const kube = kubeClientsFrom(kc);
  const engines: { p: Provisioner; db: Db }[] = [];
  const names: string[] = [];
  return {
    dbPath,
    kube,
    engine(options = {}, seams = {}) {
      const db = openDb(dbPath);
      const p = new Provisioner({
        ...seams, db, kube, log: createLogger(process.env.TEST_LOG_LEVEL as 'info' | undefined ?? 'silent'),
        options: {
          concurrency: 3, teardownOnFailure: false, platform: DEFAULT_PLATFORM_SETTINGS, retry: TEST_RETRY,
          deleteTimeoutSeconds: 120, ...options,
        },
      });
      engines.push({ p, db });
      return { p, db };
    },
    name(prefix) {
      const n = `${prefix}-${randomBytes(3).toString('hex')}`;
      names.push(n);
      return n;
    },
    spec(name, overrides = {}) {
      return { name, engine: 'woocommerce', plan: 'small', adminEmail: 'owner@example.com', title: `Test ${name}`, currency: 'USD', ...overrides };
    },
    async cleanup() {
      for (const e of engines) {
        await e.p.stop(2_000);
        e.db.$client.close();
      }
      await Promise.all(names.map((n) => deleteNamespace(namespaceFor(n), false).catch(() => undefined)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the row once the store reaches one of `statuses` (rejects on timeout with its timeline). */
export function waitForStatus(p: Provisioner, id: string, statuses: readonly StoreStatus[], timeoutMs = 90_000): Promise<StoreRow> {
  return new Promise((resolve, reject) => {
    const check = (row: StoreRow): boolean => {
      if (row.id !== id || !statuses.includes(row.status)) return false;
      cleanup();
      if (process.env.SHOW_TIMELINE) {
        console.log(p.events(id).map((e) => `${e.at.toISOString().slice(11, 23)} ${e.step} ${e.phase} #${e.attempt} ${e.durationMs ?? ''} ${e.message}`).join('\n'));
      }
      resolve(row);
      return true;
    };
    const onStore = (row: StoreRow): void => { check(row); };
    const timer = setTimeout(() => {
      cleanup();
      const tl = p.events(id).map((e) => `${e.step} ${e.phase} ${e.message}`).join('\n  ');
      reject(new Error(`store ${id} is ${p.get(id).status}, not ${statuses.join('|')}, after ${timeoutMs} ms; timeline:\n  ${tl}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      p.bus.off('store', onStore);
    };
    p.bus.on('store', onStore);
    check(p.get(id));
  });
}

/** Resolves with the first timeline entry matching `pred` (already recorded or yet to come). */
export function waitForEvent(p: Provisioner, id: string, pred: (e: StoreEventRow) => boolean, timeoutMs = 60_000): Promise<StoreEventRow> {
  const seen = p.events(id).find(pred);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const on = (e: StoreEventRow): void => {
      if (e.storeId !== id || !pred(e)) return;
      clearTimeout(timer);
      p.bus.off('event', on);
      resolve(e);
    };
    const timer = setTimeout(() => {
      p.bus.off('event', on);
      // the store's latest rows say where it stood instead
      const last = p.events(id).slice(-5).map((e) => `${e.step} ${e.phase}: ${e.message}`).join(' | ');
      reject(new Error(`no matching event for ${id} within ${timeoutMs} ms; last: ${last}`));
    }, timeoutMs);
    p.bus.on('event', on);
  });
}

/** The synthesized steps of a row (for comparing against the cluster). */
export function stepsOf(row: StoreRow): readonly SynthesizedStep[] {
  return desiredStateOf(row, DEFAULT_PLATFORM_SETTINGS).steps;
}

const key = (o: { kind?: string; metadata?: { name?: string } }): string => `${o.kind}/${o.metadata?.name}`;

/**
 * Objects of the synthesized kinds that carry the store's label in its namespace, minus those a
 * controller made (owner references) or a StatefulSet claim template stamped out.
 */
export async function objectsInNamespace(kube: KubeClients, row: StoreRow): Promise<string[]> {
  const ns = namespaceFor(row.slug);
  const synthesized = stepsOf(row).flatMap((s) => s.objects).filter((o) => o.kind !== 'Namespace');
  const kinds = new Map<string, KubeObject>();
  for (const o of synthesized) kinds.set(`${o.apiVersion}|${o.kind}`, o);
  const claimNames = new Set(synthesized.filter((o) => o.kind === 'StatefulSet').flatMap((s) => {
    const spec = s.spec as { replicas?: number; volumeClaimTemplates?: { metadata?: { name?: string } }[] };
    return (spec.volumeClaimTemplates ?? []).flatMap((t) => Array.from({ length: spec.replicas ?? 1 }, (_, i) => `${t.metadata?.name}-${s.metadata.name}-${i}`));
  }));
  const found: string[] = [];
  for (const [k] of kinds) {
    const [apiVersion, kind] = k.split('|') as [string, string];
    const list = await kube.objects.list<KubernetesObject>(apiVersion, kind, ns, undefined, undefined, undefined, undefined, `${STORE_ID_LABEL}=${row.slug}`);
    for (const item of list.items) {
      if (item.metadata?.ownerReferences?.length) continue;
      if (kind === 'PersistentVolumeClaim' && claimNames.has(item.metadata?.name ?? '')) continue;
      found.push(key({ kind, metadata: item.metadata }));
    }
  }
  return found.sort();
}

export function expectedObjects(row: StoreRow): string[] {
  return stepsOf(row).flatMap((s) => s.objects).filter((o) => o.kind !== 'Namespace').map(key).sort();
}

export async function namespaceExists(kube: KubeClients, name: string): Promise<boolean> {
  try {
    await kube.core.readNamespace({ name });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return false;
    throw err;
  }
}

export { deleteNamespace };
