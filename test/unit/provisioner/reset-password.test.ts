import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS } from '../../../constructs/index.js';
import type { StoreRow } from '../../../src/db/repos/stores-repo.js';
import type { KubeClients } from '../../../src/k8s/index.js';
import { resetAdminPassword } from '../../../src/provisioner/reset-password.js';

// The password reset's failure paths, against a stub of the few API calls it makes.
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
const forbidden = (what: string) => new ApiException(403, 'Forbidden', JSON.stringify({ reason: 'Forbidden', message: `${what} is forbidden` }), {});

const row = {
  id: 'st-1', slug: 'shop', engine: 'woocommerce', plan: 'small', adminEmail: 'a@example.com', title: 'Shop', currency: 'USD', customDomain: null,
} as unknown as StoreRow;

function stubKube(opts: { jobOutcome: 'Complete' | 'Failed'; failPatchNumber?: number; failJobDelete?: boolean }) {
  const patches: Record<string, string>[] = [];
  const kube = {
    bounded: () => kube,
    core: {
      readNamespacedSecret: async () => ({ data: { username: b64('admin'), password: b64('old-password'), email: b64('a@example.com') } }),
    },
    objects: {
      patch: async (body: { data: Record<string, string> }) => {
        if (patches.length + 1 === opts.failPatchNumber) throw forbidden('patching the Secret');
        patches.push(body.data);
        return body;
      },
      create: async (obj: unknown) => obj,
      read: async () => ({ status: { conditions: [{ type: opts.jobOutcome, status: 'True', reason: opts.jobOutcome === 'Failed' ? 'BackoffLimitExceeded' : '' }] } }),
    },
    batch: {
      listNamespacedJob: async () => ({ items: [{ metadata: { name: 'reset-admin-password-older' } }, { metadata: { name: 'store-setup' } }] }),
      deleteNamespacedJob: async () => {
        if (opts.failJobDelete) throw forbidden('deleting Jobs');
        return {};
      },
    },
  } as unknown as KubeClients;
  return { kube, patches };
}

const options = { platform: DEFAULT_PLATFORM_SETTINGS, limits: { policy: { baseMs: 1, maxMs: 2 }, timeoutMs: 5_000 } };

describe('resetAdminPassword', () => {
  it('returns the new password once it is live, even when cleaning up older reset Jobs fails', async () => {
    const { kube, patches } = stubKube({ jobOutcome: 'Complete', failJobDelete: true });
    const result = await resetAdminPassword(kube, options, row, 1_000);
    expect(result.username).toBe('admin');
    expect(result.password).toHaveLength(32);
    expect(result.cleanupError).toMatch(/deleting Jobs is forbidden/);
    expect(patches.map((d) => unb64(d.password!))).toEqual([result.password]); // written once, never restored
  });

  it('restores the previous password when the Job fails', async () => {
    const { kube, patches } = stubKube({ jobOutcome: 'Failed' });
    await expect(resetAdminPassword(kube, options, row, 1_000)).rejects.toThrow(/failed: BackoffLimitExceeded/);
    expect(patches.map((d) => unb64(d.password!))).toEqual([expect.any(String), 'old-password']);
  });

  it('fails with the Job\'s error, not only the restore\'s, when restoring the old password fails too', async () => {
    const { kube } = stubKube({ jobOutcome: 'Failed', failPatchNumber: 2 });
    const err = await resetAdminPassword(kube, options, row, 1_000).then(() => new Error('resolved'), (e: unknown) => e as Error);
    expect(err.message).toMatch(/failed: BackoffLimitExceeded.*restoring the previous password also failed: .*patching the Secret is forbidden/);
    expect((err.cause as Error).message).toMatch(/BackoffLimitExceeded/);
  });
});
