import { describe, expect, it } from 'vitest'
import { toUtf8Zpl, zplFormatCount } from '../../../src/templates/zpl-encoding.ts'
import { checkPreviewCounts } from '../../../src/templates/zpl-preview-limits.ts'

const SIZE = { dpmm: 8, widthIn: 4, heightIn: 6 }

describe('when ZPL in a single-byte code page is re-encoded as UTF-8', () => {
  it('^CI27 bytes and ^FH escapes become the same characters in UTF-8, and the change is listed with its line', () => {
    const bytes = Buffer.concat([Buffer.from('^XA\n^CI27\n^FO1,1^FD', 'latin1'), Uint8Array.of(0xe9, 0x80), Buffer.from('^FS\n^FO1,40^FH\\^FDx\\E9\\5E^FS^XZ', 'latin1')])
    const { zpl, conversions } = toUtf8Zpl(new Uint8Array(bytes))
    expect(zpl).toBe('^XA\n^CI28\n^FO1,1^FDé€^FS\n^FO1,40^FH\\^FDx\\C3\\A9\\5E^FS^XZ')
    expect(conversions).toEqual([{ line: 2, command: '^CI27', change: 'Windows-1252 re-encoded as UTF-8 (^CI28)' }])
  })
  it('^CI0 and ^CI13 read code page 850; ^CI28 and UTF-8 without ^CI are left as they are', () => {
    expect(toUtf8Zpl(Uint8Array.from(Buffer.concat([Buffer.from('^XA^CI13^FH^FD_82'), Uint8Array.of(0x82), Buffer.from('^FS^XZ')]))).zpl).toBe('^XA^CI28^FH^FD_C3_A9é^FS^XZ')
    expect(toUtf8Zpl(new Uint8Array(Buffer.from('^XA^FDé^FS^XZ'))).zpl).toBe('^XA^FDé^FS^XZ')
    expect(toUtf8Zpl('^XA^CI28^FH^FD_E9^FS^XZ')).toEqual({ zpl: '^XA^CI28^FH^FD_E9^FS^XZ', conversions: [] })
  })
  it('^FH with its escape character on the next line: printers skip the line break', () => {
    expect(toUtf8Zpl('^XA^CI27^FH\n\\^FD\\E9^FS^FH\r\n^FD_E9^FS^XZ').zpl).toBe('^XA^CI28^FH\n\\^FD\\C3\\A9^FS^FH\r\n^FD_C3_A9^FS^XZ')
  })
  it('commands are found with the caret ^CC sets', () => {
    expect(toUtf8Zpl(Uint8Array.from(Buffer.concat([Buffer.from('^CC+\n+XA+CI27+FD'), Uint8Array.of(0xe9), Buffer.from('^+FS+XZ')]))).zpl).toBe('^CC+\n+XA+CI28+FDé^+FS+XZ')
    expect(zplFormatCount('^CC+\n+XA+FDa+FS+XZ+XA+XZ')).toBe(2)
    expect(zplFormatCount('no format')).toBe(0)
  })
})

describe('when a preview is counted against its limits', () => {
  it('fields and labels are counted with every caret the stream uses', () => {
    expect(() => checkPreviewCounts(`^CC+${'+XA+FDa+FS+XZ'.repeat(51)}`, SIZE)).toThrow(/51 labels/)
    expect(() => checkPreviewCounts(`^CC+ +XA${'+FDa+FS'.repeat(1001)}+XZ`, SIZE)).toThrow(/1001 fields/)
    expect(() => checkPreviewCounts('^CC+ +XA+GFA,99999999,99999999,100,00+FS+XZ', SIZE)).toThrow(/declares/)
  })
})
