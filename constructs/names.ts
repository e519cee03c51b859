/**
 * Names every store has whatever its engine: the namespace rule and the shared guardrail and
 * baseline-policy objects. Engine objects are named in the engine's own folder
 * (e.g. `woocommerce/names.ts`). Explicit and stable: renaming one is an API change.
 */

/** Namespace of a store: `store-<slug>`. The one place this rule lives. */
export function namespaceFor(slug: string): string {
  return `store-${slug}`;
}

/** Names of the objects the shared constructs create. */
export const SHARED_NAMES = {
  resourceQuota: 'store-quota',
  limitRange: 'store-limits',
  policyDefaultDeny: 'default-deny',
  policyDns: 'allow-dns',
  policyAcmeSolver: 'allow-acme-http01-solver',
} as const;
