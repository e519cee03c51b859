import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EscrowError, openPassword, sealPassword } from '../../../src/backup/escrow.js';
import { generateBackupPassword } from '../../../src/manifests/secrets.js';

const key = randomBytes(32);

/** The sealed value with one byte of part `index` (1 iv, 2 tag, 3 ciphertext) flipped. */
function flip(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('repository password escrow', () => {
  it('round-trips a drawn password, with a fresh nonce every time', () => {
    const password = generateBackupPassword();
    expect(password.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    const a = sealPassword(key, 'acme', password);
    const b = sealPassword(key, 'acme', password);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(a).not.toContain(password);
    expect(openPassword(key, 'acme', a)).toBe(password);
    expect(openPassword(key, 'acme', b)).toBe(password);
  });

  it('fails on a tampered nonce, tag or ciphertext', () => {
    const sealed = sealPassword(key, 'acme', 'p'.repeat(40));
    for (const part of [1, 2, 3]) expect(() => openPassword(key, 'acme', flip(sealed, part))).toThrow(EscrowError);
    expect(() => openPassword(key, 'acme', sealed.replace(/^v1/, 'v2'))).toThrow(/not in the v1 format/);
    expect(() => openPassword(key, 'acme', 'v1.AAAA.BBBB.CCCC')).toThrow(/malformed/);
  });

  it("fails on another store's password or another key", () => {
    const sealed = sealPassword(key, 'acme', 'p'.repeat(40));
    expect(() => openPassword(key, 'other', sealed)).toThrow(/does not open with the escrow key/);
    expect(() => openPassword(randomBytes(32), 'acme', sealed)).toThrow(EscrowError);
  });

  it('fails on a key that is not 32 bytes', () => {
    expect(() => sealPassword(randomBytes(16), 'acme', 'x')).toThrow(/32 bytes/);
  });
});
