import type { ModuleContext, ServerModule } from '../module.ts'

/** The printing feature. (Scaffold: filled in by the printing work.) */
export async function createPrintingModule(_ctx: ModuleContext): Promise<ServerModule> {
  return { name: 'printing' }
}
