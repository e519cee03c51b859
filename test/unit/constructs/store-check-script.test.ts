import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

// Runs constructs/woocommerce/scripts/store-check.sh (with the real curl) against a local stand-in for
// the ingress controller in front of WordPress + the WooCommerce Store API, and remove-check-order.sh
// against a stand-in `wp`. Both stand-ins are fakes (no WooCommerce or wp-cli here): strict ones, that
// refuse what the real ones refuse (a wrong method or route, a POST without the cart's Cart-Token or the
// current Nonce, a body that is not JSON, a payment method other than the ones offered, a checkout of an
// empty cart or without a billing email), so the passing runs prove the calls the scripts make. The PHP
// the removal runs inside WordPress is not executed here (no PHP); a real cluster runs it.
// The store's host does not resolve: only curl --connect-to to the controller reaches the fake.

const run = promisify(execFile);
const HOST = 'shop.test.example';
const CHECK_EMAIL = 'store-check@store-platform.invalid';

interface Fake {
  products: { id: number; name: string; slug: string }[];
  /** Gateways the cart offers and the checkout accepts. */
  paymentMethods: string[];
  /** What the checkout answers once it accepted the call. @default a placed order 501 */
  checkoutAnswer?: { status: number; body: unknown };
  requests: string[];
  /** Checkout bodies the fake accepted. */
  orders: Record<string, unknown>[];
}

function fakeStore(fake: Fake): Server {
  const carts = new Map<string, number[]>();
  let nonceCount = 0;
  let currentNonce = '';
  const freshNonce = () => (currentNonce = `n0nce-${++nonceCount}`);
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      fake.requests.push(`${req.method} ${req.url} host=${req.headers.host?.replace(/:\d+$/, '')}`);
      if (req.headers.host?.replace(/:\d+$/, '') !== HOST) return void res.writeHead(301, { Location: `http://${HOST}/` }).end();
      // like the Store API: every answer carries a fresh Nonce, and the Cart-Token of the caller's cart
      const json = (status: number, value: unknown, token?: string) =>
        res.writeHead(status, { 'Content-Type': 'application/json', Nonce: freshNonce(), ...(token ? { 'Cart-Token': token } : {}) }).end(JSON.stringify(value));
      const route = `${req.method} ${req.url}`;
      if (route === 'GET /') return void res.writeHead(200).end('<html>shop</html>');
      if (route === 'GET /wp-json/wc/store/v1/products?per_page=100') {
        return json(200, fake.products.map((p) => ({ ...p, parent: 0, type: 'simple', permalink: `http://${HOST}/p/` })));
      }
      if (route === 'GET /wp-json/wc/store/v1/cart') {
        const token = `t0ken-${carts.size + 1}`;
        carts.set(token, []);
        return json(200, { items: [], payment_methods: fake.paymentMethods }, token);
      }
      const writes = ['/wp-json/wc/store/v1/cart/add-item', '/wp-json/wc/store/v1/checkout'];
      if (!writes.includes(req.url ?? '')) return json(404, { code: 'rest_no_route' });
      if (req.method !== 'POST') return json(404, { code: 'rest_no_route', message: `no route for ${route}` });
      const token = String(req.headers['cart-token'] ?? '');
      const cart = carts.get(token);
      if (!cart) return json(403, { code: 'woocommerce_rest_cart_token_invalid' });
      if (req.headers['nonce'] !== currentNonce) return json(403, { code: 'woocommerce_rest_invalid_nonce' });
      if (req.headers['content-type'] !== 'application/json') return json(415, { code: 'rest_invalid_json' });
      let input: Record<string, unknown>;
      try { input = JSON.parse(body) as Record<string, unknown>; } catch { return json(400, { code: 'rest_invalid_json' }, token); }
      if (req.url === '/wp-json/wc/store/v1/cart/add-item') {
        if (!fake.products.some((p) => p.id === input.id) || input.quantity !== 1) return json(400, { code: 'woocommerce_rest_product_invalid_id' }, token);
        cart.push(input.id as number);
        return json(201, { items: cart.map((id) => ({ id })), payment_methods: fake.paymentMethods }, token);
      }
      if (cart.length === 0) return json(400, { code: 'woocommerce_rest_cart_empty' }, token);
      const billing = input.billing_address as Record<string, string> | undefined;
      if (!billing?.email || !billing.first_name || !billing.address_1 || !billing.country) return json(400, { code: 'rest_invalid_param', message: 'billing_address' }, token);
      if (!fake.paymentMethods.includes(String(input.payment_method))) return json(400, { code: 'rest_invalid_param', message: 'payment_method' }, token);
      fake.orders.push(input);
      const answer = fake.checkoutAnswer ?? { status: 200, body: { order_id: 501, status: 'processing', payment_method: input.payment_method, payment_result: { payment_status: 'success', payment_details: [], redirect_url: `http://${HOST}/checkout/order-received/501/` } } };
      return json(answer.status, answer.body, token);
    });
  });
}

const servers: Server[] = [];
const dirs: string[] = [];
afterEach(() => {
  servers.splice(0).forEach((s) => s.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

interface Run { code: number; stdout: string; stderr: string; orderFile: string }

async function sh(script: string, env: Record<string, string>): Promise<Omit<Run, 'orderFile'>> {
  try {
    const { stdout, stderr } = await run('sh', [`constructs/woocommerce/scripts/${script}`], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs the check against a fake controller on loopback, or on `port` when given. */
async function check(fake: Fake, opts: { port?: number; env?: Record<string, string> } = {}): Promise<Run> {
  let p = opts.port;
  if (p === undefined) {
    const server = fakeStore(fake);
    servers.push(server);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    p = (server.address() as AddressInfo).port;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'store-check-'));
  dirs.push(tmp);
  const orderFile = join(tmp, 'check-order', 'order-id');
  const r = await sh('store-check.sh', {
    PATH: process.env['PATH'] ?? '',
    TMPDIR: tmp,
    STORE_URL: `http://${HOST}:${p}`,
    INGRESS_CONTROLLER: '127.0.0.1',
    SAMPLE_PRODUCT_SLUG: 'store-platform-sample',
    CHECK_EMAIL,
    ORDER_FILE: orderFile,
    BILLING_ADDRESS_LINE1: '1 "Main" St',
    BILLING_CITY: 'Springfield',
    BILLING_POSTCODE: '12345',
    BILLING_COUNTRY: 'US:CA',
    ATTEMPTS: '2',
    DELAY_SECONDS: '0',
    ...opts.env,
  });
  return { ...r, orderFile };
}

const sample = { id: 42, name: 'Sample product', slug: 'store-platform-sample' };
const other = { id: 7, name: 'Other', slug: 'other' };
const aFake = (over: Partial<Fake> = {}): Fake => ({ products: [other, sample], paymentMethods: ['bacs', 'cod'], requests: [], orders: [], ...over });

describe('store-check.sh against a strict fake Store API behind a fake ingress controller', () => {
  it('places a Cash on Delivery order for the sample product, billed to the reserved address, and hands its id on', async () => {
    const fake = aFake();
    const r = await check(fake);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('store took order 501');
    expect(fake.requests.map((x) => x.replace(/ host=.*/, ''))).toEqual([
      'GET /',
      'GET /wp-json/wc/store/v1/products?per_page=100',
      'GET /wp-json/wc/store/v1/cart',
      'POST /wp-json/wc/store/v1/cart/add-item',
      'POST /wp-json/wc/store/v1/checkout',
    ]);
    expect(fake.requests.every((x) => x.endsWith(`host=${HOST}`))).toBe(true);
    expect(fake.orders).toEqual([expect.objectContaining({
      payment_method: 'cod',
      billing_address: expect.objectContaining({ email: CHECK_EMAIL, address_1: '1 "Main" St', city: 'Springfield', state: 'CA', country: 'US', postcode: '12345' }),
    })]);
    expect(readFileSync(r.orderFile, 'utf8')).toBe('501\n');
  });

  it('fails when Cash on Delivery is not offered', async () => {
    const r = await check(aFake({ paymentMethods: ['bacs'] }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: Cash on Delivery is not offered/);
    expect(existsSync(r.orderFile)).toBe(false);
  });

  it('fails when the checkout refuses the order, with the Store API error', async () => {
    const r = await check(aFake({ checkoutAnswer: { status: 400, body: { code: 'woocommerce_rest_invalid_shipping_option' } } }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: checkout with Cash on Delivery: HTTP 400 .*woocommerce_rest_invalid_shipping_option/);
    expect(existsSync(r.orderFile)).toBe(false);
  });

  it('fails when the checkout answers 200 without an order', async () => {
    const r = await check(aFake({ checkoutAnswer: { status: 200, body: { order_id: 0, status: 'checkout-draft', payment_result: null } } }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: checkout answered without an order/);
    expect(existsSync(r.orderFile)).toBe(false);
  });

  it('fails when the payment of the order did not succeed', async () => {
    const r = await check(aFake({ checkoutAnswer: { status: 200, body: { order_id: 9, status: 'failed', payment_result: { payment_status: 'failure' } } } }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: checkout of order 9 did not succeed/);
    expect(existsSync(r.orderFile)).toBe(false);
  });

  it('fails when the sample product is not listed', async () => {
    const r = await check(aFake({ products: [other] }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: sample product 'store-platform-sample' is not listed/);
  });

  it('fails naming the request when the storefront never answers 200', async () => {
    // nothing listens on the discard port
    const r = await check(aFake(), { port: 9 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: storefront GET \/: HTTP 000 \(wanted 200\) after 2 attempts/);
  });

  it('stops retrying at its deadline, before the attempts run out', async () => {
    const started = Date.now();
    const r = await check(aFake(), { port: 9, env: { ATTEMPTS: '1000', DELAY_SECONDS: '1', DEADLINE_SECONDS: '3' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: storefront GET \/: HTTP 000 \(wanted 200\) after [1-4] attempts/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

/**
 * A strict `wp`: only `--path=/var/www/html --url=<STORE_URL> eval-file <the script's PHP file>`, with
 * the order id and the check address in the environment and WooCommerce's orders as files under
 * $FAKE_STATE/orders (`<id>` holding `<billing email> <payment method>`); it does what the PHP does.
 */
const FAKE_WP = String.raw`#!/bin/sh
set -eu
s="$FAKE_STATE"
echo "$*" >> "$s/calls"
[ "$1" = "--path=/var/www/html" ] && [ "$2" = "--url=$STORE_URL" ] || { echo "fake wp: global flags '$1 $2'" >&2; exit 2; }
[ "$3" = eval-file ] && [ "$#" -eq 4 ] || { echo "fake wp: unexpected $*" >&2; exit 2; }
[ -f "$4" ] && grep -q "wc_get_orders" "$4" || { echo "fake wp: $4 is not the removal script" >&2; exit 2; }
id="$CHECK_ORDER_ID"
[ -f "$s/orders/$id" ] || { echo "order $id is not in the database" >&2; exit 1; }
read -r email method < "$s/orders/$id"
[ "$email" = "$CHECK_EMAIL" ] || { echo "order $id is not billed to $CHECK_EMAIL: not removing it" >&2; exit 1; }
[ "$method" = cod ] || { echo "order $id was paid with '$method', not cod" >&2; exit 1; }
n=0
for f in "$s"/orders/*; do
  read -r email method < "$f"
  if [ "$email" = "$CHECK_EMAIL" ]; then rm "$f"; n=$((n + 1)); fi
done
echo "$n"
`;

function wpSandbox(orders: Record<string, string>): { state: string; env: Record<string, string>; orderFile: string } {
  const root = mkdtempSync(join(tmpdir(), 'remove-check-order-'));
  dirs.push(root);
  const bin = join(root, 'bin');
  const state = join(root, 'state');
  mkdirSync(bin);
  mkdirSync(join(state, 'orders'), { recursive: true });
  writeFileSync(join(bin, 'wp'), FAKE_WP);
  chmodSync(join(bin, 'wp'), 0o755);
  for (const [id, line] of Object.entries(orders)) writeFileSync(join(state, 'orders', id), `${line}\n`);
  const orderFile = join(root, 'order-id');
  const env = { PATH: `${bin}:${process.env['PATH'] ?? ''}`, TMPDIR: root, FAKE_STATE: state, STORE_URL: 'http://acme.test', CHECK_EMAIL, ORDER_FILE: orderFile };
  return { state, env, orderFile };
}
const remaining = (state: string) => readdirSync(join(state, 'orders')).sort();

describe('remove-check-order.sh against a strict fake wp-cli', () => {
  it('removes the checkout\'s order and every other order billed to the check address, and no merchant order', async () => {
    const { state, env, orderFile } = wpSandbox({ 501: `${CHECK_EMAIL} cod`, 499: `${CHECK_EMAIL} cod`, 12: 'shopper@example.com cod' });
    writeFileSync(orderFile, '501\n');
    const r = await sh('remove-check-order.sh', env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('removed 2 check order(s)');
    expect(remaining(state)).toEqual(['12']);
    // the order id and the address reach PHP through the environment, not wp-cli's command line
    expect(readFileSync(join(state, 'calls'), 'utf8')).not.toMatch(/501|store-check@/);
  });

  it('fails when the checkout\'s order is not in the database', async () => {
    const { state, env, orderFile } = wpSandbox({ 12: 'shopper@example.com cod' });
    writeFileSync(orderFile, '501\n');
    const r = await sh('remove-check-order.sh', env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: order 501 is not in the database/);
    expect(remaining(state)).toEqual(['12']);
  });

  it('fails and removes nothing when the order is not the check\'s own', async () => {
    const { state, env, orderFile } = wpSandbox({ 12: 'shopper@example.com cod', 13: `${CHECK_EMAIL} bacs` });
    writeFileSync(orderFile, '12\n');
    expect((await sh('remove-check-order.sh', env)).stderr).toMatch(/FAILED: order 12 is not billed to store-check@store-platform\.invalid/);
    writeFileSync(orderFile, '13\n');
    expect((await sh('remove-check-order.sh', env)).stderr).toMatch(/FAILED: order 13 was paid with 'bacs', not cod/);
    expect(remaining(state)).toEqual(['12', '13']);
  });

  it('fails without calling wp when the checkout left no order id, or not a number', async () => {
    const { state, env, orderFile } = wpSandbox({});
    expect((await sh('remove-check-order.sh', env)).stderr).toMatch(/FAILED: the checkout left no order id/);
    writeFileSync(orderFile, '501; DROP\n');
    expect((await sh('remove-check-order.sh', env)).stderr).toMatch(/FAILED: the checkout's order id '501; DROP' is not a number/);
    expect(existsSync(join(state, 'calls'))).toBe(false);
  });
});
