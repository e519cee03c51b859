import { render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { STORE_STATUSES, type StoreStatus } from '../../../src/web/api/client';
import { StatusBadge } from '../../../src/web/components/status-badge';
import { aStore, json, sse } from './fetch-mock';
import { renderAt } from './render-app';

const storePage = (store = aStore()) => ({
  'GET /api/v1/stores/st_acme': json(200, store),
  'GET /api/v1/stores/st_acme/events/stream': () => sse([{ event: 'store', data: store }], false),
});

/** The store page over a server whose store becomes `after` once `action` is posted (the stream then tells so). */
function changingStore(before: ReturnType<typeof aStore>, action: 'suspend' | 'resume' | 'undelete', after: ReturnType<typeof aStore>) {
  let current = before;
  return {
    'GET /api/v1/stores/st_acme': () => json(200, current),
    'GET /api/v1/stores/st_acme/events/stream': () => sse([{ event: 'store', data: current }], false),
    [`POST /api/v1/stores/st_acme/actions/${action}`]: () => {
      current = after;
      return json(202, after);
    },
  };
}

describe('suspend and resume in the dashboard', () => {
  it('suspends a Ready store only after the confirmation, and shows it Suspending', async () => {
    const { calls, user } = renderAt('/stores/st_acme/actions', 'admin', changingStore(aStore(), 'suspend', aStore({ status: 'Suspending' })));
    await user.click(await screen.findByRole('button', { name: 'Suspend…' }));
    const dialog = screen.getByRole('dialog', { name: 'Suspend acme?' });
    expect(within(dialog).getByText(/maintenance page/)).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Suspend store' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST').map((c) => c.url.pathname)).toEqual(['/api/v1/stores/st_acme/actions/suspend']));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Suspending…' }) as HTMLButtonElement).disabled).toBe(true));
    expect(document.querySelector('[data-status]')?.getAttribute('data-status')).toBe('Suspending');
  });

  it('sends nothing when the suspend confirmation is cancelled', async () => {
    const { calls, user } = renderAt('/stores/st_acme/actions', 'admin', storePage());
    await user.click(await screen.findByRole('button', { name: 'Suspend…' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Suspend acme?' })).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('resumes a Suspended store after the confirmation; restart and password reset wait for it', async () => {
    const { calls, user } = renderAt('/stores/st_acme/actions', 'admin', changingStore(aStore({ status: 'Suspended' }), 'resume', aStore({ status: 'Resuming' })));
    expect(await screen.findByText(/shoppers see a maintenance page/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Restart' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Reset password' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Resume…' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Resume acme?' })).getByRole('button', { name: 'Resume store' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST').map((c) => c.url.pathname)).toEqual(['/api/v1/stores/st_acme/actions/resume']));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Resuming…' }) as HTMLButtonElement).disabled).toBe(true));
  });

  it('offers no suspend for a store that is not Ready, and shows the 409 problem when the server refuses', async () => {
    const { user } = renderAt('/stores/st_acme/actions', 'admin', {
      ...storePage(),
      'POST /api/v1/stores/st_acme/actions/suspend': json(409, {
        type: 'https://store-platform.dev/problems/illegal-transition', title: 'Illegal status transition', status: 409,
        code: 'ILLEGAL_TRANSITION', detail: 'only a Ready store can be suspended (status is Provisioning)',
      }),
    });
    await user.click(await screen.findByRole('button', { name: 'Suspend…' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Suspend acme?' })).getByRole('button', { name: 'Suspend store' }));
    expect(await screen.findByText(/only a Ready store can be suspended \(status is Provisioning\)/)).toBeTruthy();
  });

  it('disables suspend on a Provisioning store', async () => {
    renderAt('/stores/st_acme/actions', 'admin', storePage(aStore({ status: 'Provisioning' })));
    const button = (await screen.findByRole('button', { name: 'Suspend…' })) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(screen.getByText(/Only Ready stores can be suspended/)).toBeTruthy();
  });

  it('gives a viewer no suspend or resume control', async () => {
    renderAt('/stores/st_acme', 'viewer', storePage(aStore({ status: 'Suspended' })));
    expect(await screen.findByText(/shoppers see a maintenance page/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /suspend|resume/i })).toBeNull();
    expect(screen.queryByRole('tab', { name: 'Actions' })).toBeNull();
  });

  it('badges every status with its name, a class and a shape', () => {
    const statuses: StoreStatus[] = ['Suspending', 'Suspended', 'Resuming'];
    for (const s of statuses) expect(STORE_STATUSES).toContain(s);
    for (const status of STORE_STATUSES) {
      const { container, unmount } = render(<StatusBadge status={status} />);
      const badge = container.querySelector('[data-status]')!;
      expect(badge.getAttribute('data-status')).toBe(status);
      expect(badge.className).toBe(`badge badge-${status.toLowerCase()}`);
      expect(badge.textContent).toMatch(new RegExp(`^\\S+ ${status}$`));
      unmount();
    }
  });
});

describe('undelete in the dashboard', () => {
  it('shows a soft-deleted store\'s purge time instead of Delete, and undeletes it', async () => {
    const purgeAt = '2026-12-10T12:00:00.000Z';
    const { calls, user } = renderAt('/stores/st_acme/actions', 'admin', changingStore(aStore({ status: 'Deleting', purgeAt }), 'undelete', aStore({ status: 'Resuming', purgeAt: null })));
    const button = await screen.findByRole('button', { name: 'Undelete' });
    expect(button.closest('.card')?.querySelector('time')?.getAttribute('datetime')).toBe(purgeAt);
    expect(screen.queryByRole('button', { name: 'Delete…' })).toBeNull();
    await user.click(button);
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST').map((c) => c.url.pathname)).toEqual(['/api/v1/stores/st_acme/actions/undelete']));
    await waitFor(() => expect(document.querySelector('[data-status]')?.getAttribute('data-status')).toBe('Resuming'));
    expect(screen.queryByRole('button', { name: 'Undelete' })).toBeNull();
  });

  it('offers no undelete for a store deleted without a window', async () => {
    renderAt('/stores/st_acme/actions', 'admin', storePage(aStore({ status: 'Deleting', purgeAt: null })));
    expect(((await screen.findByRole('button', { name: 'Delete…' })) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Undelete' })).toBeNull();
  });
});
