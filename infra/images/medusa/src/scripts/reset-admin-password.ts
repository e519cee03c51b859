import type { ExecArgs } from '@medusajs/framework/types'
import { ContainerRegistrationKeys, Modules } from '@medusajs/framework/utils'

// Sets the administrator's password to MEDUSA_ADMIN_PASSWORD (the platform's reset Job:
// `medusa exec ./src/scripts/reset-admin-password.js`). The password comes from the environment only.
export default async function resetAdminPassword({ container }: ExecArgs): Promise<void> {
  const email = process.env.MEDUSA_ADMIN_EMAIL
  const password = process.env.MEDUSA_ADMIN_PASSWORD
  if (!email || !password) throw new Error('reset-admin-password: MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD must be set')
  const auth = container.resolve(Modules.AUTH)
  const { success, error } = await auth.updateProvider('emailpass', { entity_id: email, password })
  if (!success) throw new Error(`reset-admin-password: ${error ?? 'the emailpass provider refused the update'}`)
  container.resolve(ContainerRegistrationKeys.LOGGER).info('reset-admin-password: password updated')
}
