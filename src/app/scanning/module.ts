import type { ModuleContext, ServerModule } from '../module.ts'

/** The scanning feature. (Scaffold: filled in by the scanning work.) */
export async function createScanningModule(_ctx: ModuleContext): Promise<ServerModule> {
  return { name: 'scanning' }
}
