/**
 * `npm run sim -- COMMAND …`: drives a running Studio Print's simulated devices by hand, over HTTP.
 *
 *   scan STATION DATA          a scan through the station's sim: scanner (the real driver path),
 *                              or as an HTTP scan when the station has none; prints the result
 *   double-read STATION DATA   the same code read twice at once (debounce → DUPLICATE_SCAN)
 *   garbage STATION            line noise from the station's sim scanner (BARCODE_INVALID)
 *   unplug SCANNER | replug SCANNER
 *   http-scan STATION DATA     always as an HTTP scan
 *   close STATION | undo STATION
 *   mode STATION lookup|advance [TARGET]
 *   stations | scanners | cards STATION | log STATION [N]
 *   events STATION             follows the station's live results (Ctrl-C to stop)
 *   printer NAME FAULT         a demo printer: paper-out|paper-in|head-open|head-closed|ribbon-out|
 *                              ribbon-in|pause|resume|offline|online|clear
 *
 * Environment: STUDIO_URL (default http://127.0.0.1:$PORT, PORT 8080), STUDIO_TOKEN or
 * STUDIO_ADMIN_TOKEN (an admin token: the sim controls need one).
 */
const base = (process.env.STUDIO_URL ?? `http://127.0.0.1:${process.env.PORT || 8080}`).replace(/\/$/, '')
const token = process.env.STUDIO_TOKEN ?? process.env.STUDIO_ADMIN_TOKEN ?? ''

type Json = Record<string, any>

async function api(path: string, init: { method?: string; json?: unknown; signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers }
  if (token) headers.authorization = `Bearer ${token}`
  if (init.json !== undefined) headers['content-type'] = 'application/json'
  try {
    return await fetch(base + path, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json), signal: init.signal })
  } catch (err) {
    fail(`cannot reach Studio Print at ${base} (${(err as Error).message}); start it with npm start, or set STUDIO_URL`)
  }
}

async function call(path: string, init: Parameters<typeof api>[1] = {}): Promise<Json> {
  const res = await api(path, init)
  const text = await res.text()
  const body = text ? (JSON.parse(text) as Json) : {}
  if (res.status === 401) fail(`401: set STUDIO_ADMIN_TOKEN (or STUDIO_TOKEN) to an admin token of ${base}`)
  if (res.status >= 400) fail(`${res.status} ${body.code ?? ''}: ${body.detail ?? text}`)
  return body
}

function fail(message: string): never {
  console.error(`sim: ${message}`)
  process.exit(1)
}

function show(result: Json): void {
  const status = result.status ? ` — now ${result.status.name} (${result.status.key})` : ''
  const client = result.client ? ` — ${result.client.name}` : ''
  const what = result.outcome === 'advanced' ? `${result.fromName} → ${result.toName}${result.flags?.length ? ` [${result.flags.join(', ')}]` : ''}` : result.outcome === 'opened' ? `opened ${result.type} ${result.record?.barcode ?? result.record?.id}` : `${result.code ?? ''} ${result.message ?? ''}`
  console.log(`#${result.scanId} ${result.station} ${result.outcome.toUpperCase()} ${result.data}: ${what}${status}${client}`)
}

/** Opens the station's event stream and resolves with the next result (or null after `ms`). */
async function nextResult(station: string, ms = 3000): Promise<{ ready: Promise<void>; result: Promise<Json | null>; stop(): void }> {
  const controller = new AbortController()
  const res = await api(`/api/stations/${encodeURIComponent(station)}/events`, { signal: controller.signal, headers: { accept: 'text/event-stream' } })
  if (res.status !== 200) {
    const body = (await res.json().catch(() => ({}))) as Json
    fail(`${res.status} ${body.code ?? ''}: ${body.detail ?? ''}`)
  }
  const result = (async () => {
    const timer = setTimeout(() => controller.abort(), ms)
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        let cut: number
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut)
          buffer = buffer.slice(cut + 2)
          if (/^event:/m.test(block)) continue
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n')
          if (data) return JSON.parse(data) as Json
        }
      }
    } catch {
      // timed out
    } finally {
      clearTimeout(timer)
      controller.abort()
    }
    return null
  })()
  return { ready: Promise.resolve(), result, stop: () => controller.abort() }
}

async function simScannerOf(station: string): Promise<Json | undefined> {
  const { items } = await call(`/api/scanners?station=${encodeURIComponent(station)}`)
  return (items as Json[]).find((s) => String(s.uri).startsWith('sim:'))
}

async function viaScanner(station: string, body: Json): Promise<void> {
  const scanner = await simScannerOf(station)
  if (!scanner) {
    if (body.action !== 'scan') fail(`station "${station}" has no sim: scanner`)
    console.log(`(station "${station}" has no sim: scanner: sending an HTTP scan)`)
    show(await call(`/api/stations/${encodeURIComponent(station)}/scans`, { method: 'POST', json: { data: body.data } }))
    return
  }
  const listen = await nextResult(station)
  const answer = await call(`/api/scanners/${encodeURIComponent(scanner.name)}/sim`, { method: 'POST', json: body })
  if (!answer.delivered) {
    listen.stop()
    fail(`scanner ${scanner.name} is not connected (${answer.state?.lastError?.message ?? 'unplugged'}); try: npm run sim -- replug ${scanner.name}`)
  }
  const result = await listen.result
  if (result) show(result)
  else console.log(`sent to ${scanner.name}; no result within 3 s (see: npm run sim -- log ${station})`)
}

const [command, ...args] = process.argv.slice(2)
const need = (n: number, usage: string) => {
  if (args.length < n) fail(`usage: npm run sim -- ${usage}`)
}

switch (command) {
  case 'scan':
    need(2, 'scan STATION DATA')
    await viaScanner(args[0], { action: 'scan', data: args.slice(1).join(' ') })
    break
  case 'double-read':
    need(2, 'double-read STATION DATA')
    await viaScanner(args[0], { action: 'double-read', data: args[1] })
    break
  case 'garbage':
    need(1, 'garbage STATION')
    await viaScanner(args[0], { action: 'garbage' })
    break
  case 'http-scan':
    need(2, 'http-scan STATION DATA')
    show(await call(`/api/stations/${encodeURIComponent(args[0])}/scans`, { method: 'POST', json: { data: args.slice(1).join(' ') } }))
    break
  case 'unplug':
  case 'replug': {
    need(1, `${command} SCANNER`)
    const answer = await call(`/api/scanners/${encodeURIComponent(args[0])}/sim`, { method: 'POST', json: { action: command } })
    console.log(`${args[0]}: ${answer.plugged ? 'plugged in' : 'unplugged'}`)
    break
  }
  case 'close':
    need(1, 'close STATION')
    await call(`/api/stations/${encodeURIComponent(args[0])}/close`, { method: 'POST' })
    console.log(`${args[0]}: closed`)
    break
  case 'undo':
    need(1, 'undo STATION')
    show(await call(`/api/stations/${encodeURIComponent(args[0])}/undo`, { method: 'POST' }))
    break
  case 'mode': {
    need(2, 'mode STATION lookup|advance [TARGET]')
    const s = await call(`/api/stations/${encodeURIComponent(args[0])}`, { method: 'PATCH', json: { mode: args[1], advanceTo: args[2] ?? null } })
    console.log(`${s.name}: ${s.mode}${s.advanceTo ? ` → ${s.advanceTo}` : ''}`)
    break
  }
  case 'stations':
    for (const s of (await call('/api/stations')).items as Json[]) console.log(`${s.name}\t${s.mode}${s.advanceTo ? ` → ${s.advanceTo}` : ''}${s.openRecord ? `\topen: ${s.openRecord.type} ${s.openRecord.id}` : ''}`)
    break
  case 'scanners':
    for (const s of (await call('/api/scanners')).items as Json[]) console.log(`${s.name}\t${s.station}\t${s.uri}\t${s.state === null ? `at ${s.location} (another server)` : s.state.connected ? 'connected' : `DISCONNECTED ${s.state.lastError?.message ?? ''}`}`)
    break
  case 'cards':
    need(1, 'cards STATION')
    for (const c of (await call(`/api/stations/${encodeURIComponent(args[0])}/mode-cards`)).cards as Json[]) console.log(`${c.payload}\t${c.label}`)
    break
  case 'log':
    need(1, 'log STATION [N]')
    for (const r of ((await call(`/api/stations/${encodeURIComponent(args[0])}/scans?limit=${Number(args[1] ?? 20)}`)).items as Json[]).reverse()) show(r)
    break
  case 'events': {
    need(1, 'events STATION')
    console.log(`following ${args[0]} (Ctrl-C to stop)`)
    for (;;) {
      const listen = await nextResult(args[0], 3_600_000)
      const r = await listen.result
      if (r) show(r)
    }
  }
  case 'printer': {
    need(2, 'printer NAME paper-out|paper-in|head-open|head-closed|ribbon-out|ribbon-in|pause|resume|offline|online|clear')
    const res = await api(`/api/printers/${encodeURIComponent(args[0])}/sim`, { method: 'POST', json: { fault: args[1] } })
    const text = await res.text()
    if (res.status >= 400) fail(`${res.status}: ${text}`)
    console.log(text)
    break
  }
  default:
    console.log(`usage: npm run sim -- COMMAND …
  scan STATION DATA | double-read STATION DATA | garbage STATION | http-scan STATION DATA
  unplug SCANNER | replug SCANNER | close STATION | undo STATION | mode STATION lookup|advance [TARGET]
  stations | scanners | cards STATION | log STATION [N] | events STATION
  printer NAME paper-out|paper-in|head-open|head-closed|ribbon-out|ribbon-in|pause|resume|offline|online|clear
env: STUDIO_URL (${base}), STUDIO_ADMIN_TOKEN or STUDIO_TOKEN`)
    process.exit(command ? 1 : 0)
}
