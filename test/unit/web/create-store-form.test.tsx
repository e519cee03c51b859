import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createApi } from '../../../src/web/api/client';
import { CreateStoreForm } from '../../../src/web/components/create-store-dialog';
import { TestSessionProvider } from '../../../src/web/context';
import { validateStoreForm, EMPTY_FORM } from '../../../src/web/lib/store-form';
import { aStore, ENGINES_REPLY, json, mockFetch, problem } from './fetch-mock';

function setup(routes: Parameters<typeof mockFetch>[0] = {}) {
  const all = mockFetch({ 'GET /api/v1/engines': json(200, ENGINES_REPLY), ...routes });
  // what the form sent; the engines lookup is a read
  const sent = () => all.filter((c) => c.method !== 'GET');
  const onCreated = vi.fn();
  const api = createApi('sp_test_key', { baseUrl: 'http://dashboard.test' });
  render(
    <TestSessionProvider api={api} role="admin">
      <CreateStoreForm onCreated={onCreated} onCancel={() => undefined} />
    </TestSessionProvider>,
  );
  return { sent, onCreated, user: userEvent.setup() };
}

const field = (name: RegExp) => screen.getByLabelText(name);

async function fillValid(user: ReturnType<typeof userEvent.setup>) {
  await user.type(field(/^name$/i), 'acme-shop');
  await user.type(field(/store title/i), 'Acme Shop');
  await user.type(field(/admin email/i), 'owner@example.com');
}

describe('create store form', () => {
  it('fails to submit an empty form: inline messages, first invalid field focused, no request', async () => {
    const { sent, user } = setup();
    await user.click(screen.getByRole('button', { name: /create store/i }));
    expect(field(/^name$/i).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/name must be at least 3 characters/i)).toBeTruthy();
    expect(field(/store title/i).getAttribute('aria-invalid')).not.toBe('true'); // optional
    expect(screen.getByText(/enter an email address/i)).toBeTruthy();
    expect(document.activeElement).toBe(field(/^name$/i));
    expect(sent()).toHaveLength(0);
  });

  it('links each message to its field with aria-describedby', async () => {
    const { user } = setup();
    await user.type(field(/^name$/i), 'Acme Shop');
    await user.tab();
    const input = field(/^name$/i);
    const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
    const messages = ids.map((id) => document.getElementById(id)?.textContent ?? '');
    expect(messages.join(' ')).toMatch(/lowercase letters, digits and "-"/);
  });

  it.each([
    ['ab', /at least 3 characters/],
    ['a'.repeat(41), /at most 40 characters/],
    ['Acme', /lowercase letters/],
    ['-acme', /starting and ending with a letter or digit/],
    ['acme_shop', /lowercase letters/],
  ])('fails on the name %s with the API rule', async (name, message) => {
    const { user } = setup();
    await user.type(field(/^name$/i), name);
    await user.tab();
    expect(screen.getByText(message)).toBeTruthy();
  });

  it('shows messages only for fields the user has left, until the first submit', async () => {
    const { user } = setup();
    await user.type(field(/^name$/i), 'ok-name');
    await user.tab();
    expect(screen.queryByText(/enter an email address/i)).toBeNull();
    await user.click(field(/admin email/i));
    await user.type(field(/admin email/i), 'not-an-email');
    await user.tab();
    expect(screen.getByText(/enter an email address/i)).toBeTruthy();
  });

  it('fails on a bad currency and custom domain the way the API does', async () => {
    const { user } = setup();
    await user.clear(field(/currency/i));
    await user.type(field(/currency/i), 'us');
    expect((field(/currency/i) as HTMLInputElement).value).toBe('US'); // typed upper case
    await user.tab();
    expect(screen.getByText(/ISO 4217 code like USD/)).toBeTruthy();
    await user.type(field(/custom domain/i), 'not a host');
    await user.tab();
    expect(screen.getByText(/host name like shop\.example\.com/)).toBeTruthy();
  });

  it('offers the engines the API names, each with its own plans, and posts the chosen engine', async () => {
    const created = aStore({ name: 'acme-shop', engine: 'medusa', status: 'Pending' });
    const { sent, onCreated, user } = setup({ 'POST /api/v1/stores': json(202, created) });
    const engine = field(/engine/i) as HTMLSelectElement;
    await waitFor(() => expect([...engine.options].map((o) => o.text)).toEqual(['WooCommerce', 'Medusa']));
    await fillValid(user);
    // small is not a Medusa plan here: choosing Medusa moves the plan to its first
    await user.selectOptions(engine, 'medusa');
    const plan = field(/plan/i) as HTMLSelectElement;
    expect([...plan.options].map((o) => o.value)).toEqual(['standard', 'large']);
    expect(plan.value).toBe('standard');
    await user.click(screen.getByRole('button', { name: /create store/i }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(sent()[0]!.body).toMatchObject({ engine: 'medusa', plan: 'standard' });
  });

  it('posts a valid store with an Idempotency-Key and hands back the Pending store', async () => {
    const created = aStore({ name: 'acme-shop', status: 'Pending', queuePosition: 1 });
    const { sent, onCreated, user } = setup({ 'POST /api/v1/stores': json(202, created) });
    await fillValid(user);
    await user.selectOptions(field(/plan/i), 'standard');
    await user.click(screen.getByRole('button', { name: /create store/i }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(sent()).toHaveLength(1);
    expect(sent()[0]!.body).toEqual({ name: 'acme-shop', title: 'Acme Shop', adminEmail: 'owner@example.com', engine: 'woocommerce', plan: 'standard', currency: 'USD' });
    expect(sent()[0]!.headers.get('authorization')).toBe('Bearer sp_test_key');
    expect(sent()[0]!.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fails with the server\'s field errors next to the fields', async () => {
    const { onCreated, user } = setup({
      'POST /api/v1/stores': problem(400, 'VALIDATION_FAILED', '1 invalid field', { errors: [{ in: 'body', path: '/adminEmail', message: 'domain does not accept mail' }] }),
    });
    await fillValid(user);
    await user.click(screen.getByRole('button', { name: /create store/i }));
    expect(await screen.findByText('domain does not accept mail')).toBeTruthy();
    expect(field(/admin email/i).getAttribute('aria-invalid')).toBe('true');
    expect(onCreated).not.toHaveBeenCalled();
  });

  it('fails on a taken name with the conflict shown at the name field', async () => {
    const { user } = setup({ 'POST /api/v1/stores': problem(409, 'STORE_NAME_TAKEN', "a live store is already named 'acme-shop'") });
    await fillValid(user);
    await user.click(screen.getByRole('button', { name: /create store/i }));
    const messages = await screen.findAllByText(/already named 'acme-shop'/);
    expect(messages.length).toBeGreaterThanOrEqual(1);
    expect(document.activeElement).toBe(field(/^name$/i));
  });

  it('leaves a blank title out, so the server names the store after its name', () => {
    const ok = validateStoreForm({ ...EMPTY_FORM, name: 'acme-shop', title: '  ', adminEmail: 'a@b.co' });
    expect(ok).toEqual({ ok: true, body: { name: 'acme-shop', adminEmail: 'a@b.co', engine: 'woocommerce', plan: 'small', currency: 'USD' } });
  });

  it('accepts exactly what the API schema accepts', () => {
    const ok = validateStoreForm({ ...EMPTY_FORM, name: 'abc', title: ' T ', adminEmail: 'a@b.co', customDomain: 'Shop.Example.com' });
    expect(ok).toEqual({ ok: true, body: { name: 'abc', title: 'T', adminEmail: 'a@b.co', engine: 'woocommerce', plan: 'small', currency: 'USD', customDomain: 'shop.example.com' } });
    expect(validateStoreForm({ ...EMPTY_FORM, name: 'abc', title: 'T', adminEmail: 'a@b.co', plan: 'huge' })).toEqual({ ok: false, errors: { plan: 'choose a plan' } });
  });
});
