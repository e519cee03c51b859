// `npm run helm:lint`: helm lint --strict of the chart with each values file it ships (helm built if needed).
import { join } from 'node:path';
import { chartDir, helm, kubernetesVersion, valuesFiles } from './helm.js';

let failed = 0;
for (const file of valuesFiles) {
  const res = helm(['lint', chartDir, '--strict', '-f', join(chartDir, file), '--kube-version', kubernetesVersion()]);
  process.stdout.write(`${file}: ${res.status === 0 ? 'ok' : 'FAILED'}\n`);
  if (res.status !== 0) {
    failed++;
    process.stderr.write(res.stdout + res.stderr);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
