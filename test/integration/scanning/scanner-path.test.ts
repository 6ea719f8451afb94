import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { commandPeer } from '../../support/peers.ts'
import { PtySerialScannerSim } from '../../../hw-sim/scanners/pty-serial-scanner-sim.ts'
import { json, makeOrder, SseClient } from './helpers.ts'

const hasSocat = commandPeer('socat', 'socat')

async function until(check: () => Promise<boolean> | boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe.each(DB_KINDS)('scans from scanners (sim and a real pty) on %s', (kind) => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer(kind)
    await s.api('/api/stations', { method: 'POST', json: { name: 'bench-a', mode: 'advance' } })
    await s.api('/api/stations', { method: 'POST', json: { name: 'desk', mode: 'lookup' } })
    expect((await s.api('/api/scanners', { method: 'POST', json: { name: 'a-sim', station: 'bench-a', uri: 'sim:a-sim' } })).status).toBe(201)
    expect((await s.api('/api/scanners', { method: 'POST', json: { name: 'desk-sim', station: 'desk', uri: 'sim:desk-sim' } })).status).toBe(201)
  })
  afterAll(async () => {
    await s?.close()
  })

  const simScan = async (scanner: string, body: Record<string, unknown>) => {
    const res = await s.api(`/api/scanners/${scanner}/sim`, { method: 'POST', json: body })
    expect(res.status).toBe(200)
    return json<{ delivered: boolean }>(res)
  }

  it('when a simulated scanner reads each kind of code, then every outcome code arrives on the station stream from the scanner path', async () => {
    const sse = await SseClient.open(s, '/api/stations/bench-a/events')
    const desk = await SseClient.open(s, '/api/stations/desk/events')
    const expectNext = async (client: SseClient, send: () => Promise<unknown>, expected: Record<string, unknown>) => {
      const from = client.events.length
      await send()
      const e = await client.next((x) => x.event === 'message', 5000, from)
      const result = JSON.parse(e.data)
      expect(result).toMatchObject({ source: 'scanner', ...expected })
      return result
    }
    const a = await makeOrder(s, 0)
    const adv = await expectNext(sse, () => simScan('a-sim', { action: 'scan', data: a.barcode, aimId: ']C0', chunks: [2, 3] }), { outcome: 'advanced', scanner: 'a-sim', to: 'retouching', symbology: 'Code 128' })
    expect(await json(await s.api(`/api/production-orders/${a.id}`))).toMatchObject({ status: 'retouching' })
    const history = await json<{ items: Array<{ station: string; by: string }> }>(await s.api(`/api/production-orders/${a.id}/history`))
    expect(history.items.at(-1)).toMatchObject({ station: 'bench-a', by: 'scanner:a-sim' })
    expect(adv.scanId).toBeGreaterThan(0)

    // Double read: the second within the debounce window.
    const from = sse.events.length
    const b = await makeOrder(s, 0, a.clientId)
    await simScan('a-sim', { action: 'double-read', data: b.barcode })
    await sse.next((x) => x.event === 'message' && JSON.parse(x.data).code === 'DUPLICATE_SCAN', 5000, from)
    expect(sse.results<{ outcome: string }>().slice(-2).map((r) => r.outcome)).toEqual(['advanced', 'warning'])

    await expectNext(sse, () => simScan('a-sim', { action: 'garbage' }), { outcome: 'error', code: 'BARCODE_INVALID' })
    await expectNext(sse, () => simScan('a-sim', { action: 'scan', data: 'HELLO' }), { outcome: 'error', code: 'BARCODE_INVALID' })
    await expectNext(sse, () => simScan('a-sim', { action: 'scan', data: 'C-000001' }), { outcome: 'error', code: 'WRONG_RECORD_TYPE' })
    await expectNext(sse, () => simScan('a-sim', { action: 'scan', data: 'PO-999998' }), { outcome: 'error', code: 'RECORD_NOT_FOUND' })
    const final = await makeOrder(s, 7, a.clientId)
    await expectNext(sse, () => simScan('a-sim', { action: 'scan', data: final.barcode }), { outcome: 'error', code: 'FINAL_STATUS', status: { key: 'picked-up' } })
    const held = await makeOrder(s, 0, a.clientId)
    await s.api(`/api/production-orders/${held.id}/advance`, { method: 'POST', json: { to: 'waiting-on-client' } })
    await expectNext(sse, () => simScan('a-sim', { action: 'scan', data: held.barcode }), { outcome: 'error', code: 'ORDER_ON_HOLD' })
    const cancelled = await makeOrder(s, 0, a.clientId)
    await s.api(`/api/production-orders/${cancelled.id}/advance`, { method: 'POST', json: { to: 'cancelled' } })
    await expectNext(sse, () => simScan('a-sim', { action: 'scan', data: cancelled.barcode }), { outcome: 'error', code: 'ORDER_CANCELLED' })

    // Target status by mode card, through the scanner.
    await expectNext(sse, () => simScan('a-sim', { action: 'scan', data: 'TO-READY-TO-SEND' }), { outcome: 'mode-changed', advanceTo: 'ready-to-send' })
    const there = await makeOrder(s, 2, a.clientId)
    await expectNext(sse, () => simScan('a-sim', { action: 'scan', data: there.barcode }), { outcome: 'warning', code: 'ALREADY_AT_STATUS' })
    await s.api('/api/production-statuses', {
      method: 'PUT',
      json: [
        (await json<Array<{ orderType: string }>>(await s.api('/api/production-statuses'))).find((t) => t.orderType === 'default'),
        { orderType: 'frame', statuses: [{ key: 'entered', name: 'Entered', sort: 10, durationDays: 1, kind: 'initial' }, { key: 'framed', name: 'Framed', sort: 20, durationDays: 1, kind: 'final' }] },
      ],
    })
    const frame = await json<{ barcode: string }>(await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Frame Shop', orderType: 'frame', productionOrderNumber: 'auto' } }))
    await expectNext(sse, () => simScan('a-sim', { action: 'scan', data: frame.barcode }), { outcome: 'error', code: 'STATUS_NOT_IN_TRACK' })

    // Lookup station: opened, then the next record replaces it (stations have no editing: nothing unsaved is lost).
    await expectNext(desk, () => simScan('desk-sim', { action: 'scan', data: a.barcode }), { outcome: 'opened', type: 'production-order', client: { name: 'Okafor, Amara' } })
    await expectNext(desk, () => simScan('desk-sim', { action: 'scan', data: b.barcode }), { outcome: 'opened', replaced: { type: 'production-order', id: a.id } })
    await sse.close()
    await desk.close()
  })

  it('when a simulated scanner is unplugged and plugged back, then its state shows it and scans resume', async () => {
    const sse = await SseClient.open(s, '/api/stations/desk/events')
    await s.api('/api/stations/desk/close', { method: 'POST' })
    expect((await simScan('desk-sim', { action: 'unplug' })).delivered).toBe(true)
    await until(async () => (await json<{ state: { connected: boolean } }>(await s.api('/api/scanners/desk-sim'))).state.connected === false, 5000, 'disconnect')
    const lost = await sse.next((e) => e.event === 'scanner' && JSON.parse(e.data).connected === false)
    expect(JSON.parse(lost.data)).toMatchObject({ scanner: 'desk-sim', lastError: { code: 'SCANNER_DISCONNECTED' } })
    expect((await simScan('desk-sim', { action: 'scan', data: 'C-000001' })).delivered).toBe(false)
    await simScan('desk-sim', { action: 'replug' })
    await until(async () => (await json<{ state: { connected: boolean } }>(await s.api('/api/scanners/desk-sim'))).state.connected, 10_000, 'reconnect')
    const from = sse.events.filter((e) => e.event === 'message').length
    await simScan('desk-sim', { action: 'scan', data: 'C-000001' })
    await until(() => sse.results().length > from, 5000, 'scan after replug')
    expect(sse.results().at(-1)).toMatchObject({ outcome: 'opened', type: 'client' })
    await sse.close()
  })

  it.skipIf(!hasSocat)('when bytes are written to a real serial pty, then the status is committed and the event pushed; unplugged and back, it resumes without a restart', async () => {
    const pty = await PtySerialScannerSim.start()
    try {
      await s.api('/api/stations', { method: 'POST', json: { name: 'serial-st', mode: 'advance' } })
      const created = await json<{ state: { connected: boolean } }>(await s.api('/api/scanners', { method: 'POST', json: { name: 'pty-1', station: 'serial-st', uri: `serial:${pty.path}?baud=9600` } }))
      expect(created.state.connected).toBe(true)
      const sse = await SseClient.open(s, '/api/stations/serial-st/events')
      const o = await makeOrder(s, 0)
      await pty.scan(o.barcode, { terminator: '\r\n' }, [3, 4])
      const e = await sse.next()
      expect(JSON.parse(e.data)).toMatchObject({ outcome: 'advanced', scanner: 'pty-1', source: 'scanner', to: 'retouching' })
      expect(await json(await s.api(`/api/production-orders/${o.id}`))).toMatchObject({ status: 'retouching' })

      await pty.unplug()
      await until(async () => (await json<{ state: { connected: boolean } }>(await s.api('/api/scanners/pty-1'))).state.connected === false, 5000, 'disconnect')
      const st = await json<{ state: { lastError: { code: string } } }>(await s.api('/api/scanners/pty-1'))
      expect(st.state.lastError.code).toBe('SCANNER_DISCONNECTED')
      await pty.replug()
      await until(async () => (await json<{ state: { connected: boolean } }>(await s.api('/api/scanners/pty-1'))).state.connected, 15_000, 'reconnect')
      const count = sse.results().length
      await pty.scan(o.barcode) // outside the debounce window by now? the batch says: duplicate
      await until(() => sse.results().length > count, 5000, 'scan after replug')
      expect(sse.results().at(-1)).toMatchObject({ source: 'scanner', scanner: 'pty-1', code: 'DUPLICATE_SCAN' })
      const p = await makeOrder(s, 0, undefined)
      await pty.scan(p.barcode)
      await until(() => sse.results().length > count + 1, 5000, 'second scan after replug')
      expect(sse.results().at(-1)).toMatchObject({ outcome: 'advanced', to: 'retouching' })
      await sse.close()
      expect((await s.api('/api/scanners/pty-1', { method: 'DELETE' })).status).toBe(204)
    } finally {
      await pty.dispose()
    }
  })
})
