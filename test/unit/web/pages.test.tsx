import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aStore, json, sse } from './fetch-mock';
import { renderAt } from './render-app';

const list = (...items: unknown[]) => json(200, { items, nextCursor: null });
const health = {
  storeId: 'st_acme',
  pods: [
    { name: 'mysql-0', component: 'mysql', phase: 'Running', ready: true, restarts: 0, lastTermination: null, ageSeconds: 90 },
    { name: 'wordpress-abc', component: 'wordpress', phase: 'Running', ready: false, restarts: 2, lastTermination: 'OOMKilled', ageSeconds: 4000 },
  ],
  pvcs: [{ name: 'mysql-data', phase: 'Bound', size: '2Gi' }],
  quota: [
    { resource: 'requests.cpu', used: '500m', hard: '1' },
    { resource: 'requests.memory', used: '1536Mi', hard: '1536Mi' },
  ],
  mail: { status: 'relay', relay: 'smtp.example.com:587 (STARTTLS)', from: 'shop@example.com', detail: "mail goes through the platform's SMTP relay" },
};
const storePage = (store = aStore()) => ({
  'GET /api/v1/stores/st_acme': json(200, store),
  'GET /api/v1/stores/st_acme/events/stream': () => sse([{ event: 'store', data: store }], false),
  'GET /api/v1/stores/st_acme/health': json(200, health),
});

describe('stores page', () => {
  it('explains the first step when there are no stores', async () => {
    renderAt('/', 'admin', { 'GET /api/v1/stores': list(), 'GET /api/v1/stores/stream': () => sse([]) });
    expect(await screen.findByRole('heading', { name: 'No stores yet' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create your first store' })).toBeTruthy();
  });

  it('shows a viewer key no create control, not even in the empty state', async () => {
    renderAt('/', 'viewer', { 'GET /api/v1/stores': list(), 'GET /api/v1/stores/stream': () => sse([]) });
    expect(await screen.findByText(/your key is a viewer key/i)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /create/i })).toBeNull();
  });

  it('lists stores with status, URLs and exact plus relative creation time', async () => {
    renderAt('/', 'viewer', {
      'GET /api/v1/stores': list(aStore(), aStore({ name: 'beta', status: 'Pending', queuePosition: 2, readyAt: null })),
      'GET /api/v1/stores/stream': () => sse([]),
    });
    const row = (await screen.findByRole('link', { name: 'acme' })).closest('tr')!;
    expect(within(row).getByText('Ready')).toBeTruthy();
    expect(within(row).getByRole('link', { name: /^store acme/i }).getAttribute('href')).toBe('http://acme.127.0.0.1.nip.io');
    expect(within(row).getByText('2026-11-24 07:00:00 UTC')).toBeTruthy();
    expect(within(row).getByText(/ago$/)).toBeTruthy();
    const beta = screen.getByRole('link', { name: 'beta' }).closest('tr')!;
    expect(within(beta).getByText(/#2 in queue/)).toBeTruthy();
  });

  it('applies live updates from the event stream', async () => {
    let push: (chunk: string) => void = () => undefined;
    renderAt('/', 'viewer', {
      'GET /api/v1/stores': list(aStore({ status: 'Provisioning', readyAt: null })),
      'GET /api/v1/stores/stream': () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(ctl) {
              push = (chunk) => ctl.enqueue(new TextEncoder().encode(chunk));
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    });
    const row = (await screen.findByRole('link', { name: 'acme' })).closest('tr')!;
    expect(within(row).getByText('Provisioning')).toBeTruthy();
    await waitFor(() => expect(screen.getByText('Live')).toBeTruthy());
    act(() => push(`event: store\ndata: ${JSON.stringify(aStore({ status: 'Ready' }))}\n\n`));
    await waitFor(() => expect(within(row).getByText('Ready')).toBeTruthy());
  });

  it('asks the API for the chosen status and keeps it in the URL', async () => {
    const { calls, loc, user } = renderAt('/', 'viewer', { 'GET /api/v1/stores': list(), 'GET /api/v1/stores/stream': () => sse([]) });
    await screen.findByText(/no stores yet/i);
    await user.selectOptions(screen.getByLabelText('Status'), 'Failed');
    expect(await screen.findByRole('heading', { name: 'No Failed stores' })).toBeTruthy();
    expect(calls.filter((c) => c.url.pathname === '/api/v1/stores').map((c) => c.url.searchParams.get('status'))).toContain('Failed');
    expect(loc.history?.at(-1)).toBe('/?status=Failed');
  });
});

describe('store page', () => {
  it('lists the store\'s conditions with Ready last', async () => {
    const at = '2026-11-24T07:01:00.000Z';
    renderAt('/stores/st_acme', 'viewer', storePage(aStore({ status: 'Failed', conditions: [
      { type: 'Mysql', status: 'True', reason: 'Succeeded', message: '', lastTransitionTime: at },
      { type: 'StoreSetup', status: 'False', reason: 'Failed', message: 'job failed', lastTransitionTime: at },
      { type: 'Ready', status: 'False', reason: 'StepFailed', message: 'store-setup failed', lastTransitionTime: at },
    ] })));
    const table = within(await screen.findByRole('region', { name: 'Conditions' }));
    const rows = table.getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').slice(0, 3).map((c) => c.textContent?.trim()));
    expect(rows).toEqual([['Mysql', '✓ True', 'Succeeded'], ['StoreSetup', '✕ False', 'Failed'], ['Ready', '✕ False', 'StepFailed']]);
  });

  it('offers a viewer Timeline, Health, Logs and Backups but no Actions', async () => {
    renderAt('/stores/st_acme', 'viewer', storePage());
    const tabs = await screen.findAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['Timeline', 'Health', 'Logs', 'Backups']);
  });

  const aBackup = (over: Record<string, unknown> = {}) => ({
    id: 'mx6a-1f2e3d', storeId: 'st_acme', kind: 'on-demand', status: 'Succeeded', sizeBytes: 2_725_000, durationMs: 7_000,
    startedAt: '2026-11-24T07:00:00.000Z', finishedAt: '2026-11-24T07:00:07.000Z', expiresAt: '2026-12-01T07:00:00.000Z',
    errorStep: null, errorReason: null, createdBy: 'k1', createdAt: '2026-11-24T07:00:00.000Z', ...over,
  });

  it('lists a viewer the backups with size, duration and failure, and no control', async () => {
    renderAt('/stores/st_acme/backups', 'viewer', {
      ...storePage(),
      'GET /api/v1/stores/st_acme/backups': json(200, { items: [aBackup(), aBackup({ id: 'mx69-000001', kind: 'final', status: 'Failed', sizeBytes: null, errorStep: 'backup', errorReason: 'target unreachable' })] }),
    });
    const ok = (await screen.findByText('2.6 MiB')).closest('tr')!;
    expect(within(ok).getByText('on-demand')).toBeTruthy();
    expect(within(ok).getByText('7.0 s')).toBeTruthy();
    expect(screen.getByText(/at backup: target unreachable/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /back up now/i })).toBeNull();
    expect(screen.queryByRole('button', { name: /^restore$/i })).toBeNull();
  });

  it('backs up now and restores a succeeded backup only after the confirmation', async () => {
    const { calls, user } = renderAt('/stores/st_acme/backups', 'admin', {
      ...storePage(aStore({ status: 'Ready' })),
      'GET /api/v1/stores/st_acme/backups': json(200, { items: [aBackup(), aBackup({ id: 'mx69-000001', status: 'Failed' })] }),
      'POST /api/v1/stores/st_acme/backups': json(202, aBackup({ id: 'mx6b-000002', status: 'Pending', startedAt: null })),
      'POST /api/v1/stores/st_acme/restore': json(202, { id: 'r1', storeId: 'st_acme', backupId: 'mx6a-1f2e3d', status: 'Pending', step: null, durationMs: null, startedAt: null, finishedAt: null, errorStep: null, errorReason: null, createdBy: 'k1', createdAt: '2026-11-24T08:00:00.000Z' }),
    });
    await user.click(await screen.findByRole('button', { name: /back up now/i }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url.pathname.endsWith('/backups'))).toBe(true));
    const restores = screen.getAllByRole('button', { name: /^restore$/i });
    expect(restores.map((b) => (b as HTMLButtonElement).disabled)).toEqual([false, true]); // a failed backup cannot be restored
    await user.click(restores[0]!);
    expect(calls.some((c) => c.url.pathname.endsWith('/restore'))).toBe(false);
    await user.click(await screen.findByRole('button', { name: /restore this backup/i }));
    await waitFor(() => expect(calls.find((c) => c.url.pathname.endsWith('/restore'))?.body).toEqual({ backupId: 'mx6a-1f2e3d' }));
  });

  it('offers an admin the Actions tab too, reachable with the arrow keys', async () => {
    const { user } = renderAt('/stores/st_acme', 'admin', storePage());
    const timeline = await screen.findByRole('tab', { name: 'Timeline' });
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Timeline', 'Health', 'Logs', 'Backups', 'Actions']);
    timeline.focus();
    await user.keyboard('{End}');
    await waitFor(() => expect(screen.getByRole('tab', { name: 'Actions' }).getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Actions' }));
  });

  it('offers the store\'s own components to restart and logs (a Medusa store with its worker)', async () => {
    const medusa = aStore({ engine: 'medusa', components: ['postgres', 'redis', 'medusa', 'worker'] });
    const options = (label: string) => [...(screen.getByLabelText(label) as HTMLSelectElement).options].map((o) => o.value);
    const { user } = renderAt('/stores/st_acme', 'admin', { ...storePage(medusa), 'GET /api/v1/stores/st_acme/logs': json(200, { storeId: 'st_acme', entries: [] }) });
    await user.click(await screen.findByRole('tab', { name: 'Logs' }));
    await waitFor(() => expect(options('Component')).toEqual(['', 'postgres', 'redis', 'medusa', 'worker']));
    await user.click(screen.getByRole('tab', { name: 'Actions' }));
    await waitFor(() => expect(options('Restart')).toEqual(['', 'postgres', 'redis', 'medusa', 'worker']));
  });

  it('draws quota usage as labelled bars and flags pods that are not ready', async () => {
    renderAt('/stores/st_acme/health', 'viewer', storePage());
    const cpu = await screen.findByRole('meter', { name: 'requests.cpu used' });
    expect(cpu.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByRole('meter', { name: 'requests.memory used' }).getAttribute('aria-valuenow')).toBe('100');
    const wp = screen.getByText('wordpress-abc').closest('tr')!;
    expect(within(wp).getByText(/not ready/i)).toBeTruthy();
    expect(within(wp).getByText('1h6m')).toBeTruthy();
    expect(within(wp).getByText(/last: OOMKilled/)).toBeTruthy();
    expect(within(screen.getByText('mysql-0').closest('tr')!).queryByText(/last:/)).toBeNull();
  });

  it('says whether the store sends mail, and through which relay', async () => {
    renderAt('/stores/st_acme/health', 'viewer', storePage());
    expect(await screen.findByText('✓ Sends mail')).toBeTruthy();
    expect(screen.getByText('smtp.example.com:587 (STARTTLS)')).toBeTruthy();
  });

  it('flags a store whose mail is off', async () => {
    renderAt('/stores/st_acme/health', 'viewer', { ...storePage(), 'GET /api/v1/stores/st_acme/health': json(200, { ...health, mail: { status: 'off', relay: null, from: null, detail: 'no SMTP relay is configured (SMTP_HOST)' } }) });
    expect(await screen.findByText('✕ Mail off')).toBeTruthy();
    expect(screen.getByText(/no SMTP relay is configured/)).toBeTruthy();
  });

  it('deletes only after the exact name is typed', async () => {
    const { calls, user } = renderAt('/stores/st_acme/actions', 'admin', {
      ...storePage(),
      'DELETE /api/v1/stores/st_acme': json(202, aStore({ status: 'Deleting' })),
    });
    await user.click(await screen.findByRole('button', { name: 'Delete…' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete acme?' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete store' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await user.type(within(dialog).getByLabelText(/type acme to confirm/i), 'acm');
    expect(confirm.disabled).toBe(true);
    await user.type(within(dialog).getByLabelText(/type acme to confirm/i), 'e');
    expect(confirm.disabled).toBe(false);
    await user.click(confirm);
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
  });

  it('shows a reset password once, with a copy button', async () => {
    const { user } = renderAt('/stores/st_acme/actions', 'admin', {
      ...storePage(),
      'POST /api/v1/stores/st_acme/actions/reset-admin-password': json(200, { storeId: 'st_acme', username: 'admin', password: 'n3w-S3cret-pw' }),
    });
    await user.click(await screen.findByRole('button', { name: 'Reset password' }));
    await user.click(within(screen.getByRole('dialog', { name: /reset the admin password/i })).getByRole('button', { name: 'Reset password' }));
    const dialog = await screen.findByRole('dialog', { name: 'New admin password' });
    expect((within(dialog).getByLabelText('Password') as HTMLInputElement).value).toBe('n3w-S3cret-pw');
    expect(within(dialog).getByRole('button', { name: 'Copy the password' })).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByDisplayValue('n3w-S3cret-pw')).toBeNull();
  });
});

describe('audit log page', () => {
  const entry = (id: number) => ({ id, actor: 'aybrk6ul3d6m', action: 'store.create', target: `st_store${id}`, outcome: 'success', requestId: `req-${id}`, ip: '127.0.0.1', detail: null, at: '2026-11-24T07:00:00.000Z' });

  it('pages with the cursor the API returned, and back', async () => {
    const { calls, user } = renderAt('/audit', 'viewer', {
      'GET /api/v1/audit': (req) =>
        req.url.searchParams.get('cursor') === 'c2'
          ? json(200, { items: [entry(1)], nextCursor: null })
          : json(200, { items: [entry(3), entry(2)], nextCursor: 'c2' }),
    });
    await screen.findByText('st_store3');
    expect(screen.getByRole('link', { name: 'st_store3' }).getAttribute('href')).toBe('/stores/st_store3');
    const newer = screen.getByRole('button', { name: /newer/i }) as HTMLButtonElement;
    expect(newer.disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: /older/i }));
    await screen.findByText('st_store1');
    expect(screen.queryByText('st_store3')).toBeNull();
    expect(screen.getByText('Page 2')).toBeTruthy();
    expect((screen.getByRole('button', { name: /older/i }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(newer);
    await screen.findByText('st_store3');
    expect(calls.map((c) => c.url.searchParams.get('cursor'))).toEqual([null, 'c2', null]);
  });
});
