import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigSchema, loadConfig, platformSettings } from '../../../src/config.js';
import { DATABASE_IMAGES } from '../../../constructs/index.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ HOST: '127.0.0.1', PORT: 8080, CONCURRENCY: 3, RATE_LIMIT_CREATE_PER_MINUTE: 5, RATE_LIMIT_MUTATION_PER_MINUTE: 30, RATE_LIMIT_READ_PER_MINUTE: 300 });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('coerces numbers and booleans', () => {
    const c = loadConfig({ PORT: '9090', TLS_ENABLED: 'true', TEARDOWN_FAILED_STORES: '1', MAX_STORES: '7' });
    expect(c).toMatchObject({ PORT: 9090, TLS_ENABLED: true, TEARDOWN_FAILED_STORES: true, MAX_STORES: 7 });
  });

  it('fails with one line naming the variable and the bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', CONCURRENCY: '0' });
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).not.toContain('\n');
      expect(msg).toMatch(/PORT: .*'eighty'/);
      expect(msg).toMatch(/CONCURRENCY/);
    }
  });

  it('fails on a short admin key without echoing it', () => {
    expect(() => loadConfig({ STORE_PLATFORM_ADMIN_KEY: 'short-secret' })).toThrow(/STORE_PLATFORM_ADMIN_KEY: at least 24/);
    expect(() => loadConfig({ STORE_PLATFORM_ADMIN_KEY: 'short-secret' })).not.toThrow(/short-secret/);
  });

  it('reads the admin key from STORE_PLATFORM_ADMIN_KEY_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-cfg-'));
    const file = join(dir, 'key');
    writeFileSync(file, 'k'.repeat(40) + '\n');
    expect(loadConfig({ STORE_PLATFORM_ADMIN_KEY_FILE: file }).STORE_PLATFORM_ADMIN_KEY).toBe('k'.repeat(40));
    expect(() => loadConfig({ STORE_PLATFORM_ADMIN_KEY_FILE: join(dir, 'missing') })).toThrow(/STORE_PLATFORM_ADMIN_KEY_FILE: cannot read/);
    expect(() => loadConfig({ STORE_PLATFORM_ADMIN_KEY_FILE: file, STORE_PLATFORM_ADMIN_KEY: 'x'.repeat(30) })).toThrow(/not both/);
  });

  it('treats empty strings as unset', () => {
    const c = loadConfig({ PORT: '', KUBECONFIG: '' });
    expect(c.PORT).toBe(8080);
    expect(c.KUBECONFIG).toBeUndefined();
  });

  it('fails on an unpinned image override', () => {
    expect(() => loadConfig({ WORDPRESS_IMAGE: 'wordpress' })).toThrow(/WORDPRESS_IMAGE: pin a tag or digest/);
  });

  it('with REQUIRE_IMAGE_DIGESTS, refuses in one line every image without a digest, defaults included', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    // the Medusa image is built by the operator: its default carries no digest
    expect(() => loadConfig({ REQUIRE_IMAGE_DIGESTS: 'true' })).toThrow(/^invalid configuration: REQUIRE_IMAGE_DIGESTS is on, but these images are not pinned by digest \(name:tag@sha256:<64 hex>\): MEDUSA_IMAGE \('store-platform\/medusa:[^']+', the default\)$/);
    expect(() => loadConfig({ REQUIRE_IMAGE_DIGESTS: 'true', MEDUSA_IMAGE: `registry.example/medusa:2@${digest}`, WORDPRESS_IMAGE: 'mirror.example/wordpress:7.0.2-php8.3-apache' }))
      .toThrow(/not pinned by digest .*: WORDPRESS_IMAGE \('mirror.example\/wordpress:7.0.2-php8.3-apache'\)$/);
    const c = loadConfig({ REQUIRE_IMAGE_DIGESTS: 'true', MEDUSA_IMAGE: `registry.example/medusa:2@${digest}` });
    expect(platformSettings(c).images.medusa).toBe(`registry.example/medusa:2@${digest}`);
    // off by default: tag-only overrides stay allowed
    expect(platformSettings(loadConfig({ CURL_IMAGE: 'mirror.example/curl:8.21.0' })).images.curl).toBe('mirror.example/curl:8.21.0');
  });

  it('maps to the platform settings the constructs take', () => {
    const p = platformSettings(loadConfig({ BASE_DOMAIN: 'shops.example.com', TLS_ENABLED: 'true', CLUSTER_CIDRS: '10.0.0.0/8,192.168.0.0/16', MYSQL_IMAGE: 'mysql:8.4.7' }));
    expect(p).toMatchObject({ baseDomain: 'shops.example.com', tls: { enabled: true }, clusterCidrs: ['10.0.0.0/8', '192.168.0.0/16'] });
    expect(p.images.mysql).toBe('mysql:8.4.7');
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    for (const name of Object.keys(ConfigSchema.shape)) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});

describe('mail settings (SMTP_*)', () => {
  const relay = { SMTP_HOST: 'smtp.example.com', SMTP_FROM: 'shop@example.com', SMTP_RELAY_CIDRS: '192.0.2.25/32' };

  it('are off by default: no relay in the platform settings', () => {
    expect(platformSettings(loadConfig({})).mail).toBeUndefined();
  });

  it('map to the relay the constructs take, with STARTTLS on 587 by default', () => {
    expect(platformSettings(loadConfig({ ...relay, SMTP_USERNAME: 'apikey', SMTP_PASSWORD: 'relay-secret-value' })).mail).toEqual({
      host: 'smtp.example.com', port: 587, tls: 'starttls', from: 'shop@example.com', cidrs: ['192.0.2.25/32'],
      credentials: { username: 'apikey', password: 'relay-secret-value' },
    });
    expect(platformSettings(loadConfig({ SMTP_HOST: '192.0.2.9', SMTP_FROM: 'shop@example.com', SMTP_PORT: '465', SMTP_TLS: 'tls' })).mail)
      .toEqual({ host: '192.0.2.9', port: 465, tls: 'tls', from: 'shop@example.com', cidrs: ['192.0.2.9/32'] });
  });

  it.each([
    [{ SMTP_HOST: 'smtp.example.com', SMTP_RELAY_CIDRS: '192.0.2.25/32' }, /^invalid configuration: SMTP_FROM: required with SMTP_HOST/],
    [{ SMTP_HOST: 'smtp.example.com', SMTP_FROM: 'shop@example.com' }, /SMTP_RELAY_CIDRS: required when SMTP_HOST is a name \('smtp\.example\.com'\)/],
    [{ ...relay, SMTP_USERNAME: 'apikey' }, /SMTP_USERNAME and SMTP_PASSWORD: set both \(SMTP AUTH\) or neither/],
    [{ SMTP_FROM: 'shop@example.com' }, /SMTP_FROM set without SMTP_HOST/],
    [{ ...relay, SMTP_TLS: 'ssl' }, /SMTP_TLS: .*'ssl'/],
    [{ ...relay, SMTP_FROM: 'not-an-address' }, /SMTP_FROM: an e-mail address/],
    [{ ...relay, SMTP_RELAY_CIDRS: 'smtp.example.com' }, /SMTP_RELAY_CIDRS: comma-separated IPv4 CIDRs/],
  ])('fail in one line on an inconsistent set (%o)', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
    try { loadConfig(env); } catch (e) { expect((e as Error).message).not.toContain('\n'); }
  });
});

describe('the release catalogue (STORE_RELEASES)', () => {
  const catalogue = (medusa: unknown) => ({ STORE_RELEASES: JSON.stringify({ medusa }) });

  it('reaches the platform settings as parsed, and is absent when unset', () => {
    const releases = { current: '2.21.1', releases: [{ version: '2.21.1', images: { medusa: 'registry.example/medusa:2.21.1-r1' } }, { version: '2.21.2', upgradesFrom: ['2.21.1'] }] };
    expect(platformSettings(loadConfig(catalogue(releases))).releases).toEqual({ medusa: releases });
    expect(platformSettings(loadConfig({})).releases).toBeUndefined();
  });

  it.each([
    [{ STORE_RELEASES: '{medusa' }, /STORE_RELEASES: not JSON/],
    [catalogue({ releases: [{ version: '2.21.1', images: { medusa: 'no-tag' } }] }), /STORE_RELEASES.*pin a tag or digest/],
    [catalogue({ releases: [{ version: '2.21.1', image: 'x:1' }] }), /STORE_RELEASES.*image/],
    [catalogue({ releases: [{ version: '2.21.1', images: { wordpress: 'wordpress:7.0.3' } }] }), /medusa 2\.21\.1 sets image 'wordpress'; a medusa release sets only medusa, postgres, redis/],
    [catalogue({ releases: [{ version: '2.21.1', woocommerceVersion: '11.3.0' }] }), /medusa 2\.21\.1 sets woocommerceVersion, which medusa does not install/],
    [catalogue({ releases: [{ version: '2.21.3', upgradesFrom: ['2.20.0'] }] }), /medusa 2\.21\.3 upgrades from '2\.20\.0', which is not a release/],
    [catalogue({ current: '3.0.0', releases: [] }), /medusa current release '3\.0\.0' is not a release/],
    [catalogue({ releases: [{ version: '2.21.1' }, { version: '2.21.1' }] }), /medusa 2\.21\.1 is listed twice/],
    [{ STORE_RELEASES: JSON.stringify({ shopify: { releases: [] } }) }, /engine 'shopify' is not available/],
  ])('is refused in one line when it does not hold (%o)', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
    try { loadConfig(env); } catch (e) { expect((e as Error).message).not.toContain('\n'); }
  });
});

describe('the database server (DATABASE_ENGINE)', () => {
  it('is MariaDB by default, pinned by tag and digest', () => {
    expect(platformSettings(loadConfig({})).images.mysql).toBe(DATABASE_IMAGES.mariadb);
    expect(DATABASE_IMAGES.mariadb).toMatch(/^mariadb:11\.8\.\d+@sha256:[0-9a-f]{64}$/);
  });

  it('stays selectable: mysql picks the pinned MySQL 8.4, and MYSQL_IMAGE overrides either', () => {
    expect(platformSettings(loadConfig({ DATABASE_ENGINE: 'mysql' })).images.mysql).toBe(DATABASE_IMAGES.mysql);
    expect(DATABASE_IMAGES.mysql).toMatch(/^mysql:8\.4\.\d+@sha256:[0-9a-f]{64}$/);
    expect(platformSettings(loadConfig({ DATABASE_ENGINE: 'mysql', MYSQL_IMAGE: 'mirror.example/mariadb:11.8.9' })).images.mysql).toBe('mirror.example/mariadb:11.8.9');
  });

  it('fails in one line on another server', () => {
    expect(() => loadConfig({ DATABASE_ENGINE: 'postgres' })).toThrow(/^invalid configuration: DATABASE_ENGINE: .*'postgres'/);
  });
});
