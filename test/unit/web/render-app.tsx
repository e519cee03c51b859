import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { createApi, type Role } from '../../../src/web/api/client';
import { AppRoutes } from '../../../src/web/app';
import { ToastProvider } from '../../../src/web/components/toasts';
import { TestSessionProvider } from '../../../src/web/context';
import { mockFetch } from './fetch-mock';

/** The whole dashboard at `path`, signed in with a `role` key (acting for `owner` when given), over a fake API answering `routes`. */
export function renderAt(path: string, role: Role, routes: Parameters<typeof mockFetch>[0], owner?: string) {
  const calls = mockFetch(routes);
  const api = createApi('sp_test_key', { baseUrl: 'http://dashboard.test', owner });
  const loc = memoryLocation({ path, record: true });
  render(
    <Router hook={loc.hook} searchHook={loc.searchHook}>
      <ToastProvider>
        <TestSessionProvider api={api} role={role}>
          <AppRoutes />
        </TestSessionProvider>
      </ToastProvider>
    </Router>,
  );
  return { calls, loc, user: userEvent.setup() };
}
