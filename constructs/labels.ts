/**
 * Label keys and the label sets every store object carries: the single source of truth for
 * selectors, NetworkPolicies and the provisioner's ownership check.
 */

/** Domain prefix of the platform's own labels. */
export const LABEL_DOMAIN = 'store-platform.io';
/** Store id (the slug) on every object of a store. */
export const STORE_ID_LABEL = `${LABEL_DOMAIN}/store-id`;
/** The store's owner (tenant) on its namespace: for kubectl and billing exports, never for authorization. */
export const OWNER_LABEL = `${LABEL_DOMAIN}/owner`;
/** Marks pods that may open connections to the store's MySQL (WordPress and wp-cli jobs). */
export const DB_CLIENT_LABEL = `${LABEL_DOMAIN}/db-client`;
/** `app.kubernetes.io/managed-by`; always {@link MANAGED_BY}. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** Value of {@link MANAGED_BY_LABEL}. */
export const MANAGED_BY = 'store-platform';
/** `app.kubernetes.io/instance`: the store's namespace name. */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** `app.kubernetes.io/name`: the component's name (`mysql`, `wordpress`, ...). */
export const NAME_LABEL = 'app.kubernetes.io/name';
/** `app.kubernetes.io/component`: the component's role (`database`, `web`, ...). */
export const COMPONENT_LABEL = 'app.kubernetes.io/component';
/** Pod Security admission label that the store namespace sets. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** Labels on every object of a store. */
export function storeLabels(slug: string): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [INSTANCE_LABEL]: `store-${slug}`,
    [STORE_ID_LABEL]: slug,
  };
}

/** The smallest label set that selects one component's pods of one store. */
export function componentSelector(slug: string, name: string): Record<string, string> {
  return { [STORE_ID_LABEL]: slug, [NAME_LABEL]: name };
}

/** Store labels plus the component's name and role. */
export function componentLabels(slug: string, name: string, role: string): Record<string, string> {
  return { ...storeLabels(slug), [NAME_LABEL]: name, [COMPONENT_LABEL]: role };
}
