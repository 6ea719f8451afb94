import { IncomingMessage, ServerResponse, createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
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
 */
export function createAppServer(app: Express): Server {
  return createServer({ IncomingMessage: withPrototype(IncomingMessage, app.request), ServerResponse: withPrototype(ServerResponse, app.response) }, app)
}

/** A constructor that runs `base` on an object whose prototype is `prototype` (a function: a class's prototype can't be replaced). */
function withPrototype<C extends typeof IncomingMessage | typeof ServerResponse>(base: C, prototype: object): C {
  function AppMessage(this: object, first: Socket | IncomingMessage, options?: unknown): void {
    ;(base as unknown as (this: object, first: unknown, options?: unknown) => void).call(this, first, options)
  }
  AppMessage.prototype = prototype
  return AppMessage as unknown as C
}
