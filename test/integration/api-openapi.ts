import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// Checks recorded API responses against the server's own OpenAPI document.

type Doc = { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>> };

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface RecordedResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
}

export async function responseValidator(rawDoc: unknown): Promise<(r: RecordedResponse) => string[]> {
  const doc = (await SwaggerParser.dereference(structuredClone(rawDoc) as never)) as unknown as Doc;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const templates = Object.keys(doc.paths).map((p) => ({ p, re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  const cache = new Map<string, ValidateFunction>();
  return (r) => {
    const path = r.path.split('?')[0]!;
    // prefer static templates over parameterised ones (e.g. /stores/stream over /stores/{id})
    const match = templates.filter((t) => t.re.test(path)).sort((a, b) => a.p.split('{').length - b.p.split('{').length)[0];
    if (match === undefined) return [`${r.method} ${path} is not documented`];
    const op = doc.paths[match.p]![r.method.toLowerCase()];
    if (op === undefined) return [`${r.method} ${match.p} is not documented`];
    const resp = op.responses?.[String(r.status)];
    if (resp === undefined) return [`${r.method} ${match.p}: status ${r.status} is not documented`];
    const mediaType = r.contentType.split(';')[0]!.trim();
    const media = resp.content?.[mediaType];
    if (media === undefined) return [`${r.method} ${match.p} ${r.status}: content type ${mediaType} is not documented (${Object.keys(resp.content ?? {}).join(', ')})`];
    if (media.schema === undefined) return [];
    const key = `${r.method} ${match.p} ${r.status} ${mediaType}`;
    let validate = cache.get(key);
    if (validate === undefined) {
      validate = ajv.compile(media.schema);
      cache.set(key, validate);
    }
    return validate(r.body) ? [] : (validate.errors ?? []).map((e) => `${key}: ${e.instancePath} ${e.message}`);
  };
}
