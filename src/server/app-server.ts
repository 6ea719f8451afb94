import { IncomingMessage, ServerResponse, createServer, type Server } from 'node:http'
import type { Express } from 'express'

/**
 * The HTTP server for an express app, its requests and responses made with the app's own
 * prototypes from the start.
 *
 * Express gives every request and response its prototypes (`app.request`, `app.response`) with
 * `Object.setPrototypeOf` as it takes them. On objects made as plain `IncomingMessage` and
 * `ServerResponse` that swap costs V8 dearly: measured on a bare express 5 app at 200 requests/s
 * (`--trace-gc-nvp`), about a third of everything the requests allocated survived each young
 * collection and 2–5 MB/s went on to the old generation, where only full collections (their
 * pauses and their marking threads) reclaim it; a plain `node:http` handler kept 0.3 %. Made with
 * those prototypes already, the swap changes nothing, and the same app kept 0.1 % and promoted
 * almost nothing. Nothing else differs: the objects are the same `IncomingMessage` and
 * `ServerResponse` (`instanceof` holds), constructed by Node's own constructors.
 *
 * Only the top-level app is covered: an express app mounted inside another (`app.use(path,
 * express())`) swaps the prototypes again on the way in and out of it. The server mounts routers
 * only; keep it so.
 */
export function createAppServer(app: Express): Server {
  return createServer({ IncomingMessage: withPrototype(IncomingMessage, app.request), ServerResponse: withPrototype(ServerResponse, app.response) }, app)
}

/**
 * A constructor whose instances have `prototype` and are built by `base`'s own code, called on
 * them (a function: a class's prototype can't be replaced). `Reflect.construct(base, args,
 * AppMessage)` would also do, but measured at queue intake it cost 0.23 ms of main thread per
 * request more than this (why, I did not find out). Node 20's two constructors are
 * plain functions; should a later Node make them classes (which can't be called), the server
 * falls back to Node's own constructors and express's swap.
 */
function withPrototype<C extends typeof IncomingMessage | typeof ServerResponse>(base: C, prototype: object): C {
  if (/^class\b/.test(Function.prototype.toString.call(base))) return base
  function AppMessage(this: object, ...args: unknown[]): void {
    ;(base as unknown as (this: object, ...a: unknown[]) => void).apply(this, args)
  }
  AppMessage.prototype = prototype
  return AppMessage as unknown as C
}
