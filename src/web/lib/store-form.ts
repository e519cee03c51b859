import { z } from 'zod';
import { CreateStoreSpec } from '../../../constructs/spec';
import { PLANS } from '../../../constructs/plans';
import type { CreateStore } from '../api/client';

// The create form validates with the API's own StoreSpec (constructs/spec.ts), so the browser and
// the server accept exactly the same stores; the server's answer still has the final word.

export { PLANS };

/** What the form holds: strings as typed, before parsing. */
export interface StoreFormValues {
  name: string;
  title: string;
  adminEmail: string;
  engine: string;
  plan: string;
  currency: string;
  customDomain: string;
  teardownOnFailure: boolean;
}

export type StoreField = keyof StoreFormValues;
export type FieldErrors = Partial<Record<StoreField, string>>;

export const EMPTY_FORM: StoreFormValues = {
  name: '',
  title: '',
  adminEmail: '',
  engine: 'woocommerce',
  plan: 'small',
  currency: 'USD',
  customDomain: '',
  teardownOnFailure: false,
};

const CreateStoreSchema = CreateStoreSpec.extend({ teardownOnFailure: z.boolean().optional() }).strict();

// zod's generic wording for the fields whose spec rule has no message of its own
const FRIENDLY: Partial<Record<StoreField, Partial<Record<string, string>>>> = {
  title: { too_big: 'title must be at most 100 characters' },
  adminEmail: { invalid_format: 'enter an email address like owner@example.com' },
  engine: { invalid_value: 'choose an engine' },
  plan: { invalid_value: 'choose a plan' },
  name: { invalid_type: 'enter a name' },
};

/** The request body for the values, or one message per invalid field. */
export function validateStoreForm(values: StoreFormValues): { ok: true; body: CreateStore } | { ok: false; errors: FieldErrors } {
  const input = {
    name: values.name,
    // blank: left out, and the server names the store after its name
    ...(values.title.trim() !== '' ? { title: values.title } : {}),
    adminEmail: values.adminEmail.trim(),
    engine: values.engine,
    plan: values.plan,
    currency: values.currency,
    ...(values.customDomain.trim() !== '' ? { customDomain: values.customDomain.trim() } : {}),
    ...(values.teardownOnFailure ? { teardownOnFailure: true } : {}),
  };
  const parsed = CreateStoreSchema.safeParse(input);
  if (parsed.success) return { ok: true, body: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as StoreField | undefined;
    if (field === undefined || errors[field] !== undefined) continue;
    errors[field] = FRIENDLY[field]?.[issue.code] ?? issue.message;
  }
  return { ok: false, errors };
}

/** Maps the server's problem `errors` (JSON pointers like `/name`) onto form fields. */
export function serverFieldErrors(errors: readonly { path: string; message: string }[] | undefined): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors ?? []) {
    const field = e.path.replace(/^\//, '').split('/')[0] as StoreField;
    if (field in EMPTY_FORM && out[field] === undefined) out[field] = e.message;
  }
  return out;
}
