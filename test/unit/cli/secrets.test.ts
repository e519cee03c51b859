import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, type KubeObject } from '../../../constructs/index.js';
import { generateStoreSecrets } from '../../../src/manifests/secrets.js';
import { redactSecret, REDACTED, synthStoreFromSpec } from '../../../src/manifests/synth.js';

describe('generateStoreSecrets', () => {
  it('draws distinct URL-safe values of at least 32 characters', () => {
    const a = generateStoreSecrets();
    const b = generateStoreSecrets();
    const values = [a.dbRootPassword, a.dbPassword, a.adminPassword, ...Object.values(a.salts ?? {})];
    expect(Object.keys(a.salts ?? {})).toHaveLength(8);
    expect(new Set(values).size).toBe(values.length);
    for (const v of values) expect(v).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(b.adminPassword).not.toBe(a.adminPassword);
  });
});

describe('synthStoreFromSpec', () => {
  const spec = { name: 'acme', engine: 'woocommerce', plan: 'small', adminEmail: 'a@example.com', title: 'Acme', currency: 'USD' } as const;

  it('is identical for the same stored secrets and differs for fresh ones', () => {
    const secrets = generateStoreSecrets();
    expect(JSON.stringify(synthStoreFromSpec(spec, DEFAULT_PLATFORM_SETTINGS, secrets))).toBe(
      JSON.stringify(synthStoreFromSpec(spec, DEFAULT_PLATFORM_SETTINGS, secrets)),
    );
    expect(JSON.stringify(synthStoreFromSpec(spec, DEFAULT_PLATFORM_SETTINGS))).not.toBe(
      JSON.stringify(synthStoreFromSpec(spec, DEFAULT_PLATFORM_SETTINGS)),
    );
  });

  it('redacts Secret values only', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: '1' }, data: { b: 'Mg==' } } as KubeObject;
    expect(redactSecret(secret)).toMatchObject({ stringData: { a: REDACTED }, data: { b: REDACTED } });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } as KubeObject;
    expect(redactSecret(cm)).toBe(cm);
  });
});
