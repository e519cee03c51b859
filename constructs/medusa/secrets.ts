import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { MedusaContext } from './context.js';
import { storeLabels } from '../labels.js';
import { MEDUSA_DB, MEDUSA_NAMES, MEDUSA_PORTS } from './names.js';
import { StoreStep } from '../step.js';

/** Keys of the `postgres-credentials` Secret; `url` is the `DATABASE_URL` Medusa reads. */
export const DB_KEYS = { database: 'database', username: 'username', password: 'password', url: 'url' } as const;
/** Keys of the `medusa-secrets` Secret. */
export const APP_KEYS = { jwtSecret: 'jwt-secret', cookieSecret: 'cookie-secret' } as const;
/** Keys of the `medusa-admin` Secret; the engine rewrites `password` to reset it. */
export const MEDUSA_ADMIN_KEYS = { email: 'email', password: 'password' } as const;

/** Props of {@link MedusaSecrets}. */
export interface MedusaSecretsProps {
  readonly context: MedusaContext;
}

/**
 * Step 3: the store's Secrets, all as `stringData`: the PostgreSQL credentials with the
 * `DATABASE_URL` (`sslmode=disable`: in-cluster Postgres serves no TLS, and Medusa turns SSL on
 * for every host but localhost), the JWT and cookie signing secrets, and the administrator.
 */
export class MedusaSecrets extends StoreStep {
  public constructor(scope: Construct, id: string, props: MedusaSecretsProps) {
    const ctx = props.context;
    super(scope, id, { name: 'secrets', title: 'Secrets', readiness: { kind: 'Applied' }, timeoutSeconds: 30 });
    const s = ctx.secrets;
    const values = { dbPassword: s.dbPassword, adminPassword: s.adminPassword, jwtSecret: s.signing.jwtSecret, cookieSecret: s.signing.cookieSecret };
    for (const [what, value] of Object.entries(values)) {
      if (value.length < 12) throw new Error(`secret ${what} must be at least 12 characters`);
      // the password goes into a URL unescaped: the generator's URL-safe alphabet only
      if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new Error(`secret ${what} must be URL-safe (A-Z a-z 0-9 _ -)`);
    }
    const metadata = (name: string) => ({ name, namespace: ctx.namespace, labels: storeLabels(ctx.slug) });
    const url = `postgres://${MEDUSA_DB.username}:${s.dbPassword}@${MEDUSA_NAMES.postgres}:${MEDUSA_PORTS.postgres}/${MEDUSA_DB.database}?sslmode=disable`;
    new kplus.Secret(this, 'Resource', {
      metadata: metadata(MEDUSA_NAMES.dbSecret),
      stringData: { [DB_KEYS.database]: MEDUSA_DB.database, [DB_KEYS.username]: MEDUSA_DB.username, [DB_KEYS.password]: s.dbPassword, [DB_KEYS.url]: url },
    });
    new kplus.Secret(this, 'App', {
      metadata: metadata(MEDUSA_NAMES.appSecret),
      stringData: { [APP_KEYS.jwtSecret]: s.signing.jwtSecret, [APP_KEYS.cookieSecret]: s.signing.cookieSecret },
    });
    new kplus.Secret(this, 'Admin', {
      metadata: metadata(MEDUSA_NAMES.adminSecret),
      stringData: { [MEDUSA_ADMIN_KEYS.email]: ctx.spec.adminEmail, [MEDUSA_ADMIN_KEYS.password]: s.adminPassword },
    });
  }
}
