import { instanceId, type ModuleContext, type ServerModule } from './module.ts'
import { printingRoutes } from '../server/routes/printing.ts'
import type { PrintingConfig } from '../app/printing/printing-config.ts'
import { PrintingService } from '../app/printing/printing-service.ts'
import type { SimRegistry } from '../drivers/transports/sim-transport.ts'
import type { DemoPrinters } from './demo-wiring.ts'
import { printerSimRoutes } from '../server/routes/printer-sim.ts'
import { fileSpoolDirOf } from '../config/load-config.ts'

export interface PrintingModule extends ServerModule {
  service: PrintingService
}

export interface PrintingModuleOptions {
  /** Overrides of the configuration (tests). */
  config?: Partial<PrintingConfig>
  simRegistry?: SimRegistry
}

/**
 * The printing feature: printers and the durable queue (API), the workers that send the jobs
 * of this server's printers, and — under `npm start` (config.demo) — simulated printers on
 * loopback that a newcomer can print to at once.
 */
export async function createPrintingModule(ctx: ModuleContext, options: PrintingModuleOptions = {}): Promise<PrintingModule> {
  const config: PrintingConfig = { ...ctx.config.printing, serverId: ctx.config.serverId, instance: instanceId(), ...options.config }
  const log = ctx.log.child({ component: 'printing' })
  let demo: DemoPrinters | null = null
  const registry = new Map<string, import('../drivers/transports/sim-transport.ts').SimDevice>()
  const simRegistry: SimRegistry = options.simRegistry ?? registry
  const service = new PrintingService(ctx.stores, config, log, { simRegistry, fileSpoolDir: fileSpoolDirOf(ctx.config) })
  return {
    name: 'printing',
    service,
    apiRouters: [printingRoutes(service), printerSimRoutes(() => demo?.sims ?? new Map())],
    async start() {
      if (ctx.config.demo) {
        const { startDemoPrinters } = await import('./demo-wiring.ts')
        demo = await startDemoPrinters(service, ctx.config.dataDir, log)
      }
      await service.start()
      log.info({ serverId: config.serverId, instance: config.instance }, 'print queue started')
    },
    async stop() {
      await service.stop()
      await demo?.stop()
    },
  }
}
