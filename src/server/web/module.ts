import type { ModuleContext, ServerModule } from '../../app/module.ts'

/** The web pages. (Scaffold: filled in by the web app work.) */
export async function createWebModule(_ctx: ModuleContext): Promise<ServerModule> {
  return { name: 'web' }
}
