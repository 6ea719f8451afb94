import type { ModuleContext, ServerModule } from './module.ts'
import { webRoutes } from '../server/web/web-routes.ts'
import { authDepsOf } from '../server/auth.ts'
import { cachePageFragments } from '../server/web/page-shell.ts'

/** The web pages: sign-in, front desk, station screens, print queue, settings (static assets, no build step). */
export async function createWebModule(ctx: ModuleContext): Promise<ServerModule> {
  cachePageFragments(ctx.config.web.cachePages)
  return { name: 'web', pageRouters: [webRoutes(authDepsOf(ctx.stores))] }
}
