import type { Readable } from 'node:stream'

/**
 * Byte pipe to one device. close() rejects a pending request() with TransportClosedError.
 *
 * Life cycle: open() → write()/request() … → close(). A transport may be opened again after
 * close() (a fresh connection / file); drivers open one per job or probe and close it after —
 * except a driver with a status channel, which may keep a connection for the next job for a
 * moment after the job's last status answer (that answer is the check between the two jobs).
 */
export interface Transport {
  /** The printer URI this transport talks to, e.g. `tcp://10.0.0.5:9100`. */
  readonly uri: string
  /** Whether the device can answer (request() works). False for file: and lp character devices. */
  readonly bidirectional: boolean
  /** Connects. Fails with TransportUnavailableError (nothing was written) or TransportTimeoutError. */
  open(signal?: AbortSignal): Promise<void>
  /**
   * Resolves when the bytes were handed to the OS (socket / port / file) — not when the device
   * printed them. Fails with TransportWriteError (connection lost: an unknown part may have
   * reached the device) or TransportTimeoutError (the device stopped reading). An aborted
   * `signal` ends a write that waits on the device (the connection is dropped).
   */
  write(data: Uint8Array, signal?: AbortSignal): Promise<void>
  /**
   * Writes `data` and gathers the reply until `opts.complete(reply)` is true, or — without a
   * predicate — until the first chunk plus a short quiet gap. Rejects with TransportTimeoutError
   * (details.partial holds whatever arrived) when the device stays silent for `timeoutMs`.
   * Only one request at a time.
   */
  request(data: Uint8Array, timeoutMs: number, opts?: RequestOptions): Promise<Uint8Array>
  /** Unsolicited bytes from the device (bytes that arrive while no request() is pending). */
  readonly incoming: Readable
  /**
   * Ends the connection (flushing what was written). Idempotent. A byte stream (TCP) waits for
   * the device to close its side, which proves it read everything; a device that doesn't
   * (it stopped reading) makes close() reject with TransportTimeoutError after the write timeout.
   * `peerTimeoutMs` shortens that wait when nothing depends on it (everything was confirmed).
   */
  close(opts?: { peerTimeoutMs?: number }): Promise<void>
  /**
   * Byte streams: the connection is open and the device has not ended its side, so a driver that
   * kept it after a confirmed job may send the next job on it. Absent: never reused.
   */
  readonly reusable?: boolean
  /** Like close() but drops what was not yet committed (file: no file appears). Optional. */
  discard?(): Promise<void>
}

export interface RequestOptions {
  /** True once `reply` is a complete answer (framing predicate). */
  complete?: (reply: Uint8Array) => boolean
  signal?: AbortSignal
}

export const PRINTER_URI_FORMS = [
  'tcp://HOST:9100',
  'ipp://HOST:PORT/PATH',
  'ipps://HOST:PORT/PATH',
  'usb://VID:PID',
  'usb:/dev/usb/lp0',
  'serial:/dev/ttyS0?baud=9600',
  'file:/PATH/',
  'sim:NAME',
] as const

export type PrinterUri =
  | { kind: 'tcp'; uri: string; host: string; port: number }
  | { kind: 'ipp'; uri: string; secure: boolean; host: string; port: number; path: string }
  | { kind: 'usb'; uri: string; vendorId: number; productId: number }
  | { kind: 'usb-lp'; uri: string; path: string }
  | { kind: 'serial'; uri: string; path: string; baudRate: number }
  | { kind: 'file'; uri: string; dir: string }
  | { kind: 'sim'; uri: string; name: string }

export type PrinterUriKind = PrinterUri['kind']
