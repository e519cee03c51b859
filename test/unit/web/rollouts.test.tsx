import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/web/api/client';
import { App } from '../../../src/web/app';
import { parseWaves, type Rollout } from '../../../src/web/lib/rollouts';
import { ENGINES_REPLY, json, mockFetch, problem, sse, type Recorded } from './fetch-mock';
import { renderAt } from './render-app';

/** GET /api/v1/rollouts/{id} as the platform answers it: 3 WooCommerce stores in waves [1, 2], the canary done. */
function aRollout(over: Partial<Rollout> = {}): Rollout {
  return {
    id: 'ro_1',
    engine: 'woocommerce',
    version: '7.1.0-wc10.4.0',
    selector: {},
    waves: [1, 2],
    maxFailures: 0,
    pauseSeconds: 0,
    status: 'Running',
    statusReason: null,
    wave: 2,
    nextWaveAt: null,
    counts: { Pending: 1, Upgrading: 1, Succeeded: 1, RolledBack: 0, Failed: 0, Skipped: 0 },
    failures: 0,
    createdBy: 'k_admin',
    createdAt: '2026-11-24T07:00:00.000Z',
    finishedAt: null,
    stores: [
      { storeId: 'st_a', wave: 1, fromVersion: '7.0.2-wc10.3.0', status: 'Succeeded', reason: null, startedAt: '2026-11-24T07:00:01.000Z', finishedAt: '2026-11-24T07:00:30.000Z' },
      { storeId: 'st_b', wave: 2, fromVersion: '7.0.2-wc10.3.0', status: 'Upgrading', reason: null, startedAt: '2026-11-24T07:00:31.000Z', finishedAt: null },
      { storeId: 'st_c', wave: 2, fromVersion: '7.0.2-wc10.3.0', status: 'Pending', reason: null, startedAt: null, finishedAt: null },
    ],
    ...over,
  };
}

const listed = (r: Rollout) => {
  const { stores: _stores, ...rest } = r;
  return rest;
};

/** The detail page over a stream that sends `rollout` and stays open; actions answer the rollout with the status they lead to. */
function detailServer(rollout: Rollout) {
  const after = { pause: 'Paused', resume: 'Running', abort: 'Aborted' } as const;
  const routes: Parameters<typeof renderAt>[2] = { 'GET /api/v1/rollouts/ro_1/stream': () => sse([{ event: 'rollout', data: rollout }]) };
  for (const [a, status] of Object.entries(after)) routes[`POST /api/v1/rollouts/ro_1/${a}`] = json(200, { ...rollout, status });
  return routes;
}

const posts = (calls: Recorded[]) => calls.filter((c) => c.method === 'POST').map((c) => c.url.pathname);
const actionButtons = () => screen.queryAllByRole('button', { name: /^(Pause|Resume|Abort)/ }).map((b) => b.textContent);

describe('rollouts in the dashboard', () => {
  it('lists rollouts with version, engine, status, wave k of n, stores by status and who started them', async () => {
    renderAt('/rollouts', 'admin', {
      'GET /api/v1/rollouts': json(200, {
        items: [
          listed(aRollout()),
          listed(aRollout({ id: 'ro_0', engine: 'medusa', version: '2.21.2', status: 'Succeeded', wave: 3, waves: [1, 1], counts: { Pending: 0, Upgrading: 0, Succeeded: 2, RolledBack: 0, Failed: 0, Skipped: 0 } })),
        ],
      }),
    });
    const table = await screen.findByRole('table', { name: 'Rollouts' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => Array.from(r.querySelectorAll('td')).slice(0, 5).map((td) => td.textContent))).toEqual([
      ['7.1.0-wc10.4.0', 'woocommerce', '◐ Running', '2 of 2', '1 Pending · 1 Upgrading · 1 Succeeded'],
      ['2.21.2', 'medusa', '● Succeeded', '2 of 2', '2 Succeeded'],
    ]);
    expect(within(rows[0]!).getByRole('link', { name: '7.1.0-wc10.4.0' }).getAttribute('href')).toBe('/rollouts/ro_1');
    expect(within(rows[0]!).getByText('by k_admin')).toBeTruthy();
  });

  it('posts the form with the selector and the waves as numbers and "N%" strings, then opens the new rollout', async () => {
    const { calls, user, loc } = renderAt('/rollouts', 'admin', {
      'GET /api/v1/rollouts': json(200, { items: [] }),
      'GET /api/v1/engines': json(200, ENGINES_REPLY),
      'POST /api/v1/rollouts': json(201, aRollout({ id: 'ro_2' })),
      'GET /api/v1/rollouts/ro_2/stream': () => sse([{ event: 'rollout', data: aRollout({ id: 'ro_2' }) }]),
    });
    await screen.findByText(/No rollouts yet/);
    await user.click(screen.getByRole('button', { name: 'New rollout' }));
    const form = within(screen.getByRole('form', { name: 'New rollout' }));
    await waitFor(() => expect((form.getByLabelText('Engine') as HTMLSelectElement).value).toBe('woocommerce'));
    // the release new stores get is the one suggested
    expect((form.getByLabelText('Target version') as HTMLSelectElement).value).toBe('7.2.0-wc10.5.0');
    await user.selectOptions(form.getByLabelText('Target version'), '7.1.0-wc10.4.0');
    await user.selectOptions(form.getByLabelText('Only stores on'), '7.0.2-wc10.3.0');
    await user.selectOptions(form.getByLabelText('Plan'), 'small');
    await user.type(form.getByLabelText('Owner'), 'acme');
    await user.type(form.getByLabelText('Waves'), '1, 25%,100%');
    await user.clear(form.getByLabelText('Max failures'));
    await user.type(form.getByLabelText('Max failures'), '2');
    await user.clear(form.getByLabelText('Pause between waves (s)'));
    await user.type(form.getByLabelText('Pause between waves (s)'), '30');
    await user.click(form.getByRole('button', { name: 'Start rollout' }));
    await waitFor(() => expect(loc.history?.at(-1)).toBe('/rollouts/ro_2'));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([{
      engine: 'woocommerce', version: '7.1.0-wc10.4.0', selector: { plan: 'small', ownerId: 'acme', fromVersion: '7.0.2-wc10.3.0' },
      waves: [1, '25%', '100%'], maxFailures: 2, pauseSeconds: 30,
    }]);
  });

  it('leaves out empty selector fields and waves, so the server\'s defaults apply', async () => {
    const { calls, user } = renderAt('/rollouts', 'admin', {
      'GET /api/v1/rollouts': json(200, { items: [] }),
      'GET /api/v1/engines': json(200, ENGINES_REPLY),
      'POST /api/v1/rollouts': json(201, aRollout()),
      'GET /api/v1/rollouts/ro_1/stream': () => sse([{ event: 'rollout', data: aRollout() }]),
    });
    await user.click(await screen.findByRole('button', { name: 'New rollout' }));
    const form = within(screen.getByRole('form', { name: 'New rollout' }));
    await waitFor(() => expect((form.getByLabelText('Target version') as HTMLSelectElement).value).toBe('7.2.0-wc10.5.0'));
    await user.click(form.getByRole('button', { name: 'Start rollout' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { engine: 'woocommerce', version: '7.2.0-wc10.5.0', selector: {}, maxFailures: 0, pauseSeconds: 0 },
    ]));
  });

  it('fails on waves that are neither counts nor shares without asking the server', async () => {
    const { calls, user } = renderAt('/rollouts', 'admin', {
      'GET /api/v1/rollouts': json(200, { items: [] }),
      'GET /api/v1/engines': json(200, ENGINES_REPLY),
    });
    await user.click(await screen.findByRole('button', { name: 'New rollout' }));
    const form = within(screen.getByRole('form', { name: 'New rollout' }));
    await waitFor(() => expect((form.getByLabelText('Engine') as HTMLSelectElement).value).toBe('woocommerce'));
    await user.type(form.getByLabelText('Waves'), '1, half');
    await user.click(form.getByRole('button', { name: 'Start rollout' }));
    expect(await form.findByText('\'half\' is neither a number of stores nor a share such as 25%')).toBeTruthy();
    expect(posts(calls)).toEqual([]);
  });

  it('fails with the 409 problem shown when the server refuses the rollout', async () => {
    const { user, loc } = renderAt('/rollouts', 'admin', {
      'GET /api/v1/rollouts': json(200, { items: [] }),
      'GET /api/v1/engines': json(200, ENGINES_REPLY),
      'POST /api/v1/rollouts': problem(409, 'NO_STORES_SELECTED', 'no live woocommerce store matches the selector on another release than 7.2.0-wc10.5.0'),
    });
    await user.click(await screen.findByRole('button', { name: 'New rollout' }));
    const form = within(screen.getByRole('form', { name: 'New rollout' }));
    await waitFor(() => expect((form.getByLabelText('Engine') as HTMLSelectElement).value).toBe('woocommerce'));
    await user.click(form.getByRole('button', { name: 'Start rollout' }));
    const alert = await form.findByRole('alert');
    expect(alert.textContent).toMatch(/^Could not start the rollout: NO_STORES_SELECTED — no live woocommerce store matches the selector/);
    expect(loc.history?.at(-1)).toBe('/rollouts');
  });

  it('shows each wave with its stores, linked to their pages, with status and reason, followed over the stream', async () => {
    const rolledBack = aRollout({
      status: 'Halted', statusReason: 'halted: 1 store failed or rolled back, more than the 0 allowed', failures: 1,
      stores: [
        ...aRollout().stores!.slice(0, 2),
        { storeId: 'st_c', wave: 2, fromVersion: '7.0.2-wc10.3.0', status: 'RolledBack', reason: 'Upgrade rolled back: store-check failed', startedAt: null, finishedAt: null },
      ],
    });
    const { calls } = renderAt('/rollouts/ro_1', 'admin', { 'GET /api/v1/rollouts/ro_1/stream': () => sse([{ event: 'rollout', data: aRollout() }, { event: 'rollout', data: rolledBack }]) });
    const wave2 = await screen.findByRole('region', { name: 'Wave 2' });
    await within(wave2).findByText('Upgrade rolled back: store-check failed');
    const rows = (name: string) => within(screen.getByRole('table', { name })).getAllByRole('row').slice(1)
      .map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent));
    expect(rows('Wave 1 stores')).toEqual([['st_a', '7.0.2-wc10.3.0', '● Succeeded', '']]);
    expect(rows('Wave 2 stores')).toEqual([
      ['st_b', '7.0.2-wc10.3.0', '⇡ Upgrading', ''],
      ['st_c', '7.0.2-wc10.3.0', '↺ RolledBack', 'Upgrade rolled back: store-check failed'],
    ]);
    expect(within(wave2).getByRole('link', { name: 'st_c' }).getAttribute('href')).toBe('/stores/st_c');
    expect(screen.getByRole('heading', { name: 'Wave 1 (canary)' })).toBeTruthy();
    expect(screen.getByText(/^halted: 1 store failed/)).toBeTruthy();
    expect(document.querySelector('.store-facts [data-status]')?.getAttribute('data-status')).toBe('Halted');
    expect(calls.map((c) => c.headers.get('accept'))).toEqual(['text/event-stream']);
  });

  it.each([
    ['Running', ['Pause', 'Abort…']],
    ['Paused', ['Resume', 'Abort…']],
    ['Halted', ['Resume', 'Abort…']],
    ['Succeeded', []],
    ['Aborted', []],
  ] as const)('offers a %s rollout the actions %j', async (status, buttons) => {
    renderAt('/rollouts/ro_1', 'admin', detailServer(aRollout({ status })));
    await screen.findByRole('region', { name: 'Wave 1' });
    expect(actionButtons()).toEqual(buttons);
  });

  it('pauses at once and aborts only after the confirmation', async () => {
    const { calls, user } = renderAt('/rollouts/ro_1', 'admin', detailServer(aRollout()));
    await user.click(await screen.findByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(actionButtons()).toEqual(['Resume', 'Abort…']));
    expect(posts(calls)).toEqual(['/api/v1/rollouts/ro_1/pause']);

    await user.click(screen.getByRole('button', { name: 'Abort…' }));
    const dialog = screen.getByRole('dialog', { name: 'Abort the rollout to 7.1.0-wc10.4.0?' });
    expect(within(dialog).getByText(/cannot be resumed/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(posts(calls)).toEqual(['/api/v1/rollouts/ro_1/pause']);

    await user.click(screen.getByRole('button', { name: 'Abort…' }));
    await user.click(within(screen.getByRole('dialog', { name: /^Abort the rollout/ })).getByRole('button', { name: 'Abort rollout' }));
    await waitFor(() => expect(actionButtons()).toEqual([]));
    expect(posts(calls)).toEqual(['/api/v1/rollouts/ro_1/pause', '/api/v1/rollouts/ro_1/abort']);
    expect(document.querySelector('.store-facts [data-status]')?.getAttribute('data-status')).toBe('Aborted');
  });

  it.each(['owner', 'viewer'] as const)('hides rollouts from an %s key: no navigation link, and the page asks the API nothing', async (role: Role) => {
    for (const path of ['/rollouts', '/rollouts/ro_1']) {
      const { calls } = renderAt(path, role, {});
      expect(await screen.findByText(/only platform admin keys see and start them/)).toBeTruthy();
      expect(calls).toEqual([]);
      cleanup();
    }

    sessionStorage.setItem('store-platform.session', JSON.stringify({ apiKey: 'sp_key', role }));
    mockFetch({ 'GET /api/v1/stores': json(200, { items: [], nextCursor: null }), 'GET /api/v1/stores/stream': () => sse([]) });
    render(<App />);
    const nav = within(await screen.findByRole('navigation', { name: 'Main' }));
    expect(nav.getAllByRole('link').map((l) => l.textContent)).toEqual(['Stores', 'Audit log']);
  });

  it('shows an admin key the Rollouts link', async () => {
    sessionStorage.setItem('store-platform.session', JSON.stringify({ apiKey: 'sp_key', role: 'admin' }));
    mockFetch({
      'GET /api/v1/stores': json(200, { items: [], nextCursor: null }),
      'GET /api/v1/stores/stream': () => sse([]),
      'GET /api/v1/owners': json(200, { items: [] }),
    });
    render(<App />);
    const nav = within(await screen.findByRole('navigation', { name: 'Main' }));
    expect(nav.getAllByRole('link').map((l) => l.textContent)).toEqual(['Stores', 'Audit log', 'Rollouts', 'Owners']);
  });

  it('parses waves into counts and shares, empty into the server default', () => {
    expect(parseWaves('1, 25%, 100%')).toEqual({ waves: [1, '25%', '100%'] });
    expect(parseWaves('5 12.5% 100%')).toEqual({ waves: [5, '12.5%', '100%'] });
    expect(parseWaves('  ')).toEqual({ waves: undefined });
    expect(parseWaves('0')).toEqual({ error: '\'0\' is neither a number of stores nor a share such as 25%' });
    expect(parseWaves('1, 150%')).toEqual({ error: '\'150%\' is neither a number of stores nor a share such as 25%' });
  });
});
