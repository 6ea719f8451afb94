import { PrinterUriInvalidError } from './transport-errors.ts'
import type { PrinterUri } from './transport.ts'
import { DEVICE_PATH_HINT, PrinterUriForbiddenError, isDevicePath } from './printer-uri-policy.ts'

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\])$/
const BAUD_RATES = new Set([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400])

/**
 * Validates a printer URI and splits it into its parts. Fails with PrinterUriInvalidError
 * (code PRINTER_URI_INVALID, kind 'invalid') whose message lists the valid forms, or with
 * PrinterUriForbiddenError (PRINTER_DEVICE_PATH_INVALID) when a `usb:` or `serial:` path does not
 * name a device node. Whether a `file:` folder is allowed is the policy's (printer-uri-policy.ts).
 */
export function parsePrinterUri(uri: string): PrinterUri {
  const fail = (why: string): never => {
    throw new PrinterUriInvalidError(uri, why)
  }
  if (typeof uri !== 'string' || uri.trim() !== uri || uri === '') fail('empty or padded with spaces')
  const scheme = /^([a-z]+):/.exec(uri)?.[1]
  switch (scheme) {
    case 'tcp': {
      const m = /^tcp:\/\/([^/:?#]+|\[[^\]]+\]):(\d{1,5})\/?$/.exec(uri) ?? fail('expected tcp://HOST:PORT')
      const host = m[1]
      if (!HOST.test(host)) fail(`bad host "${host}"`)
      return { kind: 'tcp', uri, host: unbracket(host), port: port(m[2], fail) }
    }
    case 'ipp':
    case 'ipps': {
      let u: URL
      try {
        u = new URL(uri)
      } catch {
        return fail(`expected ${scheme}://HOST:PORT/PATH`)
      }
      if (!u.hostname || !HOST.test(u.hostname)) fail('missing or bad host')
      if (u.username || u.password) fail('credentials do not belong in the URI')
      const p = u.port ? port(u.port, fail) : 631
      return { kind: 'ipp', uri, secure: scheme === 'ipps', host: unbracket(u.hostname), port: p, path: u.pathname || '/' }
    }
    case 'usb': {
      const ids = /^usb:\/\/([0-9A-Fa-f]{4}):([0-9A-Fa-f]{4})$/.exec(uri)
      if (ids) return { kind: 'usb', uri, vendorId: parseInt(ids[1], 16), productId: parseInt(ids[2], 16) }
      const path = /^usb:(\/[^?#]+)$/.exec(uri)
      if (!path || path[1].startsWith('//')) return fail('expected usb://VID:PID (4 hex digits each) or usb:/dev/usb/lp0')
      if (!isDevicePath('usb-lp', path[1])) throw new PrinterUriForbiddenError('PRINTER_DEVICE_PATH_INVALID', uri, `${path[1]} is not a printer device node (${DEVICE_PATH_HINT})`)
      return { kind: 'usb-lp', uri, path: path[1] }
    }
    case 'serial': {
      const m = /^serial:(\/[^?#]+)(?:\?baud=(\d+))?$/.exec(uri) ?? fail('expected serial:/dev/ttyS0?baud=9600')
      const baud = m[2] === undefined ? 9600 : Number(m[2])
      if (!BAUD_RATES.has(baud)) fail(`unsupported baud rate ${m[2]} (use one of ${[...BAUD_RATES].join(', ')})`)
      if (!isDevicePath('serial', m[1])) throw new PrinterUriForbiddenError('PRINTER_DEVICE_PATH_INVALID', uri, `${m[1]} is not a serial device node (${DEVICE_PATH_HINT})`)
      return { kind: 'serial', uri, path: m[1], baudRate: baud }
    }
    case 'file': {
      const m = /^file:(?:\/\/)?(\/[^?#]*)$/.exec(uri) ?? fail('expected file:/PATH/ (an absolute directory)')
      if (!m[1].endsWith('/')) fail('a file printer is a directory: end the path with "/"')
      if (m[1].split('/').includes('..')) fail('".." is not allowed')
      return { kind: 'file', uri, dir: m[1] }
    }
    case 'sim': {
      const m = /^sim:([A-Za-z0-9][A-Za-z0-9._-]{0,63})$/.exec(uri) ?? fail('expected sim:NAME (letters, digits, . _ -)')
      return { kind: 'sim', uri, name: m[1] }
    }
    default:
      return fail(scheme ? `unknown scheme "${scheme}:"` : 'no scheme')
  }
}

function port(text: string, fail: (why: string) => never): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1 || n > 65535) fail(`bad port "${text}"`)
  return n
}

function unbracket(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host
}
