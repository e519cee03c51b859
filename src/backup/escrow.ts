import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { COMPONENT_LABEL, MANAGED_BY, MANAGED_BY_LABEL } from '../../constructs/index.js';
import { createIfAbsent, patchSecretData, readSecretData, withRetry, type CallOptions, type KubeClients } from '../k8s/index.js';

// The repository password escrow: every store's restic password, AES-256-GCM encrypted under the
// platform's escrow key, in the platform's own Secret (never in SQLite), so a store whose namespace or
// Secret is gone can still be restored. The store's slug is the associated data: a sealed password
// moved to another store's key does not open.

const VERSION = 'v1';

/** An escrowed password that does not open: tampered with, another store's, or another key's. */
export class EscrowError extends Error {}

const aadOf = (slug: string): Buffer => Buffer.from(`store-platform/backup-repository/${slug}`, 'utf8');

/** `v1.<iv>.<tag>.<ciphertext>` (base64url): the password sealed for `slug` under `key` (32 bytes). */
export function sealPassword(key: Buffer, slug: string, password: string): string {
  if (key.length !== 32) throw new Error('the escrow key must be 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aadOf(slug));
  const ct = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

/** The password `sealPassword` sealed for `slug`; EscrowError when it does not authenticate. */
export function openPassword(key: Buffer, slug: string, sealed: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new EscrowError(`the escrowed password of store '${slug}' is not in the ${VERSION} format`);
  const [, iv, tag, ct] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer, Buffer];
  if (iv.length !== 12 || tag.length !== 16) throw new EscrowError(`the escrowed password of store '${slug}' is malformed`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aadOf(slug));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new EscrowError(`the escrowed password of store '${slug}' does not open with the escrow key (tampered with, or sealed under another key)`, { cause: err });
  }
}

export interface EscrowLocation {
  readonly key: Buffer;
  readonly namespace: string;
  readonly name: string;
}

/** Labels of the escrow Secret when the platform creates it itself (outside the chart). */
const ESCROW_LABELS = { [MANAGED_BY_LABEL]: MANAGED_BY, [COMPONENT_LABEL]: 'backup-escrow' };

/** The escrow Secret: one data key per store slug, each a sealed password. */
export class PasswordEscrow {
  public constructor(private readonly kube: KubeClients, private readonly at: EscrowLocation) {}

  /** The store's escrowed password; undefined when none is escrowed. Throws EscrowError when it does not open. */
  public async get(slug: string, call: CallOptions): Promise<string | undefined> {
    const data = await readSecretData(this.kube, { namespace: this.at.namespace, name: this.at.name }, call);
    const sealed = data?.[slug];
    return sealed === undefined ? undefined : openPassword(this.at.key, slug, sealed);
  }

  /** Escrows the store's password (sealed), creating the Secret when it is not there (the chart makes it). */
  public async put(slug: string, password: string, call: CallOptions): Promise<void> {
    const ref = { namespace: this.at.namespace, name: this.at.name };
    const sealed = sealPassword(this.at.key, slug, password);
    if (await readSecretData(this.kube, ref, call) === undefined) {
      const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { ...ref, labels: ESCROW_LABELS }, type: 'Opaque', data: {} };
      await withRetry(() => createIfAbsent(this.kube.objects, secret, { [MANAGED_BY_LABEL]: MANAGED_BY }), call);
    }
    await patchSecretData(this.kube, ref, { [slug]: sealed }, call);
  }
}
