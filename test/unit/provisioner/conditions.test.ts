import { describe, expect, it } from 'vitest';
import type { StoreEventRow } from '../../../src/db/repos/events-repo.js';
import { conditionsOf, nextStepConditions, stepConditionsOf } from '../../../src/provisioner/conditions.js';

let nextId = 1;
const ev = (step: string, phase: StoreEventRow['phase'], atMs: number, message = `${step} ${phase}`): StoreEventRow => ({
  id: nextId++, storeId: 's', step, phase, message, durationMs: null, attempt: 1, at: new Date(atMs), count: 1, lastAt: null,
});
const row = (status: 'Pending' | 'Provisioning' | 'Ready' | 'Failed' | 'Deleted', statusReason: string | null = null) =>
  ({ status, statusReason, updatedAt: new Date(9_000) });

describe('conditionsOf', () => {
  it('gives each step its latest state in first-seen order, then a Ready summary', () => {
    const events = [
      ev('store', 'info', 0), ev('namespace', 'started', 1_000), ev('namespace', 'succeeded', 2_000),
      ev('store-check', 'started', 3_000), ev('store-check', 'retrying', 4_000, 'API server unreachable'),
    ];
    const c = conditionsOf(row('Provisioning'), events);
    expect(c.map((x) => `${x.type}=${x.status}/${x.reason}`)).toEqual([
      'Namespace=True/Succeeded', 'StoreCheck=Unknown/Retrying', 'Ready=Unknown/Provisioning',
    ]);
    expect(c[1]).toMatchObject({ message: 'API server unreachable', lastTransitionTime: new Date(3_000).toISOString() });
    expect(c[2]!.message).toBe('1 of 2 steps succeeded; waiting for StoreCheck');
  });

  it('marks a failed step False and Ready False with the store\'s reason', () => {
    const c = conditionsOf(row('Failed', 'MySQL database: timed out'), [ev('mysql', 'started', 1), ev('mysql', 'failed', 2, 'timed out')]);
    expect(c).toEqual([
      { type: 'Mysql', status: 'False', reason: 'Failed', message: 'timed out', lastTransitionTime: new Date(2).toISOString() },
      { type: 'Ready', status: 'False', reason: 'StepFailed', message: 'MySQL database: timed out', lastTransitionTime: new Date(9_000).toISOString() },
    ]);
  });

  it('keeps a step\'s lastTransitionTime while its status stays the same, and leaves engine notes out', () => {
    const events = [
      ev('guardrails', 'started', 1), ev('guardrails', 'retrying', 2), ev('guardrails', 'succeeded', 3),
      ev('restart', 'info', 4), ev('delete', 'started', 5), ev('reset-admin-password', 'succeeded', 6),
    ];
    const c = conditionsOf(row('Ready'), events);
    expect(c.map((x) => x.type)).toEqual(['Guardrails', 'Ready']);
    expect(c[0]!.lastTransitionTime).toBe(new Date(3).toISOString());
    expect(c[1]).toMatchObject({ status: 'True', reason: 'Ready', message: '1 of 1 steps succeeded' });
  });
});

describe('nextStepConditions', () => {
  it('applies a bumped repeat as the same row again: the new message, the first retry\'s lastTransitionTime', () => {
    const started = ev('mysql', 'started', 1_000);
    const retry = ev('mysql', 'retrying', 2_000, 'unreachable (retry in 250 ms)');
    const before = stepConditionsOf([started, retry]);
    const bumped: StoreEventRow = { ...retry, message: 'unreachable (retry in 600 ms)', count: 2, lastAt: new Date(5_000) };
    const after = nextStepConditions(before, bumped);
    expect(after).toEqual([{ type: 'Mysql', status: 'Unknown', reason: 'Retrying', message: 'unreachable (retry in 600 ms)', lastTransitionTime: new Date(1_000).toISOString() }]);
    expect(before[0]!.message).toBe('unreachable (retry in 250 ms)'); // the input is left as it was
  });

  it('moves a step seen again after a retry in place, and leaves info rows and engine notes out', () => {
    const steps = stepConditionsOf([ev('namespace', 'succeeded', 1), ev('mysql', 'failed', 2), ev('namespace', 'started', 3)]);
    expect(steps.map((c) => `${c.type}=${c.status}@${Date.parse(c.lastTransitionTime)}`)).toEqual(['Namespace=Unknown@3', 'Mysql=False@2']);
    expect(nextStepConditions(steps, ev('mysql', 'info', 4))).toBe(steps);
    expect(nextStepConditions(steps, ev('upgrade', 'started', 5))).toBe(steps);
  });
});
