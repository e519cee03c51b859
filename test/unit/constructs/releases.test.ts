import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PLATFORM_SETTINGS, currentRelease, engineOf, imageVersion, platformForRelease, releasesOf, synthesizeStore, upgradeProblem, type PlatformSettings,
} from '../../../constructs/index.js';
import { platformOfRow, recordedRelease, releaseOfRow } from '../../../src/manifests/desired.js';
import { aSpec, allObjects, medusaSecrets, podTemplates } from './fixtures.js';

// The release catalogue: what version a store runs, which images that means, and which upgrades it allows.
const medusa = engineOf('medusa').versioning;
const woo = engineOf('woocommerce').versioning;
const PREVIOUS = 'registry.example/medusa:2.21.1-r1@sha256:' + 'a'.repeat(64);
const platform: PlatformSettings = {
  ...DEFAULT_PLATFORM_SETTINGS,
  releases: {
    medusa: {
      current: '2.21.1',
      releases: [{ version: '2.21.1', images: { medusa: PREVIOUS } }, { version: '2.21.2', upgradesFrom: ['2.21.1'] }],
    },
  },
};

describe('engine releases', () => {
  it('name the base release from the platform\'s images: the Medusa image tag, WordPress core with the WooCommerce plugin', () => {
    expect(imageVersion('store-platform/medusa:2.21.2-r3')).toBe('2.21.2');
    expect(imageVersion('localhost:5000/medusa:2.21.1-r12@sha256:' + 'b'.repeat(64))).toBe('2.21.1');
    expect(imageVersion('registry.example/medusa')).toBe('latest');
    expect(medusa.baseVersion(DEFAULT_PLATFORM_SETTINGS)).toBe('2.21.2');
    expect(woo.baseVersion(DEFAULT_PLATFORM_SETTINGS)).toBe('7.0.2-wc11.2.0');
    expect(woo.baseVersion({ ...DEFAULT_PLATFORM_SETTINGS, woocommerceVersion: '11.3.1' })).toBe('7.0.2-wc11.3.1');
  });

  it('list the base release first, with the paths the catalogue gives it, and new stores get the current one', () => {
    expect(releasesOf(platform, 'medusa', medusa)).toEqual([
      { version: '2.21.2', upgradesFrom: ['2.21.1'] },
      { version: '2.21.1', images: { medusa: PREVIOUS } },
    ]);
    expect(currentRelease(platform, 'medusa', medusa)).toBe('2.21.1');
    expect(currentRelease(platform, 'woocommerce', woo)).toBe('7.0.2-wc11.2.0');
  });

  it('run the release\'s images in the synthesized store, and the platform\'s for the base release', () => {
    const images = (p: PlatformSettings) => podTemplates(allObjects(synthesizeStore({ spec: aSpec({ engine: 'medusa' }), secrets: medusaSecrets(), platform: p })))
      .flatMap((t) => t.spec.containers.map((c) => c.image));
    const previous = images(platformForRelease(platform, 'medusa', medusa, '2.21.1'));
    expect(previous).toContain(PREVIOUS);
    expect(previous).not.toContain(DEFAULT_PLATFORM_SETTINGS.images.medusa);
    const base = images(platformForRelease(platform, 'medusa', medusa, '2.21.2'));
    expect(base).toContain(DEFAULT_PLATFORM_SETTINGS.images.medusa);
    expect(base).not.toContain(PREVIOUS);
    expect(() => platformForRelease(platform, 'medusa', medusa, '9.9.9')).toThrow("release '9.9.9' of engine 'medusa' is not in the catalogue; known: 2.21.2, 2.21.1");
  });

  it('are recorded on a store only for a catalogue release: a store on the base release follows an image bump', () => {
    expect(recordedRelease('medusa', '2.21.2', platform)).toBeNull();
    expect(recordedRelease('medusa', '2.21.1', platform)).toBe('2.21.1');
    const bumped: PlatformSettings = { ...platform, images: { ...platform.images, medusa: 'store-platform/medusa:2.21.3-r1' } };
    const row = { engine: 'medusa', release: recordedRelease('medusa', '2.21.2', platform) };
    expect(releaseOfRow(row, bumped)).toBe('2.21.3');
    expect(platformOfRow(row, bumped).images.medusa).toBe('store-platform/medusa:2.21.3-r1');
    expect(platformOfRow({ engine: 'medusa', release: '2.21.1' }, bumped).images.medusa).toBe(PREVIOUS);
  });

  it('allow an upgrade only along a path the catalogue names', () => {
    expect(upgradeProblem(platform, 'medusa', medusa, '2.21.1', '2.21.2')).toBeUndefined();
    expect(upgradeProblem(platform, 'medusa', medusa, '2.21.2', '2.21.1')).toBe('medusa 2.21.1 cannot be reached from 2.21.2; it upgrades from no release');
    expect(upgradeProblem(platform, 'medusa', medusa, '2.21.2', '2.21.2')).toBe('the store already runs medusa 2.21.2');
    expect(upgradeProblem(platform, 'medusa', medusa, '2.21.1', '3.0.0')).toMatch(/^release '3.0.0' of engine 'medusa' is not in the catalogue/);
    expect(upgradeProblem(DEFAULT_PLATFORM_SETTINGS, 'woocommerce', woo, '7.0.2-wc11.2.0', '7.0.3-wc11.2.0')).toMatch(/not in the catalogue; known: 7.0.2-wc11.2.0$/);
  });
});
