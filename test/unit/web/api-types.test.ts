import { readFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';

// The dashboard's API types are generated from the saved OpenAPI document; the e2e suite checks that
// document against the live /openapi.json. Regenerate both with `npm run web:api`.
const DOC = new URL('../../../src/web/api/openapi.json', import.meta.url);
const HEADER = '// Generated from openapi.json by openapi-typescript (npm run web:api). Do not edit.\n\n';

describe('dashboard API types', () => {
  it('are generated from the saved OpenAPI document', async () => {
    const doc = JSON.parse(readFileSync(DOC, 'utf8')) as Parameters<typeof openapiTS>[0];
    const source = HEADER + astToString(await openapiTS(doc, { exportType: true }));
    await expect(source).toMatchFileSnapshot('../../../src/web/api/schema.d.ts');
  });
});
