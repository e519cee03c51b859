import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { StoreContext } from './context.js';
import { storeLabels } from '../labels.js';
import { ADMIN_USERNAME, OBJECT_NAMES } from './names.js';
import { SALT_CONSTANTS, type WordPressSalts } from '../spec.js';
import { StoreStep } from '../step.js';
import { SMTP_SECRET_KEYS } from './mail.js';

/** Keys of the `mysql-credentials` Secret. */
export const DB_SECRET_KEYS = { rootPassword: 'root-password', database: 'database', username: 'username', password: 'password' } as const;
/** Keys of the `wordpress-admin` Secret; the engine rewrites `password` to reset it. */
export const ADMIN_SECRET_KEYS = { username: 'username', password: 'password', email: 'email' } as const;
/** Name of the MySQL database and user WordPress uses. */
export const WORDPRESS_DB = { database: 'wordpress', username: 'wordpress' } as const;

/** Props of {@link StoreSecretsStep}. */
export interface StoreSecretsStepProps {
  readonly context: StoreContext;
}

/**
 * Step 3: the store's Secrets, all as `stringData`: MySQL credentials, the WordPress administrator,
 * the eight wp-config keys and salts (keys named like their wp-config constants) and, when the
 * platform's SMTP relay takes SMTP AUTH, a copy of its credentials (`smtp-credentials`).
 */
export class StoreSecretsStep extends StoreStep {
  public constructor(scope: Construct, id: string, props: StoreSecretsStepProps) {
    const ctx = props.context;
    super(scope, id, {
      name: 'secrets',
      title: 'Secrets',
      readiness: { kind: 'Applied' },
      timeoutSeconds: 30,
    });
    const metadata = (name: string) => ({ name, namespace: ctx.namespace, labels: storeLabels(ctx.slug) });
    const s = ctx.secrets;
    for (const [what, value] of Object.entries({ dbRootPassword: s.dbRootPassword, dbPassword: s.dbPassword, adminPassword: s.adminPassword })) {
      if (value.length < 12) throw new Error(`secret ${what} must be at least 12 characters`);
    }
    new kplus.Secret(this, 'Resource', {
      metadata: metadata(OBJECT_NAMES.dbSecret),
      stringData: {
        [DB_SECRET_KEYS.rootPassword]: s.dbRootPassword,
        [DB_SECRET_KEYS.database]: WORDPRESS_DB.database,
        [DB_SECRET_KEYS.username]: WORDPRESS_DB.username,
        [DB_SECRET_KEYS.password]: s.dbPassword,
      },
    });
    new kplus.Secret(this, 'Admin', {
      metadata: metadata(OBJECT_NAMES.adminSecret),
      stringData: {
        [ADMIN_SECRET_KEYS.username]: ADMIN_USERNAME,
        [ADMIN_SECRET_KEYS.password]: s.adminPassword,
        [ADMIN_SECRET_KEYS.email]: ctx.spec.adminEmail,
      },
    });
    const salts: Record<string, string> = {};
    for (const [key, constant] of Object.entries(SALT_CONSTANTS) as [keyof WordPressSalts, string][]) {
      const salt = s.salts?.[key];
      if (!salt) throw new Error(`secret salt ${key} is missing`);
      salts[constant] = salt;
    }
    new kplus.Secret(this, 'Salts', { metadata: metadata(OBJECT_NAMES.saltsSecret), stringData: salts });
    const smtp = ctx.platform.mail?.credentials;
    if (smtp) {
      new kplus.Secret(this, 'Smtp', {
        metadata: metadata(OBJECT_NAMES.smtpSecret),
        stringData: { [SMTP_SECRET_KEYS.username]: smtp.username, [SMTP_SECRET_KEYS.password]: smtp.password },
      });
    }
  }
}
