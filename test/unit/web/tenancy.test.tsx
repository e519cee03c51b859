import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/web/api/client';
import { aStore, json, sse } from './fetch-mock';
import { renderAt } from './render-app';

const owner = {
  id: 'acme', name: 'Acme Ltd', allowedPlans: ['small'], allowedEngines: null, maxStores: 2, maxCpuMillis: null, maxMemoryMiB: 3072,
  usage: { stores: 1, cpuMillis: 1000, memoryMiB: 1536 }, createdAt: '2026-11-24T07:00:00.000Z', updatedAt: '2026-11-24T07:00:00.000Z',
};

function renderStores(role: Role, me: unknown, apiOwner?: string) {
  return renderAt('/', role, {
    'GET /api/v1/me': json(200, me),
    'GET /api/v1/stores': json(200, { items: [aStore({ ownerId: 'acme' })], nextCursor: null }),
    'GET /api/v1/stores/stream': () => sse([]),
  }, apiOwner).calls;
}

describe('the dashboard for an owner', () => {
  it('shows an owner key its usage against its limits and lets it create stores', async () => {
    renderStores('owner', { keyId: 'k1', name: 'acme owner', role: 'owner', ownerId: 'acme', owner });
    const usage = await screen.findByRole('region', { name: 'Usage of Acme Ltd' });
    expect(within(usage).getByRole('meter', { name: 'Live stores used' }).getAttribute('aria-valuetext')).toBe('1 of 2 (50%)');
    expect(within(usage).getByRole('meter', { name: 'Memory used' }).getAttribute('aria-valuetext')).toBe('1536Mi of 3072Mi (50%)');
    expect(within(usage).getByText('1000m (no limit)')).toBeTruthy();
    expect(within(usage).getByText(/Plans: small · Engines: all/)).toBeTruthy();
    expect(screen.getByRole('button', { name: '+ Create store' })).toBeTruthy();
  });

  it('shows no usage to an admin acting for nobody, and sends X-Owner on every call once it acts for one', async () => {
    renderStores('admin', { keyId: 'k0', name: 'ops', role: 'admin', ownerId: null, owner: null });
    await screen.findByText('Acme Shop');
    expect(screen.queryByRole('region', { name: /Usage of/ })).toBeNull();

    const calls = renderStores('admin', { keyId: 'k0', name: 'ops', role: 'admin', ownerId: 'acme', owner }, 'acme');
    await screen.findByRole('region', { name: 'Usage of Acme Ltd' });
    const api = calls.filter((c) => c.url.pathname.startsWith('/api/v1/') && c.url.pathname !== '/api/v1/stores/stream');
    expect(api.length).toBeGreaterThan(1);
    expect(api.map((c) => c.headers.get('x-owner'))).toEqual(api.map(() => 'acme'));
  });
});
