import Fastify from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { responseSerializer } from '../../../src/http/serializer.js';

async function appWith(response: z.ZodType, handler: () => unknown) {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializer);
  app.get('/thing', { schema: { response: { 200: response } } }, async () => handler());
  await app.ready();
  return app;
}

describe('compiled response serializer', () => {
  const thing = z.object({ id: z.string(), count: z.number().int(), note: z.string().nullable(), tags: z.array(z.string()) });

  it('writes what the schema declares and drops every other field, nested ones too', async () => {
    const app = await appWith(z.object({ items: z.array(thing) }), () => ({
      items: [{ id: 'a', count: 2, note: null, tags: ['x'], password: 'hunter2' }],
      secret: 's3cr3t',
    }));
    const res = await app.inject('/thing');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/hunter2|s3cr3t/);
    expect(res.json()).toEqual({ items: [{ id: 'a', count: 2, note: null, tags: ['x'] }] });
    await app.close();
  });

  it('answers 500, not a partial body, when a required field is missing', async () => {
    const app = await appWith(thing, () => ({ id: 'a', note: 'n', tags: [] }));
    const res = await app.inject('/thing');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('"id":"a"');
    await app.close();
  });

  it('refuses at start-up a response schema JSON Schema cannot express, naming the route', async () => {
    await expect(appWith(z.object({ at: z.date() }), () => ({ at: new Date() }))).rejects.toThrow(/200 response of GET \/thing/);
  });
});
