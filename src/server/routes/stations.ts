import { Router, type Request } from 'express'
import { z } from 'zod'
import { allow, ownStation, refuseModeCard } from '../auth.ts'
import { parseInput } from '../../domain/inputs.ts'
import { AppError, NotFoundError, ValidationError } from '../../domain/errors.ts'
import { STATION_MODES, TARGET_KINDS } from '../../domain/scan-routing.ts'
import { AIM_MODES } from '../../domain/aim-identifiers.ts'
import { bodyOf } from './params.ts'
import type { ScanService } from '../../app/scanning/scan-service.ts'
import { checkName } from '../../app/scanning/scan-service.ts'
import { ScannerManager } from '../../app/scanning/scanner-manager.ts'
import type { StationEvents } from '../../app/scanning/station-events.ts'
import type { ScanResult } from '../../app/scanning/scan-result.ts'
import { scanResultSummary } from '../../app/record-summary.ts'
import { servedBy, type ScannerRow, type Station } from '../../store/station-store.ts'

/** A server id (STUDIO_SERVER_ID): the location serving a station or scanner. */
const location = z.string().min(1).max(80)
export const stationCreate = z.strictObject({
  name: z.string().min(1).max(80),
  mode: z.enum(STATION_MODES),
  advanceTo: z.string().min(1).max(40).nullable().optional(),
  location: location.optional(),
})
export const stationPatch = z.strictObject({
  mode: z.enum(STATION_MODES).optional(),
  /** `chosen` with no advanceTo: a chosen status not picked yet (scans refused until it is). */
  target: z.enum(TARGET_KINDS).optional(),
  advanceTo: z.string().min(1).max(40).nullable().optional(),
  allowBackward: z.boolean().optional(),
})
export const scanningPrefs = z.strictObject({ batchIdleMinutes: z.number().int() })
export const scanBody = z.strictObject({
  data: z.string().max(4096),
  /** Whether `data` may start with an AIM identifier: `auto` (default: a known one is read), `on`, or `off` (the text is the data as it is). */
  aim: z.enum(AIM_MODES).optional(),
})
export const scannerCreate = z.strictObject({ name: z.string().min(1).max(80), station: z.string().min(1).max(80), uri: z.string().min(1).max(1000), location: location.optional() })
export const simBody = z.strictObject({
  action: z.enum(['scan', 'double-read', 'garbage', 'unplug', 'replug']),
  data: z.string().max(4096).optional(),
  aimId: z.string().max(3).optional(),
  terminator: z.enum(['\r', '\n', '\r\n', '\t', '']).optional(),
  chunks: z.array(z.number().int().min(1).max(4096)).max(64).optional(),
})

export interface StationRoutesDeps {
  service: ScanService
  scanners: ScannerManager
  events: StationEvents
  /** This server's id (STUDIO_SERVER_ID): the location whose scanners it opens. */
  serverId: string
  /** Comment lines sent this often keep proxies and browsers from dropping an idle stream. */
  heartbeatMs?: number
}

export interface StationRoutes {
  router: Router
  /** Ends every open event stream (server shutdown). */
  closeStreams(): void
  openStreams(): number
}

function nameParam(req: Request): string {
  return checkName('station', req.params.name)
}

/**
 * Stations, scanners, scans, the scan log and the live event stream (CONTRACT.md "Scanner
 * stations"). A station token acts only for its own station.
 */
export function stationRoutes(deps: StationRoutesDeps): StationRoutes {
  const { service, scanners, events, serverId } = deps
  const heartbeatMs = deps.heartbeatMs ?? 15_000
  const streams = new Set<() => void>()
  const r = Router()

  /** `owned`: this server serves it (its location is this server's id, or not set). */
  const stationView = (station: Station) => ({ ...station, owned: servedBy(station.location, serverId) })
  /**
   * A scanner of another location is opened by that location's server: its state here is the one
   * that server last reported through the station event log (with `reportedAt`), null when none
   * is at hand — never a guess.
   */
  const scannerView = (row: ScannerRow, reported?: Map<string, Record<string, unknown>>) => {
    const owned = servedBy(row.location, serverId)
    return { ...row, owned, state: owned ? scanners.state(row.name) : (reported?.get(row.name) ?? null) }
  }
  /** The views of `rows`, reading the reported states of other servers' scanners once per station. */
  const scannerViews = async (rows: ScannerRow[]) => {
    const reported = new Map<string, Map<string, Record<string, unknown>>>()
    for (const row of rows) {
      if (servedBy(row.location, serverId) || reported.has(row.station)) continue
      reported.set(row.station, await events.reportedScannerStates(row.station))
    }
    return rows.map((row) => scannerView(row, reported.get(row.station)))
  }

  // ---------------------------------------------------------- stations
  r.post('/stations', allow(), async (req, res) => {
    const input = parseInput(stationCreate, bodyOf(req))
    res.status(201).json(stationView(await service.createStation({ name: input.name, mode: input.mode, advanceTo: input.advanceTo ?? null, location: input.location ?? serverId })))
  })
  r.get('/stations', allow('client', 'station'), async (_req, res) => {
    res.json({ items: (await service.stations.list()).map(stationView) })
  })
  r.get('/stations/:name', allow('client', 'station'), async (req, res) => {
    const name = nameParam(req)
    ownStation(req, name)
    const station = await service.stations.get(name)
    const rows = await service.stations.scanners(name)
    res.json({ ...stationView(station), scanners: await scannerViews(rows) })
  })
  r.patch('/stations/:name', allow('station'), async (req, res) => {
    const name = nameParam(req)
    ownStation(req, name)
    const input = parseInput(stationPatch, bodyOf(req))
    await service.stations.get(name)
    const patch: Parameters<ScanService['updateStation']>[1] = {}
    if (input.mode !== undefined) patch.mode = input.mode
    if (input.target !== undefined) patch.target = input.target
    if (input.advanceTo !== undefined) patch.advanceTo = input.advanceTo
    if (input.target === 'next' && input.advanceTo) {
      throw new ValidationError('A station set to the next status has no chosen status: send target "chosen" with advanceTo, or advanceTo alone.', { target: input.target, advanceTo: input.advanceTo }, 'VALIDATION_FAILED')
    }
    // Backward moves are a studio decision: only an admin may allow them.
    if (input.allowBackward !== undefined) {
      if (req.principal?.role !== 'admin') throw new AppError('FORBIDDEN', 'forbidden', 'Only an admin may allow backward moves at a station.', { station: name })
      patch.allowBackward = input.allowBackward
    }
    res.json(stationView(await service.updateStation(name, patch)))
  })
  r.post('/stations/:name/batch', allow('client', 'station'), async (req, res) => {
    const name = nameParam(req)
    ownStation(req, name)
    await service.stations.get(name)
    res.json(stationView(await service.newBatch(name)))
  })
  r.get('/preferences/scanning', allow('client', 'station'), async (_req, res) => {
    res.json(await service.scanningPreferences())
  })
  r.put('/preferences/scanning', allow(), async (req, res) => {
    res.json(await service.setScanningPreferences(parseInput(scanningPrefs, bodyOf(req))))
  })
  r.delete('/stations/:name', allow(), async (req, res) => {
    const name = nameParam(req)
    await service.stations.get(name)
    for (const row of await service.stations.scanners(name)) await scanners.close(row.name)
    await service.stations.delete(name)
    events.publish(name, { kind: 'station', station: null })
    res.status(204).end()
  })
  r.post('/stations/:name/close', allow('client', 'station'), async (req, res) => {
    const name = nameParam(req)
    ownStation(req, name)
    res.json(stationView(await service.closeRecord(name)))
  })
  r.post('/stations/:name/undo', allow('client', 'station'), async (req, res) => {
    const name = nameParam(req)
    ownStation(req, name)
    res.json(await service.undo(name, req.principal?.name ?? 'anonymous'))
  })
  r.get('/stations/:name/mode-cards', allow('client', 'station'), async (req, res) => {
    const name = nameParam(req)
    ownStation(req, name)
    const cards = await service.modeCards(name)
    if (req.query.format === 'pdf') {
      const { modeCardPdf } = await import('../../app/scanning/mode-card-sheet.ts')
      res.type('application/pdf').send(Buffer.from(await modeCardPdf(name, cards)))
      return
    }
    if (req.query.format !== undefined && req.query.format !== 'json') throw new AppError('FORMAT_NOT_SUPPORTED', 'unsupported', 'Mode cards come as json or pdf.', { format: req.query.format })
    res.json({ station: name, symbology: 'code128', cards: cards.map((c) => ({ payload: c.payload, label: c.label, ...c.card })) })
  })

  // ---------------------------------------------------------- scans
  /** Station tokens see the record of a scan as the summary their screen shows (see record-summary). */
  const presentScan = (req: Request) => (result: ScanResult) => (req.principal?.role === 'station' ? scanResultSummary(result) : result)
  r.post('/stations/:name/scans', allow('client', 'station'), async (req, res) => {
    const name = nameParam(req)
    ownStation(req, name)
    const { data, aim } = parseInput(scanBody, bodyOf(req))
    refuseModeCard(req, data, aim)
    res.json(presentScan(req)(await service.scan({ station: name, data, source: 'http', scanner: null, by: req.principal?.name ?? 'anonymous', ...(aim ? { aim } : {}) })))
  })
  r.get('/stations/:name/scans', allow('client', 'station'), async (req, res) => {
    const name = nameParam(req)
    ownStation(req, name)
    await service.stations.get(name)
    const raw = req.query.limit
    const limit = raw === undefined ? 50 : Number(raw)
    if (typeof raw !== 'undefined' && (typeof raw !== 'string' || !/^\d{1,4}$/.test(raw) || limit < 1 || limit > 500)) {
      throw new ValidationError('limit must be a whole number from 1 to 500.', { limit: raw }, 'QUERY_INVALID')
    }
    res.json({ items: (await service.scanLog.recent<ScanResult>(name, limit)).map(presentScan(req)) })
  })

  // ---------------------------------------------------------- live events (SSE)
  r.get('/stations/:name/events', allow('client', 'station'), async (req, res) => {
    const name = nameParam(req)
    ownStation(req, name)
    await service.stations.get(name)
    // Scans come from the scan log (every server's, in id order), from just after Last-Event-ID
    // or from now: see StationEvents.stream.
    const follow = await events.stream(name, parseLastEventId(req), presentScan(req))
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      // The stream is the whole connection: when it ends (or the server stops) the socket goes too.
      connection: 'close',
    })
    res.write(`retry: 2000\n\n`)
    const stop = follow((frame) => res.writableEnded || res.write(frame))
    const heartbeat = setInterval(() => res.writableEnded || res.write(`: ping\n\n`), heartbeatMs)
    heartbeat.unref()
    const end = () => {
      clearInterval(heartbeat)
      stop()
      streams.delete(end)
      if (!res.writableEnded) res.end()
    }
    streams.add(end)
    req.on('close', end)
    res.on('close', end)
    if (req.destroyed || res.destroyed) end() // gone while the starting point was read
  })

  // ---------------------------------------------------------- scanners
  const scannerRow = async (req: Request): Promise<ScannerRow> => {
    const name = checkName('scanner', req.params.name)
    const row = await service.stations.findScanner(name)
    if (!row) throw new NotFoundError(`Scanner "${name}"`, { scanner: name }, 'SCANNER_NOT_FOUND')
    return row
  }
  r.post('/scanners', allow(), async (req, res) => {
    const input = parseInput(scannerCreate, bodyOf(req))
    checkName('scanner', input.name)
    const uri = ScannerManager.checkUri(input.uri)
    if (!(await service.stations.find(input.station))) {
      throw new AppError('REFERENCE_NOT_FOUND', 'unprocessable', `There is no station "${input.station}"; create it first.`, { station: input.station })
    }
    const row = await service.stations.addScanner({ name: input.name, station: input.station, uri, location: input.location ?? serverId })
    // Another location's server opens it when it next reads the scanners (ScannerManager.sync).
    if (servedBy(row.location, serverId)) await scanners.open(row)
    res.status(201).json(scannerView(row))
  })
  r.get('/scanners', allow('client', 'station'), async (req, res) => {
    const station = typeof req.query.station === 'string' ? req.query.station : undefined
    res.json({ items: await scannerViews(await service.stations.scanners(station)) })
  })
  r.get('/scanners/:name', allow('client', 'station'), async (req, res) => {
    res.json((await scannerViews([await scannerRow(req)]))[0])
  })
  r.delete('/scanners/:name', allow(), async (req, res) => {
    const row = await scannerRow(req)
    await scanners.close(row.name)
    await service.stations.deleteScanner(row.name)
    res.status(204).end()
  })
  /** Drives a `sim:` scanner by hand (`npm run sim`): its bytes go through the real driver path. */
  r.post('/scanners/:name/sim', allow(), async (req, res) => {
    const row = await scannerRow(req)
    const input = parseInput(simBody, bodyOf(req))
    if (!servedBy(row.location, serverId)) {
      throw new AppError('SCANNER_NOT_OWNED', 'conflict', `Scanner "${row.name}" is at location "${row.location}", not this server's ("${serverId}"); drive it through that server.`, { scanner: row.name, location: row.location })
    }
    const sim = scanners.simOf(row)
    let delivered = true
    switch (input.action) {
      case 'scan':
      case 'double-read': {
        if (input.data === undefined) throw new ValidationError('Send data to scan.', {}, 'VALIDATION_FAILED')
        const format = { ...(input.aimId ? { aimId: input.aimId } : {}), ...(input.terminator !== undefined ? { terminator: input.terminator } : {}) }
        delivered = input.action === 'scan' ? sim.scan(input.data, format, input.chunks) : sim.scan(input.data, format) && sim.scan(input.data, format)
        break
      }
      case 'garbage':
        delivered = sim.garbage()
        break
      case 'unplug':
        sim.unplug()
        break
      case 'replug':
        sim.replug()
        break
    }
    res.json({ scanner: row.name, action: input.action, delivered, plugged: sim.plugged, state: scanners.state(row.name) })
  })

  return {
    router: r,
    closeStreams: () => {
      for (const end of [...streams]) end()
    },
    openStreams: () => streams.size,
  }
}

function parseLastEventId(req: Request): number | null {
  const header = req.get('last-event-id')
  const raw = header ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined)
  if (raw === undefined || raw === '') return null
  if (!/^\d{1,15}$/.test(raw.trim())) throw new ValidationError('Last-Event-ID must be a scan id (a whole number).', { lastEventId: raw }, 'QUERY_INVALID')
  return Number(raw.trim())
}

