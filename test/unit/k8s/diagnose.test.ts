import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { createFailure, firstProblem, podProblem, selectorOf, templateImages } from '../../../src/k8s/diagnose.js';

// The verdicts on pod states as the kubelet and the scheduler write them; the live states come from
// the simulated cluster in test/integration/engine-failure.test.ts and engine-fault.test.ts.
const pod = (name: string, status: V1Pod['status'], image = 'wordpress:6.8'): V1Pod => ({
  metadata: { name }, spec: { containers: [{ name: 'wordpress', image }] }, status,
});
const waitingOn = (reason: string, message?: string): V1Pod['status'] => ({
  phase: 'Pending', containerStatuses: [{ name: 'wordpress', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason, ...(message ? { message } : {}) } } }],
});
const images = templateImages({ spec: { containers: [{ name: 'wordpress', image: 'wordpress:6.8' }] } });

describe('podProblem', () => {
  it.each([
    ['ImagePullBackOff', false],
    ['ErrImagePull', false],
    ['CrashLoopBackOff', false],
    ['CreateContainerConfigError', false],
    ['InvalidImageName', true],
    ['ErrImageNeverPull', true],
  ])('names a container waiting on %s (permanent: %s)', (reason, permanent) => {
    expect(podProblem(pod('wordpress-1', waitingOn(reason, 'the detail')))).toEqual({
      message: `pod wordpress-1: container wordpress ${reason}: the detail`, permanent,
    });
  });

  it('says nothing of a container on its way up, a running pod or a pod being deleted', () => {
    expect(podProblem(pod('p', waitingOn('ContainerCreating')))).toBeUndefined();
    expect(podProblem(pod('p', { phase: 'Running', containerStatuses: [{ name: 'wordpress', image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] }))).toBeUndefined();
    expect(podProblem({ ...pod('p', waitingOn('CrashLoopBackOff')), metadata: { name: 'p', deletionTimestamp: new Date() } })).toBeUndefined();
  });

  it('carries the scheduler\'s verdict on an unschedulable pod, which may still clear', () => {
    const unschedulable = pod('mysql-0', {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.' }],
    });
    expect(podProblem(unschedulable)).toEqual({
      message: 'pod mysql-0 unschedulable: 0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
      permanent: false,
    });
  });
});

describe('firstProblem', () => {
  it('puts a permanent cause first and counts the other pods', () => {
    const found = firstProblem([pod('a', waitingOn('ImagePullBackOff')), pod('b', waitingOn('InvalidImageName'))], images);
    expect(found).toEqual({ message: 'pod b: container wordpress InvalidImageName (and 1 more pods)', permanent: true });
  });

  it('ignores pods of an older template, whose image the spec no longer names', () => {
    expect(firstProblem([pod('old', waitingOn('InvalidImageName'), 'WordPress:6.8')], images)).toBeUndefined();
  });
});

describe('createFailure', () => {
  it('fails for good on Pod Security and LimitRange refusals, waits on quota', () => {
    expect(createFailure('pods "w-1" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true').permanent).toBe(true);
    expect(createFailure('pods "w-1" is forbidden: maximum cpu usage per Container is 1, but limit is 2').permanent).toBe(true);
    expect(createFailure('pods "w-1" is forbidden: exceeded quota: store-quota, requested: pods=1, used: pods=8, limited: pods=8').permanent).toBe(false);
  });
});

describe('selectorOf', () => {
  it('joins matchLabels, and has none without them', () => {
    expect(selectorOf({ spec: { selector: { matchLabels: { a: '1', b: '2' } } } })).toBe('a=1,b=2');
    expect(selectorOf({ spec: {} })).toBeUndefined();
  });
});
