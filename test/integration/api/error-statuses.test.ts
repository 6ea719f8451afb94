/**
 * Each error code has exactly one HTTP status, the catalogue's. The cases that once answered one
 * code with two statuses now answer each with a code of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { ZplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { ERROR_CODES } from '../../../src/server/openapi/error-codes.ts'
import { isProblemCode } from '../../../src/domain/error-codes.ts'
import { PrintingHarness, json } from '../printing/support.ts'

describe.each(DB_KINDS)('error codes and their statuses through the API on %s', (kind) => {
  let h: PrintingHarness
  let zpl: ZplPrinterSim
  const answered: Array<{ request: string; status: number; code: unknown }> = []

  /** A call whose answer must be a problem: records it for the catalogue check below. */
  const problem = async (path: string, init?: Parameters<PrintingHarness['api']>[1]): Promise<Record<string, unknown>> => {
    const res = await h.api(path, init)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    const body = await json(res)
    expect(body.status).toBe(res.status)
    answered.push({ request: `${init?.method ?? 'GET'} ${path}`, status: res.status, code: body.code })
    return { ...body, httpStatus: res.status }
  }

  beforeAll(async () => {
    h = await PrintingHarness.start(kind)
    zpl = new ZplPrinterSim('errors-zpl')
    await zpl.listen()
  })
  afterAll(async () => {
    await h?.close()
    await zpl?.close()
  })

  it('when a job is reprinted after its printer was removed, then 409 PRINTER_GONE (not PRINTER_NOT_FOUND, which is 404)', async () => {
    const clientId = await h.client()
    await h.printer('errors-zpl', 'zpl', zpl.uri)
    const { id } = await h.submit({ document: 'client-label', recordId: clientId, printer: 'errors-zpl' })
    expect((await h.waitJob(id)).state).toBe('completed')
    expect((await h.api('/api/printers/errors-zpl', { method: 'DELETE' })).status).toBe(204)
    expect(await problem(`/api/print-jobs/${id}/reprint`, { method: 'POST' })).toMatchObject({ httpStatus: 409, status: 409, code: 'PRINTER_GONE', details: { printer: 'errors-zpl' } })
    expect(await problem('/api/printers/errors-zpl')).toMatchObject({ httpStatus: 404, code: 'PRINTER_NOT_FOUND' })
    expect(await problem('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: clientId, printer: 'errors-zpl' } })).toMatchObject({ httpStatus: 404, code: 'PRINTER_NOT_FOUND' })
  })

  it('when a scanner names a station that does not exist, then 422 REFERENCE_NOT_FOUND (not STATION_NOT_FOUND, which is 404)', async () => {
    expect(await problem('/api/scanners', { method: 'POST', json: { name: 'orphan', station: 'nowhere', uri: 'sim:orphan' } })).toMatchObject({ httpStatus: 422, code: 'REFERENCE_NOT_FOUND', details: { station: 'nowhere' } })
    expect(await problem('/api/stations/nowhere')).toMatchObject({ httpStatus: 404, code: 'STATION_NOT_FOUND' })
    expect(await problem('/api/stations/nowhere/scans', { method: 'POST', json: { data: 'PO-1' } })).toMatchObject({ httpStatus: 404, code: 'STATION_NOT_FOUND' })
  })

  it('when a status is not in the track, then 400 STATUS_NOT_IN_TRACK, from an advance and from a station target alike', async () => {
    const order = await json<{ id: number }>(await h.api('/api/production-orders', { method: 'POST', json: { vendor: 'Bay Photo', productionOrderNumber: 'auto' } }))
    expect(await problem(`/api/production-orders/${order.id}/advance`, { method: 'POST', json: { to: 'shipped' } })).toMatchObject({ httpStatus: 400, code: 'STATUS_NOT_IN_TRACK' })
    expect(await problem('/api/stations', { method: 'POST', json: { name: 'errors-station', mode: 'advance', advanceTo: 'nowhere' } })).toMatchObject({ httpStatus: 400, code: 'STATUS_NOT_IN_TRACK' })
  })

  it('when problems were answered above, then each with its code\'s one status in the catalogue', () => {
    expect(answered.length).toBeGreaterThanOrEqual(8)
    for (const a of answered) {
      expect(typeof a.code === 'string' && isProblemCode(a.code), `${a.request}: ${String(a.code)} is a catalogue code`).toBe(true)
      expect(a.status, `${a.request} answered ${String(a.code)}`).toBe(ERROR_CODES[a.code as keyof typeof ERROR_CODES].status)
    }
  })
})
