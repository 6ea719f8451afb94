import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/domain/errors.ts'
import { decodeScan, type DecodedScan } from '../../../src/drivers/scanners/scan-decoder.ts'

function ok(result: DecodedScan) {
  if (!result.ok) throw new Error(`expected a scan, got ${result.error.code}: ${result.error.message}`)
  return result
}
function refused(result: DecodedScan) {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.data)}`)
  return result
}

describe('decodeScan', () => {
  const AIM: Array<[string, string]> = [
    [']A0', 'Code 39'],
    [']C0', 'Code 128'],
    [']C1', 'GS1-128'],
    [']E0', 'EAN/UPC'],
    [']e0', 'GS1 DataBar'],
    [']d1', 'DataMatrix'],
    [']d2', 'GS1 DataMatrix'],
    [']Q1', 'QR Code'],
    [']L0', 'PDF417'],
    [']I0', 'ITF'],
    [']z0', 'Aztec'],
    [']X0', 'unknown'],
  ]
  for (const [aim, name] of AIM) {
    it(`when the scan starts with the AIM id ${aim}, then the symbology is ${name} and the id is stripped`, () => {
      const r = ok(decodeScan(`${aim}PO-000123`))
      expect(r).toMatchObject({ data: 'PO-000123', symbology: name, aimId: aim })
    })
  }

  it('when there is no AIM id, then symbology and aimId are null', () => {
    expect(ok(decodeScan('C-000001'))).toMatchObject({ data: 'C-000001', symbology: null, aimId: null })
  })

  it('when GS1 data carries group separators, then they are kept', () => {
    const r = ok(decodeScan(Buffer.from(']C10109501101020917\u001d10ABC123\u001d21X')))
    expect(r.data).toBe('0109501101020917\u001d10ABC123\u001d21X')
    expect(r.symbology).toBe('GS1-128')
  })

  it('when the scan has surrounding whitespace, then it is trimmed', () => {
    expect(ok(decodeScan('  \t S-000042 \r\n')).data).toBe('S-000042')
  })

  it('when the scan is exactly 256 characters, then it is accepted', () => {
    expect(ok(decodeScan('A'.repeat(256))).data).toHaveLength(256)
  })

  it('when the scan is over 256 characters, then it is refused as SCAN_TOO_LONG of kind invalid', () => {
    const r = refused(decodeScan('A'.repeat(257)))
    expect(r.error).toBeInstanceOf(AppError)
    expect(r.error).toMatchObject({ code: 'SCAN_TOO_LONG', kind: 'invalid' })
    expect(r.rawLength).toBe(257)
  })

  it('when the framer truncated the frame, then it is refused as too long with its true length', () => {
    const r = refused(decodeScan({ bytes: Buffer.from('AAAA'), length: 5000, truncated: true, endedBy: 'terminator' }))
    expect(r.error.code).toBe('SCAN_TOO_LONG')
    expect(r.error.message).toContain('5000')
  })

  for (const [name, byte] of [
    ['NUL', 0x00],
    ['BEL', 0x07],
    ['ESC', 0x1b],
    ['RS', 0x1e],
    ['DEL', 0x7f],
  ] as const) {
    it(`when the scan holds ${name} (0x${byte.toString(16)}), then it is refused as SCAN_INVALID and the raw text shows the byte escaped`, () => {
      const r = refused(decodeScan(Buffer.from([0x50, 0x4f, byte, 0x31])))
      expect(r.error).toMatchObject({ code: 'SCAN_INVALID', kind: 'invalid', details: { reason: 'control-byte' } })
      expect(r.raw).toBe(`PO\\x${byte.toString(16).padStart(2, '0')}1`)
    })
  }

  it('when the bytes are not UTF-8 (line noise), then the scan is refused with reason encoding', () => {
    const r = refused(decodeScan(Buffer.from([0xc3, 0x28, 0xff, 0x41])))
    expect(r.error).toMatchObject({ code: 'SCAN_INVALID', details: { reason: 'encoding' } })
  })

  it('when the encoding is latin1, then high bytes are read as Latin-1 characters', () => {
    expect(ok(decodeScan(Buffer.from([0x53, 0xdf]), { encoding: 'latin1' })).data).toBe('Sß')
  })

  it('when the frame holds only an AIM id or spaces, then it is refused as empty', () => {
    expect(refused(decodeScan(']C0')).error.details?.reason).toBe('empty')
    expect(refused(decodeScan('   ')).error.details?.reason).toBe('empty')
  })

  it('when the frame was cut by an unplug, then it is refused as incomplete', () => {
    const r = refused(decodeScan({ bytes: Buffer.from('PO-00'), length: 5, truncated: false, endedBy: 'end' }))
    expect(r.error.details?.reason).toBe('incomplete')
    expect(r.raw).toBe('PO-00')
  })
})
