import { describe, expect, it } from 'vitest'
import { parsePrinterUri } from '../../../src/drivers/transports/parse-printer-uri.ts'
import { PrinterUriInvalidError } from '../../../src/drivers/transports/transport-errors.ts'
import { checkPrinterUriPolicy } from '../../../src/drivers/transports/printer-uri-policy.ts'
import { DEVICE_PATHS_OK, DEVICE_PATH_ATTACKS, FILE_ATTACKS } from '../../fixtures/security/printer-uris.ts'
import { thrownBy } from '../../support/thrown.ts'

describe('parsePrinterUri', () => {
  it.each([
    ['tcp://10.0.0.5:9100', { kind: 'tcp', host: '10.0.0.5', port: 9100 }],
    ['tcp://zebra-1.studio.lan:9100', { kind: 'tcp', host: 'zebra-1.studio.lan', port: 9100 }],
    ['ipp://printer.local:631/ipp/print', { kind: 'ipp', secure: false, host: 'printer.local', port: 631, path: '/ipp/print' }],
    ['ipps://10.0.0.7/ipp/print', { kind: 'ipp', secure: true, host: '10.0.0.7', port: 631, path: '/ipp/print' }],
    ['usb://0a5f:00d3', { kind: 'usb', vendorId: 0x0a5f, productId: 0x00d3 }],
    ['usb:/dev/usb/lp0', { kind: 'usb-lp', path: '/dev/usb/lp0' }],
    ['serial:/dev/ttyS0?baud=9600', { kind: 'serial', path: '/dev/ttyS0', baudRate: 9600 }],
    ['serial:/dev/ttyUSB0', { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 }],
    ['file:/var/spool/studio/', { kind: 'file', dir: '/var/spool/studio/' }],
    ['sim:zebra-1', { kind: 'sim', name: 'zebra-1' }],
  ])('when given %s, then it is parsed into its parts', (uri, expected) => {
    expect(parsePrinterUri(uri)).toMatchObject({ ...expected, uri })
  })

  it.each([
    ['', 'empty'],
    ['10.0.0.5:9100', 'no scheme'],
    ['tcp://10.0.0.5', 'no port'],
    ['tcp://10.0.0.5:99999', 'bad port'],
    ['tcp://bad host:9100', 'bad host'],
    ['usb://a5f:d3', 'short ids'],
    ['usb:dev/usb/lp0', 'relative path'],
    ['serial:/dev/ttyS0?baud=1234', 'odd baud'],
    ['file:/var/spool/studio', 'no trailing slash'],
    ['file:/var/../etc/', 'dot-dot'],
    ['sim:', 'empty name'],
    ['lpd://host/queue', 'unknown scheme'],
    ['ipp://user:pw@host/ipp', 'credentials'],
  ])('when given %s (%s), then it fails listing the valid forms', (uri) => {
    const err = thrownBy(() => parsePrinterUri(uri))
    expect(err).toBeInstanceOf(PrinterUriInvalidError)
    const e = err as PrinterUriInvalidError
    expect(e.code).toBe('PRINTER_URI_INVALID')
    expect(e.kind).toBe('invalid')
    for (const form of ['tcp://HOST:9100', 'ipp://HOST:PORT/PATH', 'usb://VID:PID', 'usb:/dev/usb/lp0', 'serial:/dev/ttyS0?baud=9600', 'file:/PATH/', 'sim:NAME']) {
      expect(e.message).toContain(form)
    }
  })
})

describe('when a printer URI reaches outside printing', () => {
  it.each(DEVICE_PATH_ATTACKS)('when given %s (%s), then it is refused as PRINTER_DEVICE_PATH_INVALID', (uri) => {
    expect(() => parsePrinterUri(uri)).toThrow(expect.objectContaining({ code: 'PRINTER_DEVICE_PATH_INVALID', kind: 'invalid' }))
  })

  it.each(DEVICE_PATHS_OK)('when given the device node %s, then it is accepted', (uri) => {
    expect(parsePrinterUri(uri).uri).toBe(uri)
  })

  it.each(FILE_ATTACKS)('when %s is given and no spool folder is named, then FILE_PRINTERS_DISABLED', (uri) => {
    expect(() => checkPrinterUriPolicy(parsePrinterUri(uri), { fileSpoolDir: null })).toThrow(expect.objectContaining({ code: 'FILE_PRINTERS_DISABLED' }))
  })

  it.each(FILE_ATTACKS)('when %s is outside the spool folder /var/spool/studio, then PRINTER_FILE_OUTSIDE_SPOOL', (uri) => {
    expect(() => checkPrinterUriPolicy(parsePrinterUri(uri), { fileSpoolDir: '/var/spool/studio' })).toThrow(expect.objectContaining({ code: 'PRINTER_FILE_OUTSIDE_SPOOL' }))
  })

  it('when a file: printer is the spool folder or a folder inside it, then it is accepted', () => {
    for (const uri of ['file:/var/spool/studio/', 'file:/var/spool/studio/office/', 'file:///var/spool/studio/a/b/']) {
      expect(() => checkPrinterUriPolicy(parsePrinterUri(uri), { fileSpoolDir: '/var/spool/studio/' })).not.toThrow()
    }
  })
})
