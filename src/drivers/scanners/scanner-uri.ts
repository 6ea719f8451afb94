import { AppError } from '../../domain/errors.ts'
import { isKeyboardLayoutName, KEYBOARD_LAYOUTS, type KeyboardLayoutName } from './keyboard-layouts.ts'
import type { FramingOptions } from './scan-framer.ts'
import { isEncoding, type DecodeOptions } from './scan-decoder.ts'
import { AIM_MODES, type AimMode } from '../../domain/aim-identifiers.ts'
import { USB_SCANNER_MODES, type UsbScannerMode } from './usb-scanner.ts'

export const SCANNER_URI_FORMS = [
  'serial:/dev/ttyACM0?baud=9600&prefix=…&suffix=…&timeoutMs=…&encoding=utf8|latin1|cp1252|…&aim=on|off|auto',
  'usb://VID:PID?mode=keyboard|hidpos&layout=us|uk|de&serial=…&interface=…&endpoint=…&reportId=…&idleMs=…&aim=on|off|auto',
  'sim:NAME?aim=on|off|auto',
] as const

/** How a scanner's frames become text: its encoding and whether it sends AIM identifiers. */
export type ScannerDecode = Pick<DecodeOptions, 'encoding' | 'aim'>

export type ScannerFraming = Omit<FramingOptions, 'timers'>

export type ScannerUri =
  | { kind: 'serial'; uri: string; path: string; baudRate: number; framing: ScannerFraming; decode: ScannerDecode }
  | {
      kind: 'usb'
      uri: string
      vendorId: number
      productId: number
      mode: UsbScannerMode
      layout: KeyboardLayoutName
      serialNumber?: string
      /** Keyboard mode: the report id of an interface that numbers its reports. */
      reportId?: number
      interfaceNumber?: number
      endpointNumber?: number
      framing: ScannerFraming
      decode: ScannerDecode
    }
  | { kind: 'sim'; uri: string; name: string; framing: ScannerFraming; decode: ScannerDecode }

const FRAMING_KEYS = ['prefix', 'suffix', 'timeoutMs', 'aim']
const KEYS: Record<ScannerUri['kind'], string[]> = {
  serial: ['baud', 'encoding', ...FRAMING_KEYS],
  usb: ['mode', 'layout', 'serial', 'interface', 'endpoint', 'reportId', 'idleMs', ...FRAMING_KEYS],
  sim: FRAMING_KEYS,
}

/**
 * Reads a scanner URI. Query values are percent-decoded (`suffix=%03` is ETX, `suffix=%23` is `#`).
 *   serial:/dev/ttyACM0?baud=9600&prefix=…&suffix=…&timeoutMs=50   (baud 9600 by default)
 *   usb://05e0:1200?mode=keyboard&layout=de   (mode keyboard and layout us by default; `usb:VID:PID` too)
 *   usb://0c2e:0b61?mode=hidpos
 *   sim:front-desk
 * Anything else: AppError SCANNER_URI_INVALID (kind 'invalid') listing the valid forms.
 */
export function parseScannerUri(uri: string): ScannerUri {
  const text = uri.trim()
  const q = text.indexOf('?')
  const head = q >= 0 ? text.slice(0, q) : text
  const params = new URLSearchParams(q >= 0 ? text.slice(q + 1) : '')
  const colon = head.indexOf(':')
  const scheme = colon > 0 ? head.slice(0, colon).toLowerCase() : ''
  const rest = colon > 0 ? head.slice(colon + 1) : ''
  if (scheme !== 'serial' && scheme !== 'usb' && scheme !== 'sim') invalid(uri, `unknown scheme "${scheme || head}"`)
  for (const key of params.keys()) {
    if (!KEYS[scheme].includes(key)) invalid(uri, `unknown parameter "${key}" (${scheme}: accepts ${KEYS[scheme].join(', ')})`)
  }
  const framing = readFraming(uri, params)
  switch (scheme) {
    case 'serial': {
      const path = rest.startsWith('//') ? rest.slice(2) : rest
      if (!path || /[\s\0]/.test(path)) invalid(uri, 'a serial URI needs a device path')
      const baudRate = params.has('baud') ? integer(uri, 'baud', params.get('baud')!, 50, 4_000_000) : 9600
      const decode = readDecode(uri, params, 'auto')
      if (params.has('encoding')) {
        const encoding = params.get('encoding')!.toLowerCase()
        if (!isEncoding(encoding)) invalid(uri, `encoding "${encoding}" is not known (utf8, latin1, cp1252, or a WHATWG label such as iso-8859-2)`)
        decode.encoding = encoding
      }
      return { kind: 'serial', uri: text, path: decodeURIComponent(path), baudRate, framing, decode }
    }
    case 'usb': {
      const m = /^(?:\/\/)?(?:0x)?([0-9a-f]{1,4}):(?:0x)?([0-9a-f]{1,4})\/?$/i.exec(rest)
      if (!m) invalid(uri, 'a USB URI needs a vendor and product id in hex, VID:PID')
      const mode = params.get('mode') ?? 'keyboard'
      if (!(USB_SCANNER_MODES as readonly string[]).includes(mode)) invalid(uri, `mode must be one of ${USB_SCANNER_MODES.join(', ')}`)
      const layout = (params.get('layout') ?? 'us').toLowerCase()
      if (!isKeyboardLayoutName(layout)) invalid(uri, `layout must be one of ${KEYBOARD_LAYOUTS.join(', ')}`)
      // A keyboard wedge sends AIM identifiers only when set to; HID-POS has a field for them.
      const decode = readDecode(uri, params, mode === 'keyboard' ? 'off' : 'auto')
      const parsed: ScannerUri = { kind: 'usb', uri: text, vendorId: parseInt(m[1], 16), productId: parseInt(m[2], 16), mode: mode as UsbScannerMode, layout, framing, decode }
      if (params.has('serial')) parsed.serialNumber = params.get('serial')!
      if (params.has('interface')) parsed.interfaceNumber = integer(uri, 'interface', params.get('interface')!, 0, 255)
      if (params.has('endpoint')) parsed.endpointNumber = integer(uri, 'endpoint', params.get('endpoint')!, 1, 15)
      if (params.has('reportId')) parsed.reportId = integer(uri, 'reportId', params.get('reportId')!, 1, 255)
      if (params.has('idleMs')) framing.idleDropMs = integer(uri, 'idleMs', params.get('idleMs')!, 50, 60_000)
      return parsed
    }
    case 'sim': {
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(rest)) invalid(uri, 'a sim URI needs a name of letters, digits, ".", "_" or "-"')
      return { kind: 'sim', uri: text, name: rest, framing, decode: readDecode(uri, params, 'auto') }
    }
  }
}

function readDecode(uri: string, params: URLSearchParams, fallback: AimMode): ScannerDecode {
  const aim = params.get('aim') ?? fallback
  if (!(AIM_MODES as readonly string[]).includes(aim)) invalid(uri, `aim must be one of ${AIM_MODES.join(', ')}`)
  return { aim: aim as AimMode }
}

function readFraming(uri: string, params: URLSearchParams): ScannerFraming {
  const framing: ScannerFraming = {}
  const prefix = params.get('prefix')
  const suffix = params.get('suffix')
  if (prefix) framing.prefix = prefix
  if (suffix) framing.suffix = suffix
  if (params.has('timeoutMs')) framing.interByteTimeoutMs = integer(uri, 'timeoutMs', params.get('timeoutMs')!, 1, 60_000)
  return framing
}

function integer(uri: string, key: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) invalid(uri, `${key} must be a whole number from ${min} to ${max}`)
  return n
}

function invalid(uri: string, why: string): never {
  throw new AppError('SCANNER_URI_INVALID', 'invalid', `"${uri}" is not a scanner URI: ${why}. Valid forms: ${SCANNER_URI_FORMS.join(' | ')}.`, { uri, validForms: [...SCANNER_URI_FORMS] })
}
