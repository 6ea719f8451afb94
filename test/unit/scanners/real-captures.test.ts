import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BootKeyboardDecoder } from '../../../src/drivers/scanners/boot-keyboard-decoder.ts'
import { HidPosDecoder } from '../../../src/drivers/scanners/hid-pos-decoder.ts'
import { decodeScan } from '../../../src/drivers/scanners/scan-decoder.ts'
import { UsbScanner } from '../../../src/drivers/scanners/usb-scanner.ts'
import type { RejectedScanEvent, ScanEvent } from '../../../src/drivers/scanners/scanner.ts'
import { SimUsbBus, SimUsbScannerDevice } from '../../../hw-sim/scanners/usb-scanner-sim.ts'
import { collect, until } from '../../integration/scanners/wait.ts'
import { pino } from 'pino'

/** These tests read the scanners' events, not their log lines. */
const quiet = pino({ level: 'silent' })

/** Reports captured from real devices (each fixture file says where from, and its licence). */
const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../fixtures/scanners/${name}`, import.meta.url), 'utf8')) as T
const hex = (line: string) => Uint8Array.from(line.split(' ').map((h) => parseInt(h, 16)))

describe('real captures', () => {
  const wedge = fixture<{ reports: string[]; expected: string }>('boot-keyboard-node-hid-323.json')
  const voyager = fixture<{ reports: number[][]; expectedFrames: Array<{ aim: string; text: string }> }>('hidpos-honeywell-voyager-revinf.json')

  it('when a wedge scanner’s captured boot-keyboard reports are read, then they type the barcode, Enter and the Ctrl+Shift+J (LF) suffix', () => {
    const decoder = new BootKeyboardDecoder({ layout: 'us' })
    expect(wedge.reports.map((r) => decoder.push(hex(r))).join('')).toBe(`${wedge.expected}\r\n`)
  })

  it('when the captured reports come from the USB device, then exactly one scan comes out, the barcode', async () => {
    const bus = new SimUsbBus()
    const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200 }))
    const scanner = new UsbScanner({ log: quiet,  name: 'captured', vendorId: 0x05e0, productId: 0x1200, source: bus })
    try {
      await scanner.open()
      const scans = collect<ScanEvent>(scanner, 'scan')
      const rejected = collect<RejectedScanEvent>(scanner, 'rejected')
      device.send(wedge.reports.map(hex))
      await until(() => scans.length === 1)
      device.send(wedge.reports.map(hex))
      await until(() => scans.length === 2)
      expect(scans.map((s) => s.data)).toEqual([wedge.expected, wedge.expected])
      expect(rejected).toEqual([])
    } finally {
      await scanner.close()
    }
  })

  it('when a Honeywell Voyager’s captured HID-POS response is read, then the five continued reports and the last join into one frame byte for byte, and the echo is a second frame', () => {
    const decoder = new HidPosDecoder()
    const frames = voyager.reports.map((r) => decoder.push(Uint8Array.from(r))).filter((f) => f !== null)
    expect(frames).toHaveLength(2)
    expect(frames.map((f) => f!.bytes.toString('latin1'))).toEqual(voyager.expectedFrames.map((f) => f.aim + f.text))
    expect(frames.map((f) => f!.aim)).toEqual(['on', 'on'])
    // A configuration response, not a barcode: refused as a scan (286 characters; CR LF and ACK inside).
    expect(frames.map((f) => decodeScan(f!)).map((d) => (d.ok ? d.data : d.error.code))).toEqual(['SCAN_TOO_LONG', 'SCAN_INVALID'])
  })

  it('when the publicly reported AIM-prefixed decoder output is read, then its identifier is read once and names the symbology, whatever the entry', () => {
    const reported = fixture<{ outputs: Array<{ text: string; aimId: string; symbology: string; data: string }> }>('aim-output-android-vision-451.json')
    for (const o of reported.outputs) {
      for (const frame of [o.text, Buffer.from(`${o.text}\r`, 'latin1')]) {
        expect(decodeScan(frame, { aim: 'auto' })).toMatchObject({ ok: true, aimId: o.aimId, symbology: o.symbology, data: o.data })
        expect(decodeScan(frame, { aim: 'on' })).toMatchObject({ ok: true, aimId: o.aimId, data: o.data })
      }
      expect(decodeScan(o.text, { aim: 'off' })).toMatchObject({ ok: true, aimId: null, data: o.text })
    }
  })

  it('when an independent decoder’s AIM-prefixed output of each symbology is read, then the identifier is taken once and the data kept; in its ECI form the designator switches to UTF-8', () => {
    const zx = fixture<{ plain: Array<{ aimId: string; data: string; text: string }>; eci: Array<{ aimId: string; data: string; utf8: string }> }>('aim-output-zxing-cpp.json')
    expect(new Set(zx.plain.map((o) => o.aimId.slice(0, 2))).size).toBeGreaterThanOrEqual(12)
    for (const o of zx.plain) {
      // As a serial scanner sends it (bytes, CR) and as HTTP carries it (text).
      for (const frame of [Buffer.from(`${o.text}\r`, 'latin1'), o.text]) {
        expect(decodeScan(frame, { aim: 'on' }), o.text).toMatchObject({ ok: true, aimId: o.aimId, data: o.data })
        expect(decodeScan(frame, { aim: 'auto' }), o.text).toMatchObject({ ok: true, aimId: o.aimId, data: o.data })
      }
      expect(decodeScan(o.text, { aim: 'off' })).toMatchObject({ ok: true, aimId: null, data: o.text })
    }
    for (const o of zx.eci) {
      // Bytes before the designator in the scanner's own encoding (Latin-1 here); after it, UTF-8.
      const frame = Buffer.concat([Buffer.from(o.utf8, 'utf8'), Buffer.from('\r', 'latin1')])
      expect(decodeScan(frame, { aim: 'on' }), o.utf8).toMatchObject({ ok: true, aimId: o.aimId, data: o.data })
    }
  })
})
