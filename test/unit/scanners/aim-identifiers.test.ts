import { describe, expect, it } from 'vitest'
import { decodeScan, printable } from '../../../src/drivers/scanners/scan-decoder.ts'
import { parsePayload } from '../../../src/domain/barcode-payload.ts'

function data(result: ReturnType<typeof decodeScan>) {
  if (!result.ok) throw new Error(`refused: ${result.error.message}`)
  return result
}

describe('AIM identifiers as each scanner sends them', () => {
  it('when data starts with "]", a letter and a letter that is no AIM identifier (]ABC-1), then nothing is stripped and it is not read as client C-1', () => {
    expect(data(decodeScan(']ABC-1'))).toMatchObject({ data: ']ABC-1', aimId: null, symbology: null })
    expect(() => parsePayload(']ABC-1')).toThrow(/not a Studio Print barcode/)
  })

  it('when a scanner says aim=off, then even a valid-looking identifier is data; aim=on strips whatever stands in front', () => {
    expect(data(decodeScan(']C0C-000001', { aim: 'off' }))).toMatchObject({ data: ']C0C-000001', aimId: null })
    expect(data(decodeScan(']ABC-1', { aim: 'on' }))).toMatchObject({ data: 'C-1', aimId: ']AB', symbology: 'unknown' })
    expect(data(decodeScan(']C0C-000001', { aim: 'auto' }))).toMatchObject({ data: 'C-000001', aimId: ']C0', symbology: 'Code 128' })
  })

  const GS1: Array<[string, string]> = [
    [']C1', 'GS1-128'],
    [']e0', 'GS1 DataBar'],
    [']d2', 'GS1 DataMatrix'],
    [']d5', 'GS1 DataMatrix'],
    [']Q3', 'GS1 QR Code'],
    [']Q4', 'GS1 QR Code'],
    [']J1', 'GS1 DotCode'],
    [']z1', 'GS1 Aztec'],
    [']z4', 'GS1 Aztec'],
    [']z7', 'GS1 Aztec'],
    [']zA', 'GS1 Aztec'],
  ]
  for (const [id, name] of GS1) {
    it(`when the identifier is ${id}, then the data is GS1 (${name})`, () => {
      expect(data(decodeScan(`${id}0109501101020917\u001d10ABC`))).toMatchObject({ aimId: id, symbology: name, gs1: true, data: '0109501101020917\u001d10ABC' })
    })
  }

  for (const id of [']C0', ']d1', ']d4', ']Q1', ']Q2', ']z0', ']z3', ']E0', ']A0']) {
    it(`when the identifier is ${id}, then the data is not GS1`, () => {
      expect(data(decodeScan(`${id}X1`))).toMatchObject({ aimId: id, gs1: false, data: 'X1' })
    })
  }

  it('when GS is in a scan, then logs and the scan log keep it as the byte, not the text \\x1d', () => {
    expect(printable('01\u001d10')).toBe('01\u001d10')
    expect(printable('01\u001b10')).toBe('01\\x1b10')
  })

  it('when a serial scanner is set to Latin-1 or Windows-1252, then its bytes read in that encoding; invalid UTF-8 is refused by default', () => {
    expect(data(decodeScan(Uint8Array.of(0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72), { encoding: 'latin1' }))).toMatchObject({ data: 'Müller' })
    expect(data(decodeScan(Uint8Array.of(0x80, 0x31), { encoding: 'cp1252' }))).toMatchObject({ data: '€1' })
    expect(data(decodeScan(Uint8Array.of(0xb3, 0x6f, 0x64, 0xbf), { encoding: 'iso-8859-2' }))).toMatchObject({ data: 'łodż' })
    expect(decodeScan(Uint8Array.of(0x4d, 0xfc, 0x6c))).toMatchObject({ ok: false, error: { code: 'SCAN_INVALID' } })
  })
})
