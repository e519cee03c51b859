import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, type PlatformSettings } from '../../constructs/index.js';
import { IllegalTransitionError } from '../../src/errors.js';
import { UNAVAILABLE_IMAGE_REGISTRY } from '../support/cluster.js';
import { harness, waitForEvent } from './engine-harness.js';

// The database never becomes ready, so WordPress is never created: a restart asked for meanwhile is a
// conflict with the store's state (409), not a Kubernetes failure (the fuzzer once got a 502 here).
const STUCK_DB: PlatformSettings = {
  ...DEFAULT_PLATFORM_SETTINGS,
  images: { ...DEFAULT_PLATFORM_SETTINGS.images, mysql: `${UNAVAILABLE_IMAGE_REGISTRY}mysql:8.4.6` },
};

describe('engine: restart before the workloads exist', () => {
  const h = harness();
  afterAll(() => h.cleanup());

  it('fails with IllegalTransitionError naming the missing workload while the store provisions', async () => {
    const { p } = h.engine({ platform: STUCK_DB, stepTimeouts: { mysql: 60 } });
    await p.start();
    const row = await p.create(h.spec(h.name('early')), { actor: 'test' });
    await waitForEvent(p, row.id, (e) => e.step === 'mysql' && e.phase === 'started');
    const attempt = p.restart(row.id, 'wordpress');
    await expect(attempt).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(attempt).rejects.toThrow(/wordpress does not exist yet/);
  });
});
