import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeIpp, encodeIpp, IppDecodeError, GROUP_TAGS, VALUE_TAGS, type IppMessage } from '../../../src/server/ipp/ipp-codec.ts'
import { boolean, charset, collection, dateTime, enumAttr, integer, keyword, naturalLanguage, range, resolution, uri } from '../../../src/server/ipp/ipp-values.ts'

const request = (): Omit<IppMessage, 'data'> => ({
  version: 0x0200,
  code: 0x000b,
  requestId: 42,
  groups: [
    {
      tag: GROUP_TAGS.operation,
      attributes: [charset('attributes-charset', 'utf-8'), naturalLanguage('attributes-natural-language', 'en'), uri('printer-uri', 'ipp://h/ipp/print/x'), keyword('requested-attributes', 'printer-name', 'media-col-database')],
    },
    {
      tag: GROUP_TAGS.job,
      attributes: [
        integer('copies', 3),
        enumAttr('print-quality', 5),
        boolean('ipp-attribute-fidelity', true),
        range('page-ranges', 2, 4),
        resolution('printer-resolution', 203),
        dateTime('date-time-at-creation', Date.UTC(2026, 10, 29, 12, 0, 0)),
        collection('media-col', [collection('media-size', [integer('x-dimension', 10160), integer('y-dimension', 15240)]), keyword('media-type', 'labels')]),
      ],
    },
  ],
})

describe('IPP codec', () => {
  it('when a message with every value syntax is encoded and decoded, then tags, values, order and the data after the attributes come back', () => {
    const bytes = encodeIpp({ ...request(), data: Buffer.from('%PDF-1.4') })
    const back = decodeIpp(bytes)
    expect(back.version).toBe(0x0200)
    expect(back.requestId).toBe(42)
    expect(back.groups.map((g) => g.tag)).toEqual([GROUP_TAGS.operation, GROUP_TAGS.job])
    expect(back.groups[0].attributes[3].values.map((v) => v.value)).toEqual(['printer-name', 'media-col-database'])
    const job = back.groups[1].attributes
    expect(job.find((a) => a.name === 'copies')?.values[0]).toEqual({ tag: VALUE_TAGS.integer, value: 3 })
    expect(job.find((a) => a.name === 'page-ranges')?.values[0].value).toEqual({ lower: 2, upper: 4 })
    expect((job.find((a) => a.name === 'date-time-at-creation')?.values[0].value as Date).toISOString()).toBe('2026-11-29T12:00:00.000Z')
    const col = job.find((a) => a.name === 'media-col')?.values[0]
    expect(col?.tag).toBe(VALUE_TAGS.begCollection)
    expect(JSON.stringify(col?.value)).toContain('"x-dimension"')
    expect(Buffer.from(back.data).toString()).toBe('%PDF-1.4')
  })

  it('when the message is truncated anywhere, then decoding refuses it with IppDecodeError', () => {
    const bytes = encodeIpp(request())
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(() => decodeIpp(bytes.subarray(0, cut)), `cut at ${cut}`).toThrow(IppDecodeError)
    }
  })

  it('when a value length points past the end (a huge length), then decoding refuses it', () => {
    const bytes = Buffer.from(encodeIpp(request()))
    // The first attribute's value length (after version 2, code 2, id 4, group 1, tag 1, name length 2 + 18).
    bytes.writeUInt16BE(0xffff, 9 + 2 + 18)
    expect(() => decodeIpp(bytes)).toThrow(IppDecodeError)
  })

  it('when random bytes are decoded, then the decoder either answers or throws IppDecodeError — never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeIpp(bytes)
        } catch (err) {
          expect(err).toBeInstanceOf(IppDecodeError)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('when collections nest deeper than the limit, then decoding refuses it', () => {
    let attr = integer('x', 1)
    for (let i = 0; i < 12; i++) attr = collection(`c${i}`, [attr])
    const bytes = encodeIpp({ version: 0x0200, code: 2, requestId: 1, groups: [{ tag: GROUP_TAGS.job, attributes: [attr] }] })
    expect(() => decodeIpp(bytes)).toThrow(/nested too deep/)
  })
})
