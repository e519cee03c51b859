/**
 * Regenerates imports/k8s.ts (cdk8s L1 types) offline from imports/k8s-openapi.json.
 *
 * `cdk8s import k8s@x.y.z` downloads its schema and fails without internet, so the Kubernetes
 * OpenAPI v2 document is kept in the repo and fed to the same generator cdk8s-cli uses
 * (json2jsii's TypeGenerator plus cdk8s-cli's construct codegen).
 *
 *   npm run import                        regenerate imports/k8s.ts from the committed document
 *   npm run import -- --from-cluster      first refresh the document from the cluster's /openapi/v2
 *                                         (kubeconfig from $KUBECONFIG or .cluster/kubeconfig)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TypeGenerator as TypeGeneratorT } from 'json2jsii';

const root = resolve(import.meta.dirname, '..');
const schemaPath = join(root, 'imports', 'k8s-openapi.json');
const outDir = join(root, 'imports');

// cdk8s-cli's package "exports" hides its importer modules; a file path require reaches them.
const require = createRequire(import.meta.url);
const cliLib = join(root, 'node_modules', 'cdk8s-cli', 'lib', 'import');
interface CodeMaker {
  line(text: string): void;
}
interface ApiObjectDefinition {
  readonly fqn: string;
}
interface ImportBaseClass {
  new (): { import(options: { targetLanguage: string; outdir: string }): Promise<void> };
}
const { ImportBase, Language } = require(join(cliLib, 'base.js')) as { ImportBase: ImportBaseClass; Language: { TYPESCRIPT: string } };
const codegen = require(join(cliLib, 'codegen.js')) as {
  emitHeader(code: CodeMaker, custom: boolean): void;
  getTypeName(custom: boolean, kind: string, version: string): string;
  getPropsTypeName(def: ApiObjectDefinition): string;
  generateConstruct(typegen: TypeGeneratorT, def: ApiObjectDefinition): void;
};
const k8sImport = require(join(cliLib, 'k8s.js')) as {
  findApiObjectDefinitions(schema: { definitions: Record<string, unknown> }, prefix: string): ApiObjectDefinition[];
};
const k8sUtil = require(join(cliLib, 'k8s-util.js')) as {
  parseApiTypeName(name: string): { basename: string; version?: { raw: string } };
};
const { TypeGenerator } = require('json2jsii') as { TypeGenerator: typeof TypeGeneratorT };

interface OpenApiDocument {
  readonly swagger?: string;
  readonly info?: { readonly title?: string; readonly version?: string };
  readonly definitions: Record<string, Record<string, unknown>>;
}

/** Removes `enum` from every schema node (recursively), keeping the rest. */
function stripEnums(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripEnums);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'enum') out[k] = stripEnums(v);
  return out;
}

/**
 * Two rewrites that make the raw document generate the same API as cdk8s's published schemas:
 * - IntOrString and Quantity are plain strings in the raw document (`format: int-or-string`);
 *   cdk8s uses a string|number union, so `targetPort: 8080` stays a number (`IntOrString.fromNumber`).
 * - Recent documents list `enum` values for fields like `imagePullPolicy`; json2jsii would turn each
 *   into a TypeScript enum, so manifests would read `IoK8SApiCoreV1ContainerImagePullPolicy.IF_NOT_PRESENT`
 *   instead of `'IfNotPresent'`. They stay strings (documented in each field's comment); the API
 *   server validates the values.
 */
function toCdk8sDefinitions(doc: OpenApiDocument): Record<string, unknown> {
  const defs = stripEnums(doc.definitions) as Record<string, unknown>;
  const intOrString = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
  const quantity = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
  if (defs[intOrString]) defs[intOrString] = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  if (defs[quantity]) defs[quantity] = { oneOf: [{ type: 'string' }, { type: 'number' }] };
  return defs;
}

class ImportLocalKubernetesApi extends ImportBase {
  public constructor(private readonly doc: OpenApiDocument) {
    super();
  }
  public get moduleNames(): string[] {
    return ['k8s'];
  }
  // called by ImportBase.import() for each module name
  protected async generateTypeScript(code: CodeMaker): Promise<void> {
    const schema = { definitions: toCdk8sDefinitions(this.doc) };
    const topLevelObjects = k8sImport.findApiObjectDefinitions(schema, 'Kube');
    const typeGenerator = new TypeGenerator({
      definitions: schema.definitions as ConstructorParameters<typeof TypeGenerator>[0] extends { definitions?: infer D } ? D : never,
      renderTypeName: (def: string) => {
        const parsed = k8sUtil.parseApiTypeName(def);
        return parsed.version ? codegen.getTypeName(false, parsed.basename, parsed.version.raw) : parsed.basename;
      },
    });
    // same renaming as cdk8s-cli: API object definitions point at their `KubeXxxProps` type
    for (const o of topLevelObjects) {
      typeGenerator.addDefinition(o.fqn, { $ref: `#/definitions/${codegen.getPropsTypeName(o)}` });
    }
    for (const o of topLevelObjects) codegen.generateConstruct(typeGenerator, o);
    codegen.emitHeader(code, false);
    code.line(`// Kubernetes ${this.doc.info?.version ?? '(unknown version)'}, from imports/k8s-openapi.json by scripts/import-k8s.ts`);
    code.line(typeGenerator.render());
  }
}

async function fetchFromCluster(): Promise<OpenApiDocument> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  const file = process.env['KUBECONFIG'] ?? join(root, '.cluster', 'kubeconfig');
  if (!existsSync(file)) throw new Error(`no kubeconfig at ${file}; start the cluster with npm run cluster:up`);
  kc.loadFromFile(file);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const { Agent } = await import('node:https');
  const opts: { headers: Record<string, string>; agent?: InstanceType<typeof Agent> } = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const https = await import('node:https');
  const body = await new Promise<string>((ok, fail) => {
    const req = https.request(`${cluster.server}/openapi/v2`, { ...opts, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 200
          ? ok(Buffer.concat(chunks).toString('utf8'))
          : fail(new Error(`GET /openapi/v2 returned ${res.statusCode}`)),
      );
    });
    req.on('error', fail);
    req.end();
  });
  return JSON.parse(body) as OpenApiDocument;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'from-cluster': { type: 'boolean', default: false } } });
  if (values['from-cluster']) {
    const doc = await fetchFromCluster();
    // only the definitions feed the generator; the paths would triple the committed file
    const kept: OpenApiDocument = { swagger: doc.swagger, info: doc.info, definitions: doc.definitions };
    writeFileSync(schemaPath, `${JSON.stringify(kept, null, 1)}\n`);
    console.error(`wrote imports/k8s-openapi.json (${Object.keys(doc.definitions).length} definitions)`);
  }
  const doc = JSON.parse(readFileSync(schemaPath, 'utf8')) as OpenApiDocument;
  await new ImportLocalKubernetesApi(doc).import({ targetLanguage: Language.TYPESCRIPT, outdir: outDir });
}

main().catch((err: unknown) => {
  console.error(`import failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
