import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, MAINTENANCE_NAMES } from '../../../constructs/index.js';
import type { StoreRow } from '../../../src/db/repos/stores-repo.js';
import { desiredStateOf, maintenanceOf } from '../../../src/manifests/desired.js';
import { suspendTargets } from '../../../src/provisioner/suspend.js';

// What suspend and resume act on, read from a store's desired state through the engine seam alone.
const row = (over: Partial<StoreRow>): StoreRow => ({
  id: 'st-1', ownerId: 'default', slug: 'acme', title: 'Acme', engine: 'woocommerce', plan: 'small', adminEmail: 'a@b.example',
  customDomain: null, host: 'acme.127.0.0.1.nip.io', currency: 'EUR', status: 'Ready', statusReason: null, failedStep: null,
  storeUrl: 'http://acme.127.0.0.1.nip.io', adminUrl: 'http://acme.127.0.0.1.nip.io/wp-admin/', teardownOnFailure: false,
  generation: 1, observedGeneration: 1, version: 1, createdBy: 'test', createdAt: new Date(0), updatedAt: new Date(0), readyAt: new Date(0), deletedAt: null,
  finalBackupId: null, databaseServer: 'mariadb', sourceBackupId: null, purgeAt: null, undeleteTo: null, release: null, upgradeFrom: null, upgradeBackupId: null, stepConditions: [],
  ...over,
});

function targets(over: Partial<StoreRow>) {
  const r = row(over);
  const desired = desiredStateOf(r, DEFAULT_PLATFORM_SETTINGS);
  return suspendTargets(r, desired, maintenanceOf(r, desired, DEFAULT_PLATFORM_SETTINGS));
}

describe('suspend targets', () => {
  it('are a WooCommerce store\'s MySQL and WordPress (database first), its wp-cron CronJob, Ingress and check', () => {
    const t = targets({});
    expect(t.workloads.map((w) => [w.kind, w.name, w.replicas])).toEqual([['StatefulSet', 'mysql', 1], ['Deployment', 'wordpress', 1]]);
    expect(t.cronJobs).toEqual(['wp-cron']);
    expect(t.ingress.metadata.name).toBe('wordpress');
    expect(t.check.name).toBe('store-check');
    expect(t.maintenance.map((s) => s.name)).toEqual(['maintenance', 'ingress']);
    expect(t.maintenance[1]!.objects[0]!.metadata.name).toBe(t.ingress.metadata.name);
  });

  it('follow the plan: a Medusa store on a plan with a worker scales the worker too, and has no CronJob', () => {
    expect(targets({ engine: 'medusa', plan: 'small' }).workloads.map((w) => w.name)).toEqual(['postgres', 'redis', 'medusa']);
    const standard = targets({ engine: 'medusa', plan: 'standard' });
    expect(standard.workloads.map((w) => w.name)).toEqual(['postgres', 'redis', 'medusa', 'medusa-worker']);
    expect(standard.cronJobs).toEqual([]);
    const page = standard.maintenance[1]!.objects[0]! as unknown as { spec: { rules: { host: string; http: { paths: { backend: unknown }[] } }[] } };
    expect(page.spec.rules[0]!.host).toBe('acme.127.0.0.1.nip.io');
    expect(page.spec.rules[0]!.http.paths[0]!.backend).toEqual({ service: { name: MAINTENANCE_NAMES.responder, port: { number: 80 } } });
  });

  it('fails on a desired state without the engine\'s check step or Ingress', () => {
    const r = row({});
    const desired = desiredStateOf(r, DEFAULT_PLATFORM_SETTINGS);
    const page = maintenanceOf(r, desired, DEFAULT_PLATFORM_SETTINGS);
    expect(() => suspendTargets(r, { ...desired, steps: desired.steps.filter((s) => s.name !== 'store-check') }, page)).toThrow(/no 'store-check' step/);
    expect(() => suspendTargets(r, { ...desired, steps: desired.steps.filter((s) => s.name !== 'ingress') }, page)).toThrow(/0 Ingresses/);
    expect(() => suspendTargets(r, desired, page.slice(0, 1))).toThrow(/1 steps, expected two/);
  });
});
