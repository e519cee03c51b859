import { describe, expect, it } from 'vitest';
import { loadConfig, platformSettings } from '../../../src/config.js';
import { allObjects, podTemplates, synth } from './fixtures.js';

const pool = { key: 'store-platform.io/pool', value: 'stores' };

describe('store node pool', () => {
  it('places every pod template of a store on the pool: selects its label and tolerates its taint', () => {
    const templates = podTemplates(allObjects(synth({}, { nodePool: pool })));
    expect(templates.length).toBeGreaterThanOrEqual(4);
    for (const t of templates) {
      const spec = t.spec as { nodeSelector?: Record<string, string>; tolerations?: unknown[] };
      expect(spec.nodeSelector, t.owner.metadata.name).toEqual({ [pool.key]: pool.value });
      expect(spec.tolerations, t.owner.metadata.name).toEqual([{ key: pool.key, operator: 'Equal', value: pool.value, effect: 'NoSchedule' }]);
    }
  });

  it('leaves scheduling to the cluster without a pool', () => {
    for (const t of podTemplates(allObjects(synth()))) {
      expect(t.spec).not.toHaveProperty('nodeSelector');
      expect(t.spec).not.toHaveProperty('tolerations');
    }
  });

  it('reads STORE_NODE_POOL as key=value and refuses anything else', () => {
    expect(platformSettings(loadConfig({ STORE_NODE_POOL: 'store-platform.io/pool=stores' })).nodePool).toEqual(pool);
    expect(() => loadConfig({ STORE_NODE_POOL: 'no-value' })).toThrow(/STORE_NODE_POOL/);
    expect(() => loadConfig({ STORE_NODE_POOL: 'a=b=c' })).toThrow(/STORE_NODE_POOL/);
  });
});
