import { describe, expect, it } from 'vitest'
import { parseScannerUri } from '../../../src/drivers/scanners/scanner-uri.ts'

describe('parseScannerUri', () => {
  it('when given a serial URI with framing, then path, baud and framing are read (percent-decoded)', () => {
    expect(parseScannerUri('serial:/dev/ttyACM0?baud=115200&suffix=%03&prefix=%02&timeoutMs=40')).toEqual({
      kind: 'serial',
      uri: 'serial:/dev/ttyACM0?baud=115200&suffix=%03&prefix=%02&timeoutMs=40',
      path: '/dev/ttyACM0',
      baudRate: 115200,
      framing: { suffix: '\u0003', prefix: '\u0002', interByteTimeoutMs: 40 },
      decode: { aim: 'auto' },
    })
  })

  it('when the serial URI has no baud, then 9600 is used', () => {
    expect(parseScannerUri('serial:/dev/ttyUSB1')).toMatchObject({ path: '/dev/ttyUSB1', baudRate: 9600, framing: {} })
  })

  it('when given usb://VID:PID with layout and mode, then ids are hex and settings are read', () => {
    expect(parseScannerUri('usb://05E0:1200?layout=DE&mode=keyboard')).toMatchObject({ kind: 'usb', vendorId: 0x05e0, productId: 0x1200, layout: 'de', mode: 'keyboard' })
    expect(parseScannerUri('usb:0c2e:0b61?mode=hidpos&interface=1&endpoint=2&serial=ABC')).toMatchObject({
      vendorId: 0x0c2e,
      productId: 0x0b61,
      mode: 'hidpos',
      layout: 'us',
      interfaceNumber: 1,
      endpointNumber: 2,
      serialNumber: 'ABC',
    })
  })

  it('when given sim:NAME, then the name is read', () => {
    expect(parseScannerUri('sim:front-desk')).toEqual({ kind: 'sim', uri: 'sim:front-desk', name: 'front-desk', framing: {}, decode: { aim: 'auto' } })
  })

  for (const bad of [
    '',
    'tcp://10.0.0.5:9100',
    'serial:',
    'serial:/dev/ttyACM0?baud=fast',
    'serial:/dev/ttyACM0?baud=0',
    'serial:/dev/ttyACM0?speed=9600',
    'usb://xyz:1200',
    'usb://05e0',
    'usb://05e0:1200?layout=fr',
    'usb://05e0:1200?mode=serial',
    'sim:',
    'sim:bad name',
  ]) {
    it(`when given "${bad}", then it throws SCANNER_URI_INVALID (kind invalid) listing the valid forms`, () => {
      let error: unknown
      try {
        parseScannerUri(bad)
      } catch (err) {
        error = err
      }
      expect(error).toMatchObject({ code: 'SCANNER_URI_INVALID', kind: 'invalid' })
      expect((error as Error).message).toContain('serial:/dev/ttyACM0')
      expect((error as Error).message).toContain('usb://VID:PID')
      expect((error as Error).message).toContain('sim:NAME')
    })
  }

  it('when a scanner says whether it sends AIM identifiers, then aim is read; a keyboard wedge defaults to off, the others to auto', () => {
    expect(parseScannerUri('usb://05e0:1200')).toMatchObject({ decode: { aim: 'off' } })
    expect(parseScannerUri('usb://05e0:1200?aim=on')).toMatchObject({ decode: { aim: 'on' } })
    expect(parseScannerUri('usb://0c2e:0b61?mode=hidpos')).toMatchObject({ decode: { aim: 'auto' } })
    expect(parseScannerUri('serial:/dev/ttyACM0?aim=off')).toMatchObject({ decode: { aim: 'off' } })
    expect(parseScannerUri('sim:x?aim=on')).toMatchObject({ decode: { aim: 'on' } })
    expect(() => parseScannerUri('usb://05e0:1200?aim=yes')).toThrow(/aim must be one of on, off, auto/)
  })

  it('when a serial scanner is set to another encoding, then encoding is read and checked', () => {
    expect(parseScannerUri('serial:/dev/ttyACM0?encoding=latin1')).toMatchObject({ decode: { aim: 'auto', encoding: 'latin1' } })
    expect(parseScannerUri('serial:/dev/ttyACM0?encoding=ISO-8859-2')).toMatchObject({ decode: { encoding: 'iso-8859-2' } })
    expect(() => parseScannerUri('serial:/dev/ttyACM0?encoding=klingon')).toThrow(/encoding "klingon" is not known/)
    expect(() => parseScannerUri('usb://05e0:1200?encoding=latin1')).toThrow(/unknown parameter "encoding"/)
  })

  it('when a keyboard interface numbers its reports or needs another idle gap, then reportId and idleMs are read', () => {
    expect(parseScannerUri('usb://05e0:1200?reportId=1&idleMs=2000')).toMatchObject({ reportId: 1, framing: { idleDropMs: 2000 } })
    expect(() => parseScannerUri('usb://05e0:1200?reportId=0')).toThrow(/reportId must be a whole number from 1 to 255/)
  })
})
