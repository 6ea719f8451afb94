import { describe, expect, it } from 'vitest'
import { HidPosDecoder } from '../../../src/drivers/scanners/hid-pos-decoder.ts'
import { decodeScan } from '../../../src/drivers/scanners/scan-decoder.ts'
import { hidPosReports } from '../../../hw-sim/scanners/usb-scanner-sim.ts'

function run(decoder: HidPosDecoder, reports: Uint8Array[]) {
  return reports.map((r) => decoder.push(r)).filter((f) => f !== null)
}

describe('HidPosDecoder', () => {
  it('when one report holds the whole read, then one frame comes out with the AIM id in front', () => {
    const frames = run(new HidPosDecoder(), hidPosReports('PO-000123', { aimId: ']C0' }))
    expect(frames).toHaveLength(1)
    expect(frames[0]!.bytes.toString()).toBe(']C0PO-000123')
    expect(decodeScan(frames[0]!)).toMatchObject({ ok: true, data: 'PO-000123', symbology: 'Code 128' })
  })

  it('when long data spans reports with the continuation flag, then they are joined into one frame', () => {
    const data = Array.from({ length: 150 }, (_, i) => String.fromCharCode(0x41 + (i % 26))).join('')
    const reports = hidPosReports(data, { aimId: ']Q1' })
    expect(reports).toHaveLength(3)
    expect(reports.map((r) => r[63] & 1)).toEqual([1, 1, 0])
    const decoder = new HidPosDecoder()
    expect(decoder.push(reports[0])).toBeNull()
    expect(decoder.push(reports[1])).toBeNull()
    const frame = decoder.push(reports[2])!
    expect(decodeScan(frame)).toMatchObject({ ok: true, data, symbology: 'QR Code' })
  })

  it('when GS1 data with GS arrives, then the separators are kept', () => {
    const frames = run(new HidPosDecoder(), hidPosReports('0109501101020917\u001d10ABC', { aimId: ']C1' }))
    expect(decodeScan(frames[0]!)).toMatchObject({ ok: true, data: '0109501101020917\u001d10ABC', symbology: 'GS1-128' })
  })

  it('when the AIM field is empty, then the frame is the data alone', () => {
    const frames = run(new HidPosDecoder(), hidPosReports('C-000001', { aimId: '' }))
    expect(decodeScan(frames[0]!)).toMatchObject({ ok: true, data: 'C-000001', symbology: null })
  })

  it('when the id lacks its leading ], then ] is added', () => {
    const frames = run(new HidPosDecoder(), hidPosReports('C-1', { aimId: 'E0' }))
    expect(frames[0]!.bytes.toString()).toBe(']E0C-1')
  })

  it('when a report of another ID arrives, then it is ignored', () => {
    const other = new Uint8Array(64)
    other[0] = 0x04
    expect(new HidPosDecoder().push(other)).toBeNull()
  })

  it('when a vendor uses other offsets, then a configured layout reads them', () => {
    const layout = { reportId: null, lengthOffset: 0, symbologyOffset: 1, symbologyLength: 3, dataOffset: 4, continuationOffset: 31, continuationMask: 0x80 }
    const reports = hidPosReports('S-000042-LONG-ENOUGH-FOR-TWO-REPORTS', { aimId: ']A0', layout, dataBytes: 20, reportLength: 32 })
    expect(reports).toHaveLength(2)
    const frames = run(new HidPosDecoder(layout), reports)
    expect(decodeScan(frames[0]!)).toMatchObject({ ok: true, data: 'S-000042-LONG-ENOUGH-FOR-TWO-REPORTS', symbology: 'Code 39' })
  })

  it('when the joined data exceeds the frame limit, then the frame is truncated and refused as too long', () => {
    const frames = run(new HidPosDecoder({}, 100), hidPosReports('X'.repeat(300)))
    expect(frames[0]).toMatchObject({ truncated: true, length: 303 })
    expect(decodeScan(frames[0]!)).toMatchObject({ ok: false })
  })

  it('when the length byte claims more than the data field holds, then it is capped: the trailer (vendor code, continuation byte) never joins the data', () => {
    const data = 'D'.repeat(56)
    const [report] = hidPosReports(data, { aimId: ']C0' })
    report[61] = 0x58 // vendor symbology code "XY"
    report[62] = 0x59
    report[1] = 59 // wrong: 3 more than the 56-byte field
    const frames = run(new HidPosDecoder(), [report])
    expect(frames).toHaveLength(1)
    expect(frames[0]!.bytes.toString('latin1')).toBe(']C0' + data)
    expect(decodeScan(frames[0]!)).toMatchObject({ ok: true, data })
  })
})
