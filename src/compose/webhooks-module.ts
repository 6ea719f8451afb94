import { instanceId, type ModuleContext, type ServerModule } from './module.ts'
import { webhookRoutes } from '../server/routes/webhooks.ts'
import { WebhookStore } from '../app/webhooks/webhook-store.ts'
import { WebhookDispatcher, type WebhookConfig } from '../app/webhooks/webhook-dispatcher.ts'

export interface WebhooksModule extends ServerModule {
  store: WebhookStore
  dispatcher: WebhookDispatcher
}

/** Webhooks: the admin API and the dispatcher that sends the outbox (every server runs one). */
export function createWebhooksModule(ctx: ModuleContext, overrides: Partial<WebhookConfig> = {}): WebhooksModule {
  const config: WebhookConfig = { ...ctx.config.webhooks, instance: instanceId(), ...overrides }
  const store = new WebhookStore(ctx.stores.database.db as never)
  const dispatcher = new WebhookDispatcher(store, config, ctx.log.child({ component: 'webhooks' }))
  return {
    name: 'webhooks',
    store,
    dispatcher,
    apiRouters: [webhookRoutes(store)],
    async start() {
      dispatcher.start()
    },
    async stop() {
      await dispatcher.stop()
    },
  }
}
