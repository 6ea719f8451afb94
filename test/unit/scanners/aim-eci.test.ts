import { describe, expect, it } from 'vitest'
import { decodeScan, type DecodedScan } from '../../../src/drivers/scanners/scan-decoder.ts'
import { decodeEci, ECI_CHARSETS } from '../../../src/drivers/scanners/aim-eci.ts'
import { readAimId } from '../../../src/domain/aim-identifiers.ts'

/**
 * The AIM ECI protocol as scanner manuals state it (e.g. Opticon's L-46X manual, "ECI Protocol
 * Output": "the ECI number is indicated with a 6-digit number following the backslash, and 2
 * backslashes indicate a backslash"; the identifier's modifier says whether it is in use), with
 * the worked cases of the AIM ECI assignments: ECI 000003 Latin-1, 000004 Latin-2, 000009 Greek,
 * 000020 Shift JIS, 000026 UTF-8.
 */
const bytes = (...parts: Array<string | number[]>) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)))
const ok = (d: DecodedScan) => {
  if (!d.ok) throw new Error(`refused: ${d.error.message}`)
  return d
}
const refused = (d: DecodedScan) => {
  if (d.ok) throw new Error(`accepted: ${d.data}`)
  return { code: d.error.code, ...(d.error.details as { reason: string; eci?: number }) }
}

describe('AIM ECI protocol in scanner output', () => {
  it('when an identifier says ECI is in use, then readAimId says so (QR 2/4/6, DataMatrix 4/5/6, Aztec 3/4/5/9/A/B, PDF417 1, MaxiCode 2/3) and not otherwise', () => {
    for (const id of [']Q2', ']Q4', ']Q6', ']d4', ']d5', ']d6', ']z3', ']z4', ']z5', ']z9', ']zA', ']zB', ']L1', ']U2', ']U3']) expect(readAimId(id, 'auto')?.eci, id).toBe(true)
    for (const id of [']Q1', ']Q3', ']d1', ']d2', ']z0', ']z1', ']L0', ']L2', ']C0', ']A0', ']U0']) expect(readAimId(id, 'auto')?.eci, id).toBe(false)
  })

  it('when a backslash of the data comes doubled, then it is one backslash; without ECI in use, backslashes are data as sent', () => {
    expect(ok(decodeScan(bytes(']Q2ABC\\\\DEF'))).data).toBe('ABC\\DEF')
    expect(ok(decodeScan(bytes(']Q1ABC\\\\DEF'))).data).toBe('ABC\\\\DEF')
    expect(ok(decodeScan(bytes(']Q1\\000026X'))).data).toBe('\\000026X')
  })

  it('when \\000009 precedes Greek bytes in a DataMatrix (]d4), then the data after it is read as ISO 8859-7', () => {
    const scan = ok(decodeScan(bytes(']d4\\000009', [0xc1, 0xc2, 0xc3, 0xc4, 0xc5])))
    expect(scan).toMatchObject({ data: 'ΑΒΓΔΕ', aimId: ']d4', symbology: 'DataMatrix' })
  })

  it('when \\000026 precedes UTF-8 on a Latin-1 line, then it is read as UTF-8; \\000003 and \\000004 switch to Latin-1 and Latin-2 mid-data', () => {
    expect(ok(decodeScan(bytes(']Q2\\000026', [...Buffer.from('Müller-Šimić 写真')]), { encoding: 'latin1' })).data).toBe('Müller-Šimić 写真')
    expect(ok(decodeScan(bytes(']Q2A', '\\000003', [0xfc], '\\000004', [0xa3, 0xb9], '\\000026', [0xc3, 0xbc]))).data).toBe('AüŁšü')
  })

  it('when \\000020 precedes Shift JIS, then a 0x5C second byte (表 is 95 5C, sent 95 5C 5C) is part of its character, not an escape', () => {
    expect(ok(decodeScan(bytes(']Q2\\000020', [0x8e, 0xca, 0x90, 0x5e, 0x95, 0x5c, 0x5c]))).data).toBe('写真表')
  })

  it('when an ECI names no character set, binary data, or a set this server does not read, then the scan is refused naming the ECI', () => {
    expect(refused(decodeScan(bytes(']Q2\\000019ABC')))).toMatchObject({ code: 'SCAN_INVALID', reason: 'eci-unsupported', eci: 19 })
    expect(refused(decodeScan(bytes(']d4\\000899', [0x00, 0x01])))).toMatchObject({ reason: 'eci-unsupported', eci: 899 })
    expect(refused(decodeScan(bytes(']Q2\\000034ABCD')))).toMatchObject({ reason: 'eci-unsupported', eci: 34 })
    const d = decodeScan(bytes(']Q2\\999999X'))
    expect(!d.ok && d.error.message).toContain('ECI 999999')
  })

  it('when a backslash is neither doubled nor six digits, or a segment is not valid in its set, then the scan is refused', () => {
    expect(refused(decodeScan(bytes(']Q2AB\\12X')))).toMatchObject({ reason: 'eci-malformed' })
    expect(refused(decodeScan(bytes(']Q2\\000026', [0xff, 0xfe])))).toMatchObject({ reason: 'encoding', eci: 26 })
    expect(refused(decodeScan(bytes(']Q2\\000027', [0xe9])))).toMatchObject({ reason: 'encoding', eci: 27 })
  })

  it('when the scanner is set aim=off, then ]Q2 and the escapes are data as they are', () => {
    expect(ok(decodeScan(bytes(']Q2A\\\\B'), { aim: 'off' })).data).toBe(']Q2A\\\\B')
  })

  it('when an HTTP client sends ECI text (already characters), then designators are checked and removed and backslashes undoubled', () => {
    expect(ok(decodeScan(']Q2\\000026Müller\\\\1')).data).toBe('Müller\\1')
    expect(refused(decodeScan(']Q2\\000019X'))).toMatchObject({ reason: 'eci-unsupported', eci: 19 })
  })

  it('when every ECI with a decoder is decoded here, then ASCII letters come through unchanged (the table names real charsets)', () => {
    for (const [n, cs] of Object.entries(ECI_CHARSETS)) {
      if (!cs.decoder || cs.decoder.startsWith('utf-16')) continue
      let readable = true
      try {
        if (!['latin1', 'cp1252', 'utf8', 'ascii'].includes(cs.decoder)) new TextDecoder(cs.decoder)
      } catch {
        readable = false
      }
      if (!readable) continue
      const r = decodeEci(bytes(`\\${n.padStart(6, '0')}PO-1`), (b, label) => (label === 'latin1' || label === 'cp1252' || label === 'utf8' || label === undefined ? Buffer.from(b).toString('latin1') : new TextDecoder(label, { fatal: true }).decode(b)))
      expect(r, `ECI ${n}`).toMatchObject({ ok: true, text: 'PO-1' })
    }
  })
})
