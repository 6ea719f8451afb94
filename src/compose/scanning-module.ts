import type { ModuleContext, ServerModule } from './module.ts'
import type { Backoff } from '../drivers/scanners/scanner.ts'
import type { SerialBinding } from '../drivers/scanners/serial-scanner.ts'
import { stationRoutes, type StationRoutes } from '../server/routes/stations.ts'
import { ScanService } from '../app/scanning/scan-service.ts'
import { ScannerManager, type SimScanners } from '../app/scanning/scanner-manager.ts'
import { DEFAULT_EVENTS_POLL_MS, StationEvents, type StationListener } from '../app/scanning/station-events.ts'
import { ScanLogStore } from '../store/scan-log-store.ts'
import { StationEventLogStore } from '../store/station-event-log-store.ts'
import type { ScanResult } from '../app/scanning/scan-result.ts'
import { servedBy } from '../store/station-store.ts'

export interface ScanningOptions {
  /** In-process simulated scanners for `sim:NAME`; hw-sim's registry, loaded on start, by default. */
  sim?: SimScanners
  serialBinding?: SerialBinding
  backoff?: Backoff
  debounceMs?: number
  heartbeatMs?: number
  /** How often the scanners of this location are read again, to open ones added through another server (default 2 s). */
  syncMs?: number
  /** How often an idle event stream reads the scan log for other servers' scans (default: config, else 500 ms). */
  eventsPollMs?: number
}

/** The scanning module: the composition root mounts it; the web pages subscribe through it. */
export interface ScanningModule extends ServerModule {
  name: 'scanning'
  service: ScanService
  scanners: ScannerManager
  events: StationEvents
  /** A station's live events (scan results, scanner state, station changes); returns unsubscribe. */
  subscribe(station: string, listener: StationListener): () => void
  /** A scan as if typed at the station (keyboard-wedge pages on the server side). */
  scan(station: string, data: string, by: string): Promise<ScanResult>
}

/** The demo's stations: a front desk that opens records and a production room that advances orders. */
export const DEMO_STATIONS = [
  { name: 'front-desk', mode: 'lookup' as const, scanner: 'front-desk-scanner', uri: 'sim:front-desk' },
  { name: 'production', mode: 'advance' as const, scanner: 'production-scanner', uri: 'sim:production' },
]

/**
 * Scanner stations (issue 5): stations and scanners by API, every scan (hub or HTTP) routed to
 * a lookup or a status advance, logged, and pushed live over SSE.
 */
export async function createScanningModule(ctx: ModuleContext, options: ScanningOptions = {}): Promise<ScanningModule> {
  const log = ctx.log.child({ component: 'scanning' })
  const serverId = ctx.config.serverId
  const events = new StationEvents({
    tail: new ScanLogStore(ctx.stores.database.db),
    // Scanner and station events go through the database too, so every server's screens see them.
    eventLog: new StationEventLogStore(ctx.stores.database.db, () => ctx.stores.clock().getTime()),
    pollMs: options.eventsPollMs ?? ctx.config.scanEventsPollMs ?? DEFAULT_EVENTS_POLL_MS,
    onError: (err, station) => log.warn({ err, station }, 'station event log could not be read or written for a station stream'),
  })
  const service = new ScanService({
    stores: ctx.stores,
    events,
    log,
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
  })
  // The in-process sim scanners (`sim:NAME`, the demo's and the tests'): hw-sim is loaded, lazily,
  // by the demo wiring only.
  const sim = options.sim ?? (await (await import('./demo-wiring.ts')).simScanners())
  const handleFailure = (err: unknown, station: string) => log.error({ err, station }, 'scan could not be handled')
  const scanners = new ScannerManager({
    // The hub names its own component ('scanner') per scanner.
    log: ctx.log,
    sim,
    ...(options.serialBinding ? { serialBinding: options.serialBinding } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    onScan: (e) => {
      if (!e.station) return
      service
        .scan({ station: e.station, data: e.data, source: 'scanner', scanner: e.scanner, by: `scanner:${e.scanner}`, symbology: e.symbology, aimId: e.aimId, at: e.at })
        .catch((err) => handleFailure(err, e.station!))
    },
    onRejected: (e) => {
      if (!e.station) return
      service
        .scan({ station: e.station, data: e.raw, source: 'scanner', scanner: e.scanner, by: `scanner:${e.scanner}`, rejected: e.error, at: e.at })
        .catch((err) => handleFailure(err, e.station!))
    },
    onState: (scanner, station, state) => {
      if (station) events.publish(station, { kind: 'scanner', scanner, state })
      log.info({ scanner, station, connected: state.connected, error: state.lastError?.code }, 'scanner state')
    },
  })
  const routes: StationRoutes = stationRoutes({ service, scanners, events, serverId, ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}) })
  // This server opens only the scanners of its location (or of none: rows from before locations).
  const ownScanners = async () => (await service.stations.scanners()).filter((row) => servedBy(row.location, serverId))
  let syncTimer: ReturnType<typeof setInterval> | null = null
  let syncing: Promise<void> | null = null
  const sync = () => {
    syncing ??= scanners
      .sync(ownScanners)
      .catch((err) => log.warn({ err }, 'scanners could not be read again'))
      .finally(() => (syncing = null))
    return syncing
  }

  return {
    name: 'scanning',
    service,
    scanners,
    events,
    apiRouters: [routes.router],
    subscribe: (station, listener) => events.subscribe(station, listener),
    scan: (station, data, by) => service.scan({ station, data, source: 'http', scanner: null, by }),
    async start() {
      if (ctx.config.demo) {
        for (const d of DEMO_STATIONS) {
          await service.stations.ensure({ name: d.name, mode: d.mode, advanceTo: null, location: serverId })
          const found = await service.stations.findScanner(d.scanner)
          if (!found) {
            await service.stations.addScanner({ name: d.scanner, station: d.name, uri: d.uri, location: serverId }).catch((err) => log.debug({ err }, 'demo scanner exists'))
          } else if (!servedBy(found.location, serverId)) {
            // Like the demo printers: the demo's sim scanners are the running server's.
            await service.stations.setScannerLocation(d.scanner, serverId)
          }
        }
      }
      // Every scanner of this location opens in the background: one that can't is shown with its error.
      for (const row of await ownScanners()) {
        await scanners.open(row)
      }
      syncTimer = setInterval(() => void sync(), options.syncMs ?? 2_000)
      syncTimer.unref()
    },
    async stop() {
      if (syncTimer) clearInterval(syncTimer)
      await syncing
      routes.closeStreams()
      await scanners.stop()
      await service.idle()
      await events.flush()
    },
  }
}
