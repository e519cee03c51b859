/**
 * `npx cdk8s synth` entry (see cdk8s.yaml): one example store, written by cdk8s to its output
 * directory. Secret values are placeholders, so nothing secret is ever written to disk here; use
 * `store-platform synth` for a store with real generated secrets.
 */
import { App } from 'cdk8s';
import { DEFAULT_PLATFORM_SETTINGS, engineOf } from '../../constructs/index.js';
import { REDACTED } from './synth.js';

const placeholder = `${REDACTED}-placeholder`;
const engine = engineOf('woocommerce');
const app = new App();
engine.build(app, 'example', {
  spec: { name: 'example', engine: 'woocommerce', plan: 'standard', adminEmail: 'admin@example.com', title: 'Example store', currency: 'USD' },
  secrets: engine.generateSecrets(() => placeholder),
  platform: DEFAULT_PLATFORM_SETTINGS,
});
app.synth();
