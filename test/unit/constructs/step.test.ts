import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import * as k8s from '../../../imports/k8s.js';
import { collectSteps, StoreStep } from '../../../constructs/index.js';

function chartWith(build: (chart: Chart) => void): Chart {
  const chart = new Chart(new App({ outdir: 'dist' }), 'Test', { disableResourceNameHashes: true });
  build(chart);
  return chart;
}

const step = (chart: Chart, id: string, name: string) =>
  new StoreStep(chart, id, { name, title: id, readiness: { kind: 'Applied' }, timeoutSeconds: 10 });

describe('collectSteps', () => {
  it('returns the StoreStep children in construction order with their own objects', () => {
    const chart = chartWith((c) => {
      const a = step(c, 'A', 'first');
      new k8s.KubeConfigMap(a, 'One', { metadata: { name: 'one' } });
      new k8s.KubeConfigMap(a, 'Two', { metadata: { name: 'two' } });
      const b = step(c, 'B', 'second');
      new k8s.KubeSecret(b, 'Three', { metadata: { name: 'three' } });
    });
    const steps = collectSteps(chart);
    expect(steps.map((s) => [s.name, s.objects.map((o) => o.metadata.name)])).toEqual([
      ['first', ['one', 'two']],
      ['second', ['three']],
    ]);
  });

  it('fails on duplicate step names', () => {
    const chart = chartWith((c) => {
      step(c, 'A', 'same');
      step(c, 'B', 'same');
    });
    expect(() => collectSteps(chart)).toThrow(/duplicate step name 'same'/);
  });

  it('fails with every tree validation message', () => {
    const chart = chartWith((c) => {
      c.node.addValidation({ validate: () => ['quota too small'] });
    });
    expect(() => collectSteps(chart)).toThrow(/invalid store: .*quota too small/);
  });

  it('fails on a step name that is not kebab-case', () => {
    expect(() => chartWith((c) => step(c, 'A', 'Bad Name'))).toThrow(/kebab-case/);
  });
});
