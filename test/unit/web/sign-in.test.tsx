import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src/web/app';
import { json, mockFetch, problem, sse } from './fetch-mock';

const signedInRoutes = {
  'GET /api/v1/stores': json(200, { items: [], nextCursor: null }),
  'GET /api/v1/stores/stream': () => sse([]),
};

describe('sign-in', () => {
  it('keeps the key and its role in sessionStorage and hides mutating controls from a viewer', async () => {
    mockFetch({ ...signedInRoutes, 'GET /api/v1/me': json(200, { keyId: 'k2', name: 'ops', role: 'viewer' }) });
    const user = userEvent.setup();
    render(<App />);
    await user.type(screen.getByLabelText('API key'), 'sp_viewer_key');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Viewer (read-only)')).toBeTruthy();
    expect(JSON.parse(sessionStorage.getItem('store-platform.session')!)).toEqual({ apiKey: 'sp_viewer_key', role: 'viewer', keyId: 'k2' });
    expect(screen.queryByRole('button', { name: /create/i })).toBeNull();
    expect(localStorage.getItem('store-platform.session')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(screen.getByLabelText('API key')).toBeTruthy();
    expect(sessionStorage.getItem('store-platform.session')).toBeNull();
  });

  it('fails with a clear message for an unknown key and stays signed out', async () => {
    mockFetch({ 'GET /api/v1/me': problem(401, 'UNAUTHORIZED', 'the API key is unknown or revoked') });
    const user = userEvent.setup();
    render(<App />);
    await user.type(screen.getByLabelText('API key'), 'sp_wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/does not know this API key/);
    expect(sessionStorage.getItem('store-platform.session')).toBeNull();
  });

  it('fails on an empty key without asking the server', async () => {
    const calls = mockFetch({});
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByText('enter an API key')).toBeTruthy();
    expect(calls).toHaveLength(0);
  });
});
