import { PrinterSim, type Connection, type DrawnUnit, type ReceivedUnit, type RenderOptions } from './printer-sim.ts'

const STX = '\x02'
const ETX = '\x03'

export interface ZplPrinterSimOptions extends RenderOptions {
  /** Label size for rendering, mm; default 101.6 × 152.4, 8 dots/mm. */
  widthMm?: number
  heightMm?: number
  dpmm?: number
}

interface ZplParseState {
  buf: string
  inFormat: boolean
}

/**
 * A Zebra-like ZPL printer. Splits the stream into formats (`^XA…^XZ`, `^PQ n` copies),
 * answers `~HS` (three STX…ETX lines) and `~HQES` per its state — silent to `~HS` while media
 * out, ribbon out, head open or too hot (faults.silentStatusWhenFaulted), like current firmware.
 * Also honours `~PP` (pause), `~PS` (resume) and `~JA` (cancel buffered formats).
 * Limits: the caret is always `^` (a `^CC` stream is mis-read, like by most simple parsers).
 */
export class ZplPrinterSim extends PrinterSim {
  constructor(
    name = 'zpl-sim',
    private readonly opts: ZplPrinterSimOptions = {},
  ) {
    super(name, opts)
  }

  protected readonly rawExtension = 'zpl'

  protected feed(conn: Connection, data: Buffer): void {
    const st = (conn.state ??= { buf: '', inFormat: false }) as ZplParseState
    st.buf += data.toString('latin1')
    for (;;) {
      if (conn.stream.destroyed) return
      if (!st.inFormat) {
        const i = indexOfAny(st.buf, ['^XA', '~'])
        if (i < 0) {
          // Keep a trailing '^' or '^X' that may start a format.
          st.buf = st.buf.endsWith('^X') ? '^X' : st.buf.endsWith('^') ? '^' : ''
          return
        }
        st.buf = st.buf.slice(i)
        if (st.buf.startsWith('~')) {
          const used = this.immediate(conn, st.buf)
          if (used === 0) return
          st.buf = st.buf.slice(used)
          continue
        }
        st.inFormat = true
        st.buf = st.buf // keeps ^XA at 0
      }
      // In a format: immediate commands still act at once (they can't be in field data).
      const end = st.buf.indexOf('^XZ')
      const tilde = st.buf.indexOf('~')
      if (tilde >= 0 && (end < 0 || tilde < end)) {
        const used = this.immediate(conn, st.buf.slice(tilde))
        if (used === 0) return
        st.buf = st.buf.slice(0, tilde) + st.buf.slice(tilde + used)
        continue
      }
      if (end < 0) return
      const format = st.buf.slice(0, end + 3)
      st.buf = st.buf.slice(end + 3)
      st.inFormat = false
      const pq = /\^PQ(\d+)/.exec(format)
      const copies = pq ? Math.max(1, Number(pq[1])) : 1
      if (!this.received(conn, Buffer.from(format, 'latin1'), copies)) return
    }
  }

  /** Handles an immediate command at the start of `s`; returns the characters used, 0 = need more. */
  private immediate(conn: Connection, s: string): number {
    if (s.length < 3) return 0
    const cmd = s.slice(0, 3)
    if (cmd === '~HQ') {
      if (s.length < 5) return 0
      if (s.slice(3, 5) === 'ES') this.answer(conn, this.hqesReply())
      return 5
    }
    switch (cmd) {
      case '~HS':
        if (!this.faults.silentHostStatus && !(this.faults.silentStatusWhenFaulted && this.hsSilent)) this.answer(conn, this.hsReply())
        return 3
      case '~PP':
        void this.setFaults({ paused: true })
        return 3
      case '~PS':
        void this.setFaults({ paused: false })
        return 3
      case '~JA':
        this.pending.length = 0
        return 3
      default:
        return 3 // other immediate commands (~JR, ~TA …): ignored
    }
  }

  private answer(conn: Connection, text: string): void {
    if (!this.faults.mute) conn.reply(text)
  }

  private get hsSilent(): boolean {
    const f = this.faults
    return f.paperOut || f.ribbonOut || f.headOpen || f.overTemperature
  }

  /** The `~HS` answer for the current state. */
  hsReply(): string {
    const f = this.faults
    const b = (x: boolean) => (x ? '1' : '0')
    const formats = String(Math.min(999, this.pending.length)).padStart(3, '0')
    const remaining = String(this.pending.reduce((n, u) => n + u.copies, 0)).padStart(8, '0')
    const line1 = `030,${b(f.paperOut)},${b(f.paused)},1218,${formats},0,0,0,000,0,${b(f.underTemperature)},${b(f.overTemperature)}`
    const line2 = `001,0,${b(f.headOpen)},${b(f.ribbonOut)},1,2,6,0,${remaining},1,000`
    const line3 = '1234,0'
    return [line1, line2, line3].map((l) => `${STX}${l}${ETX}\r\n`).join('')
  }

  /** The `~HQES` answer for the current state. */
  hqesReply(): string {
    const f = this.faults
    let errors = 0
    if (f.paperOut) errors |= 0x1
    if (f.ribbonOut) errors |= 0x2
    if (f.headOpen) errors |= 0x4
    if (f.cutterError) errors |= 0x8
    if (f.overTemperature) errors |= 0x10
    if (f.paused) errors |= 0x10000
    let warnings = 0
    if (f.paperLow) warnings |= 0x8
    const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0')
    return (
      `${STX}\r\n` +
      `  PRINTER STATUS                            \r\n` +
      `   ERRORS:         ${errors ? 1 : 0} 00000000 ${hex(errors)}      \r\n` +
      `   WARNINGS:       ${warnings ? 1 : 0} 00000000 ${hex(warnings)}      \r\n` +
      `${ETX}\r\n`
    )
  }

  /** Printed labels as text. */
  get labels(): string[] {
    return this.printed.map((u) => u.data.toString('latin1'))
  }

  protected async draw(unit: ReceivedUnit): Promise<DrawnUnit> {
    const { ready } = await import('zpl-renderer-js')
    const { api } = await ready
    const png = await api.zplToBase64Async(unit.data.toString('latin1'), this.opts.widthMm ?? 101.6, this.opts.heightMm ?? 152.4, this.opts.dpmm ?? 8)
    return { png: Buffer.from(png, 'base64') }
  }
}

function indexOfAny(s: string, needles: string[]): number {
  let best = -1
  for (const n of needles) {
    const i = s.indexOf(n)
    if (i >= 0 && (best < 0 || i < best)) best = i
  }
  return best
}
