import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { upgradeTargets } from '../../../src/web/lib/engines';
import { aStore, ENGINES_REPLY, json, problem, sse, type Recorded } from './fetch-mock';
import { renderAt } from './render-app';

type AStore = ReturnType<typeof aStore>;

/** The store page over a server with ENGINES_REPLY's catalogue; an upgrade POST answers `reply` (by default: the store Upgrading to the asked release). */
function upgradeServer(before: AStore, reply?: (req: Recorded) => Response) {
  let current = before;
  return {
    'GET /api/v1/engines': json(200, ENGINES_REPLY),
    'GET /api/v1/stores/st_acme': () => json(200, current),
    'GET /api/v1/stores/st_acme/events/stream': () => sse([{ event: 'store', data: current }], false),
    'POST /api/v1/stores/st_acme/actions/upgrade': reply ?? ((req: Recorded) => {
      current = aStore({ status: 'Upgrading', version: (req.body as { version: string }).version, upgradeFrom: before.version });
      return json(202, current);
    }),
  };
}

const upgradeCard = async () => (await screen.findByRole('heading', { name: 'Upgrade' })).closest('.card') as HTMLElement;
const upgradeButton = async () => (await screen.findByRole('button', { name: /^Upgrad/ })) as HTMLButtonElement;
const posts = (calls: Recorded[]) => calls.filter((c) => c.method === 'POST');

describe('upgrade in the dashboard', () => {
  it('offers only the releases whose upgrade paths start at the store\'s, suggesting the current one', async () => {
    renderAt('/stores/st_acme/actions', 'admin', upgradeServer(aStore()));
    const card = within(await upgradeCard());
    expect(card.getByText('7.0.2-wc10.3.0', { selector: 'strong' })).toBeTruthy();
    const select = (await card.findByLabelText('Upgrade to')) as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.value)).toEqual(['7.1.0-wc10.4.0', '7.2.0-wc10.5.0']);
    expect(select.value).toBe('7.2.0-wc10.5.0');
    expect((await upgradeButton()).disabled).toBe(false);
  });

  it('posts the chosen release only after the confirmation, which names the backup and the rollback, then shows the upgrade under way', async () => {
    const { calls, user } = renderAt('/stores/st_acme/actions', 'owner', upgradeServer(aStore()));
    await user.selectOptions(await screen.findByLabelText('Upgrade to'), '7.1.0-wc10.4.0');
    await user.click(await upgradeButton());
    const dialog = screen.getByRole('dialog', { name: 'Upgrade acme to 7.1.0-wc10.4.0?' });
    expect(within(dialog).getByText(/pre-upgrade backup is taken/)).toBeTruthy();
    expect(within(dialog).getByText(/rolls back to\s+7\.0\.2-wc10\.3\.0/)).toBeTruthy();
    expect(posts(calls)).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Upgrade store' }));
    await waitFor(() => expect(posts(calls).map((c) => [c.url.pathname, c.body])).toEqual([
      ['/api/v1/stores/st_acme/actions/upgrade', { version: '7.1.0-wc10.4.0' }],
    ]));
    expect(await screen.findByText('Upgrading from 7.0.2-wc10.3.0 to 7.1.0-wc10.4.0…')).toBeTruthy();
    expect((await upgradeButton()).disabled).toBe(true);
    expect(document.querySelector('.store-facts [data-status]')?.getAttribute('data-status')).toBe('Upgrading');
    expect(screen.getByText(/7\.0\.2-wc10\.3\.0 → 7\.1\.0-wc10\.4\.0/)).toBeTruthy();
  });

  it('sends nothing when the upgrade confirmation is cancelled', async () => {
    const { calls, user } = renderAt('/stores/st_acme/actions', 'admin', upgradeServer(aStore()));
    await screen.findByLabelText('Upgrade to');
    await user.click(await upgradeButton());
    await user.click(within(screen.getByRole('dialog', { name: /^Upgrade acme/ })).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(posts(calls)).toEqual([]);
  });

  it.each(['Provisioning', 'Suspended', 'Failed'])('disables the upgrade of a %s store', async (status) => {
    renderAt('/stores/st_acme/actions', 'admin', upgradeServer(aStore({ status })));
    await screen.findByLabelText('Upgrade to');
    expect((await upgradeButton()).disabled).toBe(true);
    expect(within(await upgradeCard()).getByText(/Only Ready stores can be upgraded/)).toBeTruthy();
  });

  it('says when no release is reachable from the store\'s, with no select and no upgrade', async () => {
    renderAt('/stores/st_acme/actions', 'admin', upgradeServer(aStore({ version: '7.3.0-wc11.0.0' })));
    const card = within(await upgradeCard());
    expect(await card.findByText('No upgrade available for 7.3.0-wc11.0.0.')).toBeTruthy();
    expect(card.queryByRole('combobox')).toBeNull();
    expect((await upgradeButton()).disabled).toBe(true);
  });

  it('shows a rollback under way as such', async () => {
    renderAt('/stores/st_acme/actions', 'admin', upgradeServer(aStore({
      status: 'Upgrading', version: '7.0.2-wc10.3.0', upgradeFrom: '7.0.2-wc10.3.0', statusReason: 'Rolling back: woocommerce 7.1.0-wc10.4.0 failed at store-setup: job failed',
    })));
    expect(await screen.findByText('Rolling back to 7.0.2-wc10.3.0…')).toBeTruthy();
    expect(screen.getByText(/^Rolling back: woocommerce 7\.1\.0-wc10\.4\.0 failed/)).toBeTruthy();
    expect((await upgradeButton()).disabled).toBe(true);
  });

  it('fails with the 409 problem shown when the server refuses the release', async () => {
    const { user } = renderAt('/stores/st_acme/actions', 'admin', upgradeServer(aStore(), () =>
      problem(409, 'VERSION_NOT_ALLOWED', 'woocommerce 7.2.0-wc10.5.0 cannot be reached from 7.0.2-wc10.3.0; it upgrades from 7.1.0-wc10.4.0')));
    await screen.findByLabelText('Upgrade to');
    await user.click(await upgradeButton());
    await user.click(within(screen.getByRole('dialog', { name: /^Upgrade acme/ })).getByRole('button', { name: 'Upgrade store' }));
    const alert = await within(await upgradeCard()).findByRole('alert');
    expect(alert.textContent).toMatch(/^Upgrade failed: VERSION_NOT_ALLOWED — woocommerce 7\.2\.0-wc10\.5\.0 cannot be reached from 7\.0\.2-wc10\.3\.0/);
    expect(document.querySelector('.store-facts [data-status]')?.getAttribute('data-status')).toBe('Ready');
  });

  it('shows every key the release a store runs and why an upgrade was rolled back', async () => {
    const reason = 'Upgrade to 7.1.0-wc10.4.0 refused: the pre-upgrade backup bk_1 failed at backup: repository unreachable; nothing was changed';
    renderAt('/stores/st_acme', 'viewer', upgradeServer(aStore({ statusReason: reason })));
    expect((await screen.findByText(/woocommerce 7\.0\.2-wc10\.3\.0 · small plan/)).closest('.store-facts')).toBeTruthy();
    expect(screen.getByText(reason).getAttribute('role')).toBe('status');
  });

  it('lists each store\'s release under its engine', async () => {
    renderAt('/', 'viewer', {
      'GET /api/v1/stores': json(200, { items: [aStore(), aStore({ name: 'beta', status: 'Upgrading', version: '7.1.0-wc10.4.0', upgradeFrom: '7.0.2-wc10.3.0' })], nextCursor: null }),
      'GET /api/v1/stores/stream': () => sse([]),
    });
    const acme = (await screen.findByRole('link', { name: 'acme' })).closest('tr')!;
    expect(within(acme).getByText('7.0.2-wc10.3.0').closest('td')?.dataset.label).toBe('Engine');
    const beta = screen.getByRole('link', { name: 'beta' }).closest('tr')!;
    expect(within(beta).getByText('7.0.2-wc10.3.0 → 7.1.0-wc10.4.0')).toBeTruthy();
  });

  it('reads the upgrade targets from the catalogue\'s paths, none for an unknown engine', () => {
    const woo = ENGINES_REPLY.items[0] as Parameters<typeof upgradeTargets>[0];
    expect(upgradeTargets(woo, '6.9.1-wc10.2.0')).toEqual(['7.0.2-wc10.3.0']);
    expect(upgradeTargets(woo, '7.1.0-wc10.4.0')).toEqual(['7.2.0-wc10.5.0']);
    expect(upgradeTargets(woo, 'unknown')).toEqual([]);
    expect(upgradeTargets(undefined, '7.0.2-wc10.3.0')).toEqual([]);
  });
});
