import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { commandPeer } from '../../support/peers.ts'
import { PtySerialScannerSim } from '../../../hw-sim/scanners/pty-serial-scanner-sim.ts'
import { json, makeOrder, SseClient } from './helpers.ts'

const hasSocat = commandPeer('socat', 'socat')

/**
 * The scanner decides whether its data starts with an AIM identifier (`aim=on|off|auto` on its
 * URI; `aim` in an HTTP scan's body), and routing keeps that decision: text that is data stays
 * data. A `]A0C-000001` from a scanner without identifiers is not the client barcode C-000001.
 */
describe.each(DB_KINDS)('the AIM decision travels with the scan on %s', (kind) => {
  let s: TestServer
  let client: { number: number }
  beforeAll(async () => {
    s = await startTestServer(kind)
    await s.api('/api/stations', { method: 'POST', json: { name: 'desk', mode: 'lookup' } })
    // The serial scanners' own station: the debounce window of the HTTP scans is not theirs.
    await s.api('/api/stations', { method: 'POST', json: { name: 'serial-desk', mode: 'lookup' } })
    const order = await makeOrder(s, 0)
    client = await json<{ number: number }>(await s.api(`/api/clients/${order.clientId}`))
    expect(client.number).toBe(1)
  })
  afterAll(async () => {
    await s?.close()
  })

  const httpScan = async (body: Record<string, unknown>) => {
    const res = await s.api('/api/stations/desk/scans', { method: 'POST', json: body })
    expect(res.status).toBe(200)
    return json<Record<string, unknown>>(res)
  }

  it('when an HTTP scan says aim off, then a leading ]A0 is data and the scan is refused as not ours; by default (auto) the identifier is read once', async () => {
    expect(await httpScan({ data: ']A0C-000001', aim: 'off' })).toMatchObject({ outcome: 'error', code: 'BARCODE_INVALID', data: ']A0C-000001' })
    expect(await httpScan({ data: ']ABC-1', aim: 'off' })).toMatchObject({ outcome: 'error', code: 'BARCODE_INVALID', data: ']ABC-1' })
    expect(await httpScan({ data: ']ABC-2' })).toMatchObject({ outcome: 'error', code: 'BARCODE_INVALID' })
    await s.api('/api/stations/desk/close', { method: 'POST' })
    const auto = await httpScan({ data: ']A0C-000001' })
    expect(auto).toMatchObject({ outcome: 'opened', type: 'client', data: 'C-000001', symbology: 'Code 39', aimId: ']A0' })
    // One identifier is read, never a second one behind it.
    expect(await httpScan({ data: ']A0]C0C-000001' })).toMatchObject({ outcome: 'error', code: 'BARCODE_INVALID', data: ']C0C-000001', aimId: ']A0' })
    expect(await httpScan({ data: ']A0]C0C-000002', aim: 'on' })).toMatchObject({ outcome: 'error', code: 'BARCODE_INVALID', data: ']C0C-000002' })
    const bad = await s.api('/api/stations/desk/scans', { method: 'POST', json: { data: 'C-000001', aim: 'maybe' } })
    expect(bad.status).toBe(400)
  })

  it.skipIf(!hasSocat)('when a serial pty scanner set aim=off sends ]A0C-000001, then it is refused as that text; one set aim=on has its identifier read once', async () => {
    const off = await PtySerialScannerSim.start()
    const on = await PtySerialScannerSim.start()
    const sse = await SseClient.open(s, '/api/stations/serial-desk/events')
    try {
      expect((await s.api('/api/scanners', { method: 'POST', json: { name: 'pty-off', station: 'serial-desk', uri: `serial:${off.path}?baud=9600&aim=off` } })).status).toBe(201)
      expect((await s.api('/api/scanners', { method: 'POST', json: { name: 'pty-on', station: 'serial-desk', uri: `serial:${on.path}?baud=9600&aim=on` } })).status).toBe(201)
      const nextResult = async (send: () => Promise<void>) => {
        const from = sse.events.length
        await send()
        return JSON.parse((await sse.next((e) => e.event === 'message', 5000, from)).data) as Record<string, unknown>
      }
      const refused = await nextResult(() => off.scan(']A0C-000001', { terminator: '\r' }))
      expect(refused).toMatchObject({ scanner: 'pty-off', outcome: 'error', code: 'BARCODE_INVALID', data: ']A0C-000001' })
      expect(refused.aimId).toBeUndefined()
      expect(refused.type).toBeUndefined()
      const opened = await nextResult(() => on.scan(']A0C-000001', { terminator: '\r' }))
      expect(opened).toMatchObject({ scanner: 'pty-on', outcome: 'opened', type: 'client', data: 'C-000001', aimId: ']A0', symbology: 'Code 39' })
      const twice = await nextResult(() => on.scan(']A0]C0C-000002', { terminator: '\r' }))
      expect(twice).toMatchObject({ scanner: 'pty-on', outcome: 'error', code: 'BARCODE_INVALID', data: ']C0C-000002', aimId: ']A0' })
    } finally {
      await sse.close()
      for (const name of ['pty-off', 'pty-on']) await s.api(`/api/scanners/${name}`, { method: 'DELETE' })
      await off.dispose()
      await on.dispose()
    }
  })
})
