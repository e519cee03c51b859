import type { ExecArgs } from '@medusajs/framework/types'
import { ContainerRegistrationKeys, Modules } from '@medusajs/framework/utils'
import {
  createApiKeysWorkflow,
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  createUserAccountWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from '@medusajs/medusa/core-flows'
import STORE_OBJECTS from '../../store-objects.json'

// Makes the store sellable: `medusa exec ./src/scripts/setup-store.ts` after `medusa db:migrate`.
// Every object is looked up by its name, handle or title first and created only when missing, so a
// rerun (or a run after a crash mid-way) completes the store instead of duplicating or stopping.

function env(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`setup-store: ${name} is not set`)
  return value
}

export default async function setupStore({ container }: ExecArgs): Promise<void> {
  const log = container.resolve(ContainerRegistrationKeys.LOGGER)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const auth = container.resolve(Modules.AUTH)
  const users = container.resolve(Modules.USER)
  const storeModule = container.resolve(Modules.STORE)
  const salesChannels = container.resolve(Modules.SALES_CHANNEL)
  const regions = container.resolve(Modules.REGION)
  const tax = container.resolve(Modules.TAX)
  const stockLocations = container.resolve(Modules.STOCK_LOCATION)
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const products = container.resolve(Modules.PRODUCT)
  const inventory = container.resolve(Modules.INVENTORY)
  const apiKeys = container.resolve(Modules.API_KEY)

  const email = env('MEDUSA_ADMIN_EMAIL')
  const currency = env('STORE_CURRENCY').toLowerCase()
  const countries = env('STORE_COUNTRIES').toLowerCase().split(',').filter(Boolean)
  const title = env('STORE_TITLE')
  const done = (what: string, created: boolean) => log.info(`setup-store: ${what} ${created ? 'created' : 'exists'}`)

  // admin user: the emailpass identity and the user it belongs to, each only if missing
  let [identity] = await auth.listProviderIdentities({ entity_id: email, provider: 'emailpass' }, { relations: ['auth_identity'] })
  let authIdentityId = identity?.auth_identity_id
  if (!authIdentityId) {
    const { authIdentity, error } = await auth.register('emailpass', { body: { email, password: env('MEDUSA_ADMIN_PASSWORD') } })
    if (error || !authIdentity) throw new Error(`setup-store: admin identity: ${error ?? 'not created'}`)
    authIdentityId = authIdentity.id
  }
  const [user] = await users.listUsers({ email })
  if (!user) {
    await createUserAccountWorkflow(container).run({ input: { authIdentityId, userData: { email } } })
  } else {
    const current = await auth.retrieveAuthIdentity(authIdentityId)
    if (current.app_metadata?.user_id !== user.id) {
      await auth.updateAuthIdentities({ id: authIdentityId, app_metadata: { ...current.app_metadata, user_id: user.id } })
    }
  }
  done('admin user', !user)

  // the default store, sales channel and key Medusa makes on first start: reuse the store and channel
  const [store] = await storeModule.listStores({}, { relations: ['supported_currencies'] })
  if (!store) throw new Error('setup-store: Medusa has no default store (run db:migrate first)')
  let channelId = store.default_sales_channel_id
  if (!channelId) {
    const [channel] = await salesChannels.listSalesChannels({ name: STORE_OBJECTS.salesChannel })
    channelId = channel?.id ?? (await salesChannels.createSalesChannels({ name: STORE_OBJECTS.salesChannel })).id
  }
  const currencies = store.supported_currencies?.map((c) => c.currency_code) ?? []
  const storeDone = store.name === title && currencies.includes(currency) && store.default_sales_channel_id === channelId
  if (!storeDone) {
    await updateStoresWorkflow(container).run({
      input: {
        selector: { id: store.id },
        update: { name: title, default_sales_channel_id: channelId, supported_currencies: [{ currency_code: currency, is_default: true }] },
      },
    })
  }
  done('store', !storeDone)

  let [region] = await regions.listRegions({ name: STORE_OBJECTS.region })
  const regionCreated = !region
  if (!region) {
    const { result } = await createRegionsWorkflow(container).run({
      // pp_system_default: Medusa's built-in manual payment provider (pay on delivery)
      input: { regions: [{ name: STORE_OBJECTS.region, currency_code: currency, countries, payment_providers: [STORE_OBJECTS.paymentProvider] }] },
    })
    region = result[0]!
  }
  done('region', regionCreated)

  for (const country_code of countries) {
    const existing = (await tax.listTaxRegions({ country_code })).find((r) => !r.parent_id)
    if (!existing) await createTaxRegionsWorkflow(container).run({ input: [{ country_code, provider_id: 'tp_system' }] })
    done(`tax region ${country_code}`, !existing)
  }

  let [location] = await stockLocations.listStockLocations({ name: STORE_OBJECTS.stockLocation })
  const locationCreated = !location
  if (!location) {
    const { result } = await createStockLocationsWorkflow(container).run({
      input: { locations: [{ name: STORE_OBJECTS.stockLocation, address: { address_1: STORE_OBJECTS.stockLocation, country_code: countries[0]! } }] },
    })
    location = result[0]!
  }
  const { data: [located] } = await query.graph({
    entity: 'stock_location',
    fields: ['id', 'sales_channels.id', 'fulfillment_providers.id', 'fulfillment_sets.id', 'fulfillment_sets.name'],
    filters: { id: location.id },
  })
  if (!located?.sales_channels?.some((c) => c?.id === channelId)) {
    await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: location.id, add: [channelId] } })
  }
  if (!located?.fulfillment_providers?.some((p) => p?.id === STORE_OBJECTS.fulfillmentProvider)) {
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
      [Modules.FULFILLMENT]: { fulfillment_provider_id: STORE_OBJECTS.fulfillmentProvider },
    })
  }
  done('stock location', locationCreated)

  let [fulfillmentSet] = await fulfillment.listFulfillmentSets({ name: STORE_OBJECTS.fulfillmentSet }, { relations: ['service_zones'] })
  const setCreated = !fulfillmentSet
  if (!fulfillmentSet) {
    fulfillmentSet = await fulfillment.createFulfillmentSets({
      name: STORE_OBJECTS.fulfillmentSet,
      type: 'shipping',
      service_zones: [{ name: STORE_OBJECTS.serviceZone, geo_zones: countries.map((country_code) => ({ country_code, type: 'country' as const })) }],
    })
  }
  if (!located?.fulfillment_sets?.some((s) => s?.id === fulfillmentSet.id)) {
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
      [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
    })
  }
  const serviceZone = fulfillmentSet.service_zones.find((z) => z.name === STORE_OBJECTS.serviceZone)
  if (!serviceZone) throw new Error(`setup-store: fulfillment set has no service zone '${STORE_OBJECTS.serviceZone}'`)
  done('fulfillment set', setCreated)

  let [profile] = await fulfillment.listShippingProfiles({ type: 'default' })
  if (!profile) {
    const { result } = await createShippingProfilesWorkflow(container).run({ input: { data: [{ name: STORE_OBJECTS.shippingProfile, type: 'default' }] } })
    profile = result[0]!
  }

  const [option] = await fulfillment.listShippingOptions({ name: STORE_OBJECTS.shippingOption })
  if (!option) {
    await createShippingOptionsWorkflow(container).run({
      input: [{
        name: STORE_OBJECTS.shippingOption,
        price_type: 'flat',
        provider_id: STORE_OBJECTS.fulfillmentProvider,
        service_zone_id: serviceZone.id,
        shipping_profile_id: profile.id,
        type: { label: 'Standard', description: 'Standard shipping', code: 'standard' },
        prices: [{ currency_code: currency, amount: STORE_OBJECTS.shippingAmount }, { region_id: region.id, amount: STORE_OBJECTS.shippingAmount }],
        rules: [
          { attribute: 'enabled_in_store', value: 'true', operator: 'eq' },
          { attribute: 'is_return', value: 'false', operator: 'eq' },
        ],
      }],
    })
  }
  done('shipping option', !option)

  let [product] = await products.listProducts({ handle: STORE_OBJECTS.product.handle }, { relations: ['variants'] })
  const productCreated = !product
  if (!product) {
    const { result } = await createProductsWorkflow(container).run({
      input: {
        products: [{
          title: STORE_OBJECTS.product.title,
          handle: STORE_OBJECTS.product.handle,
          status: 'published',
          shipping_profile_id: profile.id,
          options: [{ title: 'Default', values: ['Default'] }],
          variants: [{
            title: 'Default',
            sku: STORE_OBJECTS.product.sku,
            options: { Default: 'Default' },
            manage_inventory: true,
            prices: [{ currency_code: currency, amount: STORE_OBJECTS.product.amount }],
          }],
          sales_channels: [{ id: channelId }],
        }],
      },
    })
    product = result[0]!
  }
  done('product', productCreated)

  const [item] = await inventory.listInventoryItems({ sku: STORE_OBJECTS.product.sku })
  if (!item) throw new Error(`setup-store: no inventory item for SKU ${STORE_OBJECTS.product.sku}`)
  const [level] = await inventory.listInventoryLevels({ inventory_item_id: item.id, location_id: location.id })
  if (!level) {
    await createInventoryLevelsWorkflow(container).run({
      input: { inventory_levels: [{ inventory_item_id: item.id, location_id: location.id, stocked_quantity: STORE_OBJECTS.product.stock }] },
    })
  }
  done('stock', !level)

  // the storefront's publishable key, found by its title (the default key may sell nothing)
  let [key] = await apiKeys.listApiKeys({ title: STORE_OBJECTS.publishableKey, type: 'publishable' })
  const keyCreated = !key
  if (!key) {
    const { result } = await createApiKeysWorkflow(container).run({
      input: { api_keys: [{ title: STORE_OBJECTS.publishableKey, type: 'publishable', created_by: '' }] },
    })
    key = result[0]!
  }
  const { data: [keyed] } = await query.graph({ entity: 'api_key', fields: ['id', 'sales_channels.id'], filters: { id: key.id } })
  if (!keyed?.sales_channels?.some((c) => c?.id === channelId)) {
    await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: key.id, add: [channelId] } })
  }
  done('publishable key', keyCreated)
  log.info('setup-store: complete')
}
