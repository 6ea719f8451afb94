import { Duplex } from 'node:stream'

/**
 * Two connected in-memory stream ends that behave like the two sides of a TCP socket:
 * bytes written on one end are read on the other, with backpressure; end() is a FIN
 * (allowHalfOpen false: the other side ends too); destroy(err) on one end is a reset — the
 * other end fails with ECONNRESET; writing to an end whose peer is gone fails with EPIPE.
 * Node 20 has no stream.duplexPair (22.6+).
 */
export function createDuplexPair(): [Duplex, Duplex] {
  const a = new PairEnd()
  const b = new PairEnd()
  a.peer = b
  b.peer = a
  return [a, b]
}

class PairEnd extends Duplex {
  peer!: PairEnd
  private waiting: (() => void) | undefined

  constructor() {
    super({ allowHalfOpen: false })
  }

  override _read(): void {
    const cb = this.peer.waiting
    this.peer.waiting = undefined
    cb?.()
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.peer.destroyed || this.peer.readableEnded) {
      cb(sysError('EPIPE', 'write EPIPE'))
      return
    }
    if (this.peer.push(chunk)) cb()
    else this.waiting = () => cb()
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.push(null)
    cb()
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const waiting = this.waiting
    this.waiting = undefined
    if (waiting) waiting()
    const peer = this.peer
    if (!peer.destroyed) {
      // A destroy before both sides finished is a reset for the peer.
      if (err || !this.writableFinished || !peer.writableFinished) {
        process.nextTick(() => peer.destroy(sysError('ECONNRESET', 'read ECONNRESET')))
      }
    }
    cb(err)
  }
}

function sysError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code })
}
