import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATABASE_IMAGES, DEFAULT_IMAGES, OPERATOR_BUILT_IMAGES, imagesWithoutDigest, isDigestPinned } from '../../../constructs/index.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('image pins (constructs/images.ts, the one place they are bumped)', () => {
  it('pins every image the platform does not build by tag and digest', () => {
    const unpinned = imagesWithoutDigest(DEFAULT_IMAGES).filter((key) => !OPERATOR_BUILT_IMAGES.has(key));
    expect(unpinned, 'bump with the README procedure: tag and index digest together').toEqual([]);
  });

  it('pins both database servers a WooCommerce store can run, MariaDB the default', () => {
    expect(Object.values(DATABASE_IMAGES).every(isDigestPinned)).toBe(true);
    expect(DEFAULT_IMAGES.mysql).toBe(DATABASE_IMAGES.mariadb);
  });

  it('leaves only the operator-built Medusa image without a digest', () => {
    expect(imagesWithoutDigest(DEFAULT_IMAGES)).toEqual(['medusa']);
  });

  it('accepts repo:tag@sha256 and refuses a tag alone, a digest alone, latest-style and malformed digests', () => {
    expect(isDigestPinned(`wordpress:7.0.2-php8.3-apache@${DIGEST}`)).toBe(true);
    expect(isDigestPinned(`registry.example:5000/team/wordpress:7.0.2@${DIGEST}`)).toBe(true);
    expect(isDigestPinned('wordpress:7.0.2-php8.3-apache')).toBe(false);
    expect(isDigestPinned(`wordpress@${DIGEST}`)).toBe(false);
    expect(isDigestPinned(`registry.example:5000/wordpress@${DIGEST}`)).toBe(false);
    expect(isDigestPinned(`wordpress:7.0.2@sha256:${'A'.repeat(64)}`)).toBe(false);
    expect(isDigestPinned(`wordpress:7.0.2@sha256:${'a'.repeat(63)}`)).toBe(false);
  });

  it('builds both Dockerfiles on a Node base pinned by tag and digest', () => {
    for (const file of ['../../../Dockerfile', '../../../infra/images/medusa/Dockerfile']) {
      const text = readFileSync(new URL(file, import.meta.url), 'utf8');
      const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(text)?.[1];
      expect(base && isDigestPinned(base), `${file}: ${base}`).toBe(true);
    }
  });
});
