import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

// Runs constructs/woocommerce/scripts/store-check.sh (with the real curl) against a local stand-in for
// the ingress controller in front of WordPress + the WooCommerce Store API (the Store API itself is
// faked: no WooCommerce here), to prove the route it takes, its parsing and its failure messages.
// The store's host does not resolve: only curl --connect-to to the controller can reach the fake.

const run = promisify(execFile);
const HOST = 'shop.test.example';

interface Fake {
  products: { id: number; name: string; slug: string }[];
  paymentMethods: string[];
  requests: string[];
}

function fakeStore(fake: Fake): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      fake.requests.push(`${req.method} ${req.url} host=${req.headers.host?.replace(/:\d+$/, '')}`);
      if (req.headers.host?.replace(/:\d+$/, '') !== HOST) return void res.writeHead(301, { Location: `http://${HOST}/` }).end();
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(value));
      if (req.method === 'GET' && req.url === '/') return void res.writeHead(200).end('<html>shop</html>');
      if (req.url === '/wp-json/wc/store/v1/products?per_page=100') {
        return json(200, fake.products.map((p) => ({ ...p, parent: 0, type: 'simple', permalink: `http:\/\/${HOST}\/p\/` })));
      }
      if (req.method === 'GET' && req.url === '/wp-json/wc/store/v1/cart') return json(200, { items: [] }, { Nonce: 'n0nce', 'Cart-Token': 't0ken' });
      if (req.method === 'POST' && req.url === '/wp-json/wc/store/v1/cart/add-item') {
        if (req.headers['nonce'] !== 'n0nce') return json(401, { code: 'woocommerce_rest_missing_nonce' });
        const { id } = JSON.parse(body) as { id: number };
        if (!fake.products.some((p) => p.id === id)) return json(400, { code: 'woocommerce_rest_product_invalid_id' });
        return json(201, { items: [{ id }], payment_methods: fake.paymentMethods });
      }
      return json(404, { code: 'rest_no_route' });
    });
  });
}

const servers: Server[] = [];
const dirs: string[] = [];
afterEach(() => {
  servers.splice(0).forEach((s) => s.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** Runs the script against a fake controller on loopback, or on `port` when given. */
async function check(fake: Fake, port?: number): Promise<{ code: number; stdout: string; stderr: string }> {
  let p = port;
  if (p === undefined) {
    const server = fakeStore(fake);
    servers.push(server);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    p = (server.address() as AddressInfo).port;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'store-check-'));
  dirs.push(tmp);
  const env = {
    PATH: process.env['PATH'] ?? '',
    TMPDIR: tmp,
    STORE_URL: `http://${HOST}:${p}`,
    INGRESS_CONTROLLER: '127.0.0.1',
    SAMPLE_PRODUCT_SLUG: 'store-platform-sample',
    ATTEMPTS: '2',
    DELAY_SECONDS: '0',
  };
  try {
    const { stdout, stderr } = await run('sh', ['constructs/woocommerce/scripts/store-check.sh'], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const sample = { id: 42, name: 'Sample product', slug: 'store-platform-sample' };
const other = { id: 7, name: 'Other', slug: 'other' };

describe('store-check.sh', () => {
  it('passes when the product is listed, goes into a cart and COD is offered', async () => {
    const fake: Fake = { products: [other, sample], paymentMethods: ['bacs', 'cod'], requests: [] };
    const r = await check(fake);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('store can take an order');
    expect(fake.requests).toContain(`POST /wp-json/wc/store/v1/cart/add-item host=${HOST}`);
    expect(fake.requests.every((r) => r.endsWith(`host=${HOST}`))).toBe(true);
  });

  it('fails when Cash on Delivery is not offered', async () => {
    const r = await check({ products: [sample], paymentMethods: ['bacs'], requests: [] });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: Cash on Delivery is not offered/);
  });

  it('fails when the sample product is not listed', async () => {
    const r = await check({ products: [other], paymentMethods: ['cod'], requests: [] });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: sample product 'store-platform-sample' is not listed/);
  });

  it('fails naming the request when the storefront never answers 200', async () => {
    // nothing listens on the discard port
    const r = await check({ products: [], paymentMethods: [], requests: [] }, 9);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: storefront GET \/: HTTP 000 \(wanted 200\) after 2 attempts/);
  });
});
