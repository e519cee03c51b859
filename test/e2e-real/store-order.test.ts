import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// One store's whole life on a real cluster, as a merchant and a shopper see it: create it through the
// platform's API, wait for Ready, buy the sample product through the WooCommerce Store API with Cash on
// Delivery, read that order back through the WooCommerce REST API with the store's admin credentials (from
// the platform), then delete the store.
//
//   E2E_REAL_CLUSTER=1                     required, or every test is skipped
//   STORE_PLATFORM_URL                     default http://platform.127.0.0.1.nip.io (values-local.yaml)
//   STORE_PLATFORM_ADMIN_KEY               default: read from the chart's Secret through KUBECONFIG
//   STORE_PLATFORM_NAMESPACE / _RELEASE    where the chart is installed; default store-platform / store-platform
//   E2E_READY_TIMEOUT_SECONDS              default 900 (image pulls on a cold node dominate)

const enabled = Boolean(process.env.E2E_REAL_CLUSTER);
const platformUrl = (process.env.STORE_PLATFORM_URL ?? 'http://platform.127.0.0.1.nip.io').replace(/\/$/, '');
const readyTimeoutMs = Number(process.env.E2E_READY_TIMEOUT_SECONDS ?? 900) * 1000;
const SAMPLE_SKU = 'SP-SAMPLE-1';

interface StoreView {
  id: string;
  status: string;
  statusReason: string | null;
  failedStep: string | null;
  storeUrl: string;
}

async function adminKey(): Promise<string> {
  if (process.env.STORE_PLATFORM_ADMIN_KEY) return process.env.STORE_PLATFORM_ADMIN_KEY;
  const namespace = process.env.STORE_PLATFORM_NAMESPACE ?? 'store-platform';
  const release = process.env.STORE_PLATFORM_RELEASE ?? 'store-platform';
  const kc = new KubeConfig();
  kc.loadFromDefault();
  const secret = await kc.makeApiClient(CoreV1Api).readNamespacedSecret({ name: `${release}-admin-key`, namespace });
  const b64 = secret.data?.['admin-key'];
  if (!b64) throw new Error(`secret ${namespace}/${release}-admin-key has no admin-key`);
  return Buffer.from(b64, 'base64').toString();
}

/** A browser's cookie handling, reduced to what WordPress needs: every cookie goes back to the same host. */
class CookieJar {
  readonly #cookies = new Map<string, string>();
  public take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || value === 'deleted' || /expires=Thu, 01[- ]Jan[- ]1970/i.test(c)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  public header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!enabled)('a store on a real cluster takes a Cash on Delivery order', () => {
  let key: string;
  let storeId: string | undefined;
  let store: StoreView;
  let orderId: number;
  let productId: number;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${platformUrl}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    });

  beforeAll(async () => {
    key = await adminKey();
  });

  afterAll(async () => {
    if (storeId) await api(`/stores/${storeId}`, { method: 'DELETE' }).catch(() => undefined);
  });

  it('creates a store and waits until it is Ready', async () => {
    const name = `e2e-${randomBytes(3).toString('hex')}`;
    const res = await api('/stores', {
      method: 'POST',
      body: JSON.stringify({ name, engine: 'woocommerce', plan: 'small', adminEmail: 'e2e@example.com', title: 'E2E Shop', currency: 'USD' }),
    });
    expect(res.status).toBe(202);
    store = await json<StoreView>(res, 'create store');
    storeId = store.id;
    const deadline = Date.now() + readyTimeoutMs;
    while (store.status !== 'Ready') {
      if (store.status === 'Failed') throw new Error(`store failed at step ${store.failedStep}: ${store.statusReason}`);
      if (Date.now() > deadline) throw new Error(`store not Ready after ${readyTimeoutMs / 1000}s (status ${store.status}: ${store.statusReason})`);
      await sleep(5_000);
      store = await json<StoreView>(await api(`/stores/${storeId}`), 'read store');
    }
    const home = await fetch(store.storeUrl);
    expect(home.status).toBe(200);
  });

  it('sells the sample product through the Store API with Cash on Delivery', async () => {
    const wc = `${store.storeUrl.replace(/\/$/, '')}/wp-json/wc/store/v1`;
    const products = await json<{ id: number; sku: string }[]>(await fetch(`${wc}/products?per_page=100`), 'list products');
    const product = products.find((p) => p.sku === SAMPLE_SKU);
    expect(product, `product ${SAMPLE_SKU} listed`).toBeDefined();
    productId = product!.id;

    // a shopper's session: the cart token and nonce come from the first cart read
    const jar = new CookieJar();
    const cartRes = await fetch(`${wc}/cart`);
    jar.take(cartRes);
    await json(cartRes, 'read cart');
    const session = {
      'cart-token': cartRes.headers.get('cart-token') ?? '',
      nonce: cartRes.headers.get('nonce') ?? cartRes.headers.get('x-wc-store-api-nonce') ?? '',
    };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${wc}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: jar.header(), ...session },
        body: JSON.stringify(body),
      });
      jar.take(res);
      return res;
    };
    const cart = await json<{ items: { id: number; quantity: number }[] }>(await post('/cart/add-item', { id: productId, quantity: 1 }), 'add to cart');
    expect(cart.items.map((i) => [i.id, i.quantity])).toEqual([[productId, 1]]);

    const address = {
      first_name: 'Ada', last_name: 'Lovelace', company: '', address_1: '1 Test Street', address_2: '', city: 'London',
      state: '', postcode: 'N1 1AA', country: 'GB', phone: '+441234567890',
    };
    const checkout = await json<{ order_id: number; status: string; payment_result: { payment_status: string } }>(
      await post('/checkout', {
        billing_address: { ...address, email: 'shopper@example.com' },
        shipping_address: address,
        payment_method: 'cod',
      }),
      'checkout',
    );
    expect(checkout.payment_result.payment_status).toBe('success');
    expect(checkout.order_id).toBeGreaterThan(0);
    orderId = checkout.order_id;
  });

  it('reads the order back through the WooCommerce REST API with the admin credentials', async () => {
    const creds = await json<{ adminUrl: string; username: string; password: string }>(await api(`/stores/${storeId}/credentials`), 'credentials');
    const base = store.storeUrl.replace(/\/$/, '');
    // cookie authentication, as wp-admin itself does: log in, then ask for a REST nonce
    const jar = new CookieJar();
    jar.take(await fetch(`${base}/wp-login.php`, { redirect: 'manual' }));
    const login = await fetch(`${base}/wp-login.php`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `wordpress_test_cookie=WP%20Cookie%20check; ${jar.header()}` },
      body: new URLSearchParams({ log: creds.username, pwd: creds.password, 'wp-submit': 'Log In', redirect_to: `${base}/wp-admin/`, testcookie: '1' }),
    });
    jar.take(login);
    expect(login.status, 'login redirects to wp-admin').toBe(302);
    const nonceRes = await fetch(`${base}/wp-admin/admin-ajax.php?action=rest-nonce`, { headers: { cookie: jar.header() } });
    const nonce = (await nonceRes.text()).trim();
    expect(nonce).toMatch(/^[0-9a-f]{10}$/);

    const order = await json<{ id: number; status: string; payment_method: string; billing: { email: string }; line_items: { product_id: number; quantity: number; sku: string }[] }>(
      await fetch(`${base}/wp-json/wc/v3/orders/${orderId}`, { headers: { cookie: jar.header(), 'x-wp-nonce': nonce } }),
      'read order',
    );
    expect(order.id).toBe(orderId);
    expect(order.payment_method).toBe('cod');
    expect(order.status).toBe('processing'); // WooCommerce's state for a COD order awaiting delivery
    expect(order.billing.email).toBe('shopper@example.com');
    expect(order.line_items.map((l) => [l.product_id, l.quantity, l.sku])).toEqual([[productId, 1, SAMPLE_SKU]]);
  });

  it('deletes the store', async () => {
    expect((await api(`/stores/${storeId}`, { method: 'DELETE' })).status).toBe(202);
    const deadline = Date.now() + 5 * 60_000;
    for (;;) {
      const res = await api(`/stores/${storeId}`);
      if (res.status === 404) break;
      const view = await json<StoreView>(res, 'read store');
      if (view.status === 'Deleted') break;
      if (Date.now() > deadline) throw new Error(`store still ${view.status} after 5 minutes`);
      await sleep(3_000);
    }
    storeId = undefined;
    // the shop is gone from the ingress too
    const gone = await fetch(store.storeUrl).catch(() => undefined);
    expect(gone === undefined || gone.status >= 400).toBe(true);
  });
});
