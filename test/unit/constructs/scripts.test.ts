import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_FILES, renderEmbedded } from '../../../scripts/embed-scripts.js';

describe('store scripts', () => {
  it('embedded.ts matches the .sh files (run npm run embed after editing a script)', () => {
    expect(readFileSync('constructs/woocommerce/scripts/embedded.ts', 'utf8')).toBe(renderEmbedded());
  });

  it.each(EMBEDDED_FILES)('%s matches the .sh files beside it', (file) => {
    expect(readFileSync(file, 'utf8')).toBe(renderEmbedded(file));
  });

  // shellcheck is a prerequisite of npm test (scripts/prerequisites.ts): missing, this fails, never skips
  it('pass shellcheck', () => {
    expect(() => execFileSync('shellcheck', ['constructs/woocommerce/scripts/setup-store.sh', 'constructs/woocommerce/scripts/store-check.sh', 'constructs/woocommerce/scripts/remove-check-order.sh'])).not.toThrow();
    // the backup scripts with the library they source
    expect(() => execFileSync('shellcheck', ['constructs/backup/scripts/restic-lib.sh', 'constructs/woocommerce/scripts/store-db.sh',
      'constructs/woocommerce/scripts/backup.sh', 'constructs/woocommerce/scripts/restore.sh', 'constructs/medusa/scripts/backup.sh', 'constructs/medusa/scripts/restore.sh'])).not.toThrow();
  }, 60_000); // two shellcheck processes: seconds each on a busy 2-core machine

  it('verify each setting the issue lists before the setup job exits 0', () => {
    const setup = readFileSync('constructs/woocommerce/scripts/setup-store.sh', 'utf8');
    for (const needle of ['woocommerce_currency', 'woocommerce_store_address', 'woocommerce_cod_settings enabled', 'permalink_structure', 'plugin is-active woocommerce', 'is_purchasable']) {
      expect(setup).toContain(needle);
    }
    const check = readFileSync('constructs/woocommerce/scripts/store-check.sh', 'utf8');
    expect(check).toContain('/wp-json/wc/store/v1/products');
    expect(check).toContain('"payment_methods"');
    expect(check).toContain('/wp-json/wc/store/v1/checkout');
    expect(check).toContain('\\"payment_method\\":\\"cod\\"');
  });
});
