import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, resolve, sep } from 'node:path'
import { AppError } from '../../domain/errors.ts'
import type { PrinterUri } from './transport.ts'

/**
 * Where printer URIs may reach. `usb:` and `serial:` paths name device nodes only (checked when
 * the URI is parsed); `file:` printers are off unless the operator names a spool folder
 * (STUDIO_FILE_PRINTER_DIR, like CUPS's FileDevice), and then write only inside it.
 */
export interface PrinterUriPolicy {
  /** Absolute folder that `file:` printers must lie in; null: `file:` printers are off. */
  fileSpoolDir: string | null
}

/** A printer URI that is well-formed but points outside printing (400, or a printer that never sends). */
export class PrinterUriForbiddenError extends AppError {
  constructor(code: 'PRINTER_DEVICE_PATH_INVALID' | 'FILE_PRINTERS_DISABLED' | 'PRINTER_FILE_OUTSIDE_SPOOL', uri: string, why: string) {
    super(code, 'invalid', `printer URI "${uri}" refused: ${why}`, { uri })
  }
}

/**
 * Device nodes a printer may be: USB printer class devices (`/dev/usb/lp0`, `/dev/lp0`) for
 * `usb:`; serial lines (`/dev/ttyS0`, `/dev/ttyUSB0`, `/dev/ttyACM0`, `/dev/pts/3`,
 * `/dev/rfcomm0`, and udev's stable `/dev/serial/by-id/NAME`, `/dev/serial/by-path/NAME`) for `serial:`.
 */
const DEVICE_PATHS: Readonly<Record<'usb-lp' | 'serial', RegExp>> = {
  'usb-lp': /^\/dev\/(?:usb\/lp\d{1,3}|lp\d{1,3})$/,
  serial: /^\/dev\/(?:tty[A-Za-z]{0,8}\d{1,4}|pts\/\d{1,5}|rfcomm\d{1,3}|serial\/by-(?:id|path)\/[A-Za-z0-9][A-Za-z0-9._:+@-]{0,200})$/,
}

/** What the real device behind a by-id / by-path link may be. */
const RESOLVED_SERIAL = /^\/dev\/(?:tty[A-Za-z]{0,8}\d{1,4}|pts\/\d{1,5}|rfcomm\d{1,3})$/

export function isDevicePath(kind: 'usb-lp' | 'serial', path: string): boolean {
  return DEVICE_PATHS[kind].test(path)
}

export const DEVICE_PATH_HINT = 'usb: names /dev/usb/lpN or /dev/lpN; serial: names /dev/ttyXN, /dev/pts/N, /dev/rfcommN or /dev/serial/by-id|by-path/NAME'

/** The lexical check of a `file:` URI against the spool folder (no file system access); returns the spool folder. */
export function checkFileSpool(u: Extract<PrinterUri, { kind: 'file' }>, policy: PrinterUriPolicy): string {
  const spool = policy.fileSpoolDir
  if (!spool) throw new PrinterUriForbiddenError('FILE_PRINTERS_DISABLED', u.uri, 'file: printers are off; the operator turns them on by naming a spool folder (STUDIO_FILE_PRINTER_DIR)')
  if (!insideDir(resolve(spool), resolve(u.dir))) {
    throw new PrinterUriForbiddenError('PRINTER_FILE_OUTSIDE_SPOOL', u.uri, `a file: printer must be the spool folder ${spool} or a folder inside it`)
  }
  return spool
}

/** The policy checks that need no file system: what POST and PATCH /api/printers refuse. */
export function checkPrinterUriPolicy(u: PrinterUri, policy: PrinterUriPolicy): void {
  if (u.kind === 'file') checkFileSpool(u, policy)
}

/** True when `path` is `dir` or lies below it (both absolute and normalised). */
export function insideDir(dir: string, path: string): boolean {
  if (!isAbsolute(dir) || !isAbsolute(path)) return false
  const root = dir.endsWith(sep) ? dir.slice(0, -1) : dir
  return path === root || path.startsWith(root + sep)
}

/**
 * Before a device path is opened: when it exists, what it resolves to must be a character
 * device with a device node's name (a by-id link to /dev/ttyUSB0 is fine; a link out of /dev,
 * or a regular file, is refused). A missing device (unplugged) is left to the transport, which
 * reports it unavailable and retries.
 */
export async function checkDeviceNode(u: Extract<PrinterUri, { kind: 'usb-lp' | 'serial' }>): Promise<void> {
  let real: string
  try {
    real = await realpath(u.path)
  } catch {
    return
  }
  const named = u.kind === 'usb-lp' ? DEVICE_PATHS['usb-lp'].test(real) : RESOLVED_SERIAL.test(real)
  const info = await stat(real).catch(() => null)
  if (!named || !info?.isCharacterDevice()) {
    throw new PrinterUriForbiddenError('PRINTER_DEVICE_PATH_INVALID', u.uri, `${u.path} is not a printer device node (it is ${real}${info && !info.isCharacterDevice() ? ', not a character device' : ''})`)
  }
}
