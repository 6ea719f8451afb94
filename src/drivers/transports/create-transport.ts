import type { Logger } from 'pino'
import type { OpenOptions } from '@serialport/stream'
type BindingInterface = OpenOptions['binding']
import { parsePrinterUri } from './parse-printer-uri.ts'
import type { SimRegistry } from './sim-transport.ts'
import type { PrinterUri, Transport } from './transport.ts'
import { TransportUnsupportedError, TransportUnavailableError } from './transport-errors.ts'
import type { UsbDeviceSource } from './usb-transport.ts'
import { checkDeviceNode, checkFileSpool } from './printer-uri-policy.ts'

export interface CreateTransportOptions {
  log?: Logger
  /** Needed for `sim:NAME`. */
  simRegistry?: SimRegistry
  /** serialport binding (tests: SerialPortMock.binding). */
  serialBinding?: BindingInterface
  /** USB device source (tests: a fake). */
  usbSource?: UsbDeviceSource
  connectTimeoutMs?: number
  writeTimeoutMs?: number
  /** File extension for file: printers (e.g. 'zpl'). */
  fileExtension?: string
  /** The spool folder file: printers must write in (STUDIO_FILE_PRINTER_DIR); absent: file: printers are refused. */
  fileSpoolDir?: string | null
}

/**
 * Makes the transport for a printer URI — an explicit switch, one lazy import per kind.
 * `ipp:`/`ipps:` are not byte pipes (the IPP driver speaks HTTP itself): TransportUnsupportedError.
 * A URI that reaches outside printing (a device path that resolves to something other than a
 * device node, a `file:` printer without a spool folder or outside it) is PrinterUriForbiddenError:
 * no transport is made, so nothing is ever written there.
 */
export async function createTransport(uri: string | PrinterUri, opts: CreateTransportOptions = {}): Promise<Transport> {
  const u = typeof uri === 'string' ? parsePrinterUri(uri) : uri
  const common = { log: opts.log, writeTimeoutMs: opts.writeTimeoutMs }
  switch (u.kind) {
    case 'tcp': {
      const { TcpTransport } = await import('./tcp-transport.ts')
      return new TcpTransport(u.uri, u.host, u.port, { ...common, connectTimeoutMs: opts.connectTimeoutMs })
    }
    case 'serial': {
      await checkDeviceNode(u)
      const { SerialTransport } = await import('./serial-transport.ts')
      return new SerialTransport(u.uri, u.path, u.baudRate, { ...common, binding: opts.serialBinding })
    }
    case 'usb': {
      const { UsbTransport } = await import('./usb-transport.ts')
      return new UsbTransport(u.uri, u.vendorId, u.productId, { ...common, source: opts.usbSource })
    }
    case 'usb-lp': {
      await checkDeviceNode(u)
      const { UsbLpTransport } = await import('./usb-transport.ts')
      return new UsbLpTransport(u.uri, u.path)
    }
    case 'file': {
      const spoolDir = checkFileSpool(u, { fileSpoolDir: opts.fileSpoolDir ?? null })
      const { FileTransport } = await import('./file-transport.ts')
      return new FileTransport(u.uri, u.dir, { extension: opts.fileExtension, spoolDir })
    }
    case 'sim': {
      if (!opts.simRegistry) throw new TransportUnavailableError(u.uri, `no simulator registry given for ${u.uri}`)
      const { SimTransport } = await import('./sim-transport.ts')
      return new SimTransport(u.uri, u.name, opts.simRegistry, common)
    }
    case 'ipp':
      throw new TransportUnsupportedError(u.uri, 'a byte transport (use the IPP printer driver)')
    default: {
      const never: never = u
      throw new Error(`unhandled printer URI kind ${(never as PrinterUri).kind}`)
    }
  }
}
