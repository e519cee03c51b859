#!/usr/bin/env node
// Proves a Medusa store can take an order: signs in to the Admin API, finds the storefront's
// publishable key, then as a shopper through the Store API lists the sample product, fills a cart,
// picks the shipping option and the manual (pay on delivery) payment provider and completes the
// cart. The order is read back through the Admin API and cancelled, so the merchant's shop stays
// clean (the reserved stock is released). Prints one JSON line { orderId, status } on success.
// Run by the store-check Job (and by the CI order test) with plain Node: no dependencies.
//
//   CONNECT_URL   where to connect: the ingress controller's Service in the store-check Job
//                 (e.g. http://traefik.traefik.svc), the server itself in the CI order test
//   STORE_HOST    the store's host: sent as Host and, over https, as the TLS server name whose
//                 certificate must verify; @default the host of CONNECT_URL
//   MEDUSA_ADMIN_EMAIL, MEDUSA_ADMIN_PASSWORD
//   ATTEMPTS, DELAY_SECONDS   retries while the server starts (@default 30 and 5)
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const OBJECTS = JSON.parse(readFileSync(new URL('../store-objects.json', import.meta.url), 'utf8'));

function required(name) {
  const value = process.env[name];
  if (!value) fail(`${name} is not set`);
  return value;
}
function fail(message) {
  process.stderr.write(`store-check: FAILED: ${message}\n`);
  process.exit(1);
}
const log = (message) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} store-check: ${message}\n`);

const base = new URL(required('CONNECT_URL'));
const host = process.env.STORE_HOST || base.host;
const email = required('MEDUSA_ADMIN_EMAIL');
const password = required('MEDUSA_ADMIN_PASSWORD');
const attempts = Number(process.env.ATTEMPTS ?? 30);
const delayMs = Number(process.env.DELAY_SECONDS ?? 5) * 1000;

/** One JSON request; resolves with { status, body } (status 0 when nothing answered). */
function call(method, path, { body, headers = {} } = {}) {
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(url, {
      method,
      timeout: 30_000,
      ...(url.protocol === 'https:' ? { servername: host.replace(/:\d+$/, '') } : {}),
      headers: { host, accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let parsed;
        try { parsed = text ? JSON.parse(text) : {}; } catch { parsed = { raw: text.slice(0, 300) }; }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve({ status: 0, body: { error: err.message } }));
    req.end(payload);
  });
}

/** `call` that must answer `want`; fails naming the step otherwise. */
async function must(what, want, method, path, options) {
  const res = await call(method, path, options);
  if (res.status !== want) fail(`${what}: HTTP ${res.status} (wanted ${want}) ${JSON.stringify(res.body).slice(0, 400)}`);
  return res.body;
}

async function untilHealthy() {
  for (let i = 1; ; i++) {
    const res = await call('GET', '/health');
    if (res.status === 200) return;
    if (i >= attempts) fail(`GET /health: HTTP ${res.status} after ${attempts} attempts`);
    await new Promise((r) => setTimeout(r, delayMs));
  }
}

log('health');
await untilHealthy();

log('admin sign-in');
const { token } = await must('admin sign-in', 200, 'POST', '/auth/user/emailpass', { body: { email, password } });
const admin = { headers: { authorization: `Bearer ${token}` } };

const keys = await must('publishable keys', 200, 'GET', `/admin/api-keys?type=publishable&title=${encodeURIComponent(OBJECTS.publishableKey)}`, admin);
const key = keys.api_keys.find((k) => k.title === OBJECTS.publishableKey && !k.revoked_at);
if (!key) fail(`no publishable key titled '${OBJECTS.publishableKey}' (did the setup run?)`);
const shop = { headers: { 'x-publishable-api-key': key.token } };

log('region and product');
const { regions } = await must('store regions', 200, 'GET', '/store/regions', shop);
const region = regions.find((r) => r.name === OBJECTS.region);
if (!region) fail(`region '${OBJECTS.region}' is not offered`);
const country = region.countries?.[0]?.iso_2;
if (!country) fail(`region '${OBJECTS.region}' has no country`);
const { products } = await must('store products', 200, 'GET',
  `/store/products?handle=${OBJECTS.product.handle}&region_id=${region.id}&fields=*variants.calculated_price`, shop);
const variant = products[0]?.variants?.find((v) => v.sku === OBJECTS.product.sku);
if (!variant) fail(`product '${OBJECTS.product.handle}' with SKU ${OBJECTS.product.sku} is not sold through the publishable key`);
if (variant.calculated_price?.calculated_amount == null) fail(`variant ${OBJECTS.product.sku} has no price in ${region.currency_code}`);

log('cart');
const address = { first_name: 'Store', last_name: 'Check', address_1: '1 Check Street', city: 'Check City', postal_code: '10001', country_code: country };
let { cart } = await must('create cart', 200, 'POST', '/store/carts', { ...shop, body: { region_id: region.id, email: 'store-check@example.com' } });
({ cart } = await must('add line item', 200, 'POST', `/store/carts/${cart.id}/line-items`, { ...shop, body: { variant_id: variant.id, quantity: 1 } }));
({ cart } = await must('cart addresses', 200, 'POST', `/store/carts/${cart.id}`, { ...shop, body: { shipping_address: address, billing_address: address } }));
const { shipping_options: options } = await must('shipping options', 200, 'GET', `/store/shipping-options?cart_id=${cart.id}`, shop);
const option = options.find((o) => o.name === OBJECTS.shippingOption);
if (!option) fail(`shipping option '${OBJECTS.shippingOption}' is not offered for the cart`);
await must('shipping method', 200, 'POST', `/store/carts/${cart.id}/shipping-methods`, { ...shop, body: { option_id: option.id } });

log('payment');
const { payment_collection: collection } = await must('payment collection', 200, 'POST', '/store/payment-collections', { ...shop, body: { cart_id: cart.id } });
await must('payment session', 200, 'POST', `/store/payment-collections/${collection.id}/payment-sessions`, { ...shop, body: { provider_id: OBJECTS.paymentProvider } });

log('order');
const completed = await must('complete cart', 200, 'POST', `/store/carts/${cart.id}/complete`, shop);
if (completed.type !== 'order') fail(`completing the cart gave ${completed.type}: ${JSON.stringify(completed.error ?? completed).slice(0, 400)}`);
const orderId = completed.order.id;
const { order } = await must('read order back', 200, 'GET', `/admin/orders/${orderId}?fields=id,status,email`, admin);
if (order.email !== 'store-check@example.com') fail(`order ${orderId} read back with email '${order.email}'`);

log(`cancel ${orderId}`);
await must('cancel order', 200, 'POST', `/admin/orders/${orderId}/cancel`, admin);
const { order: cancelled } = await must('read cancelled order', 200, 'GET', `/admin/orders/${orderId}?fields=id,status`, admin);
if (cancelled.status !== 'canceled') fail(`order ${orderId} is '${cancelled.status}' after cancelling`);

process.stdout.write(`${JSON.stringify({ orderId, status: cancelled.status })}\n`);
log('store took an order (placed, read back, cancelled)');
