import { afterAll, describe, expect, it } from 'vitest';
import type { StoreRow } from '../../src/provisioner/index.js';
import { harness, waitForStatus } from './engine-harness.js';

describe('engine: queue', () => {
  const h = harness();
  afterAll(() => h.cleanup());

  it('provisions five stores with concurrency 2, never more than 2 at once, all to Ready', async () => {
    const { p } = h.engine({ concurrency: 2 });
    await p.start();
    const provisioning = new Set<string>();
    let maxProvisioning = 0;
    let maxInFlight = 0;
    p.bus.on('store', (r: StoreRow) => {
      if (r.status === 'Provisioning') provisioning.add(r.id);
      else provisioning.delete(r.id);
      maxProvisioning = Math.max(maxProvisioning, provisioning.size);
      maxInFlight = Math.max(maxInFlight, p.inFlight());
    });
    p.bus.on('event', () => { maxInFlight = Math.max(maxInFlight, p.inFlight()); });

    const rows: StoreRow[] = [];
    for (let i = 0; i < 5; i++) rows.push(await p.create(h.spec(h.name(`conc${i}`)), { actor: 'test' }));
    await new Promise((r) => setImmediate(r));
    expect(p.queueDepth()).toBe(3);
    expect(rows.map((r) => p.queuePosition(r.id))).toEqual([0, 0, 1, 2, 3]);

    const done = await Promise.all(rows.map((r) => waitForStatus(p, r.id, ['Ready', 'Failed'], 180_000)));
    expect(done.map((r) => r.status)).toEqual(['Ready', 'Ready', 'Ready', 'Ready', 'Ready']);
    expect(maxProvisioning).toBe(2);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(p.queueDepth()).toBe(0);
    expect(p.queuePosition(rows[0]!.id)).toBeUndefined();
  });
});
