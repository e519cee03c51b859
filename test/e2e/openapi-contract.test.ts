import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../integration/api-harness.js';

// The dashboard's typed client is generated from src/web/api/openapi.json; this keeps that file equal
// to what the server documents. After an API change: `npm run web:api` (rewrites it and the types).
let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.close();
});

describe('dashboard API contract', () => {
  it('matches the live /openapi.json', async () => {
    const res = await fetch(`${api.url}/openapi.json`);
    expect(res.status).toBe(200);
    const live = (await res.json()) as { info: { version: string } };
    live.info.version = '0.0.0'; // the package version is not part of the contract
    await expect(`${JSON.stringify(live, null, 2)}\n`).toMatchFileSnapshot('../../src/web/api/openapi.json');
  });
});
