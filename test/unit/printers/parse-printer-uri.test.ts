import { describe, expect, it } from 'vitest'
import { parsePrinterUri } from '../../../src/drivers/transports/parse-printer-uri.ts'
import { PrinterUriInvalidError } from '../../../src/drivers/transports/transport-errors.ts'

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
    try {
      parsePrinterUri(uri)
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(PrinterUriInvalidError)
      const e = err as PrinterUriInvalidError
      expect(e.code).toBe('PRINTER_URI_INVALID')
      expect(e.kind).toBe('invalid')
      for (const form of ['tcp://HOST:9100', 'ipp://HOST:PORT/PATH', 'usb://VID:PID', 'usb:/dev/usb/lp0', 'serial:/dev/ttyS0?baud=9600', 'file:/PATH/', 'sim:NAME']) {
        expect(e.message).toContain(form)
      }
    }
  })
})
