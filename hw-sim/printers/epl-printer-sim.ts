import { parseEpl, type EplLabel } from '../../src/templates/epl/parse-epl.ts'
import { renderEpl } from '../../src/templates/epl/render-epl.ts'
import { PrinterSim, type Connection, type DrawnUnit, type ReceivedUnit, type RenderOptions } from './printer-sim.ts'

export interface EplPrinterSimOptions extends RenderOptions {
  /** Label width in dots for labels without `q` (default 812). */
  widthDots?: number
}

interface EplParseState {
  buf: Buffer
  label: Buffer[]
  /** Raw bytes of a GW graphic still to skip. */
  binary: number
}

/**
 * An Eltron/Zebra EPL2 printer. Line-oriented: `N` clears the image buffer and starts a label,
 * `P n[,c]` prints it (n sets × c copies); `GW x,y,bytes,rows,<binary>` graphics are skipped by
 * length so their bytes are never read as commands. EPL has no status query over TCP, so the
 * simulator answers nothing (an `eR$,2` serial status mode is not simulated).
 * Units are recorded from `N` to `P` inclusive (the P line included); `parsedLabels` decodes
 * them with the EPL parser (src/templates/epl/parse-epl.ts), which works on whole buffers — the
 * splitting here is what lets a streaming connection be counted label by label.
 * With `renderTo`, each printed label is also written as .epl and drawn to .png (render-epl.ts).
 */
export class EplPrinterSim extends PrinterSim {
  constructor(
    name = 'epl-sim',
    private readonly opts: EplPrinterSimOptions = {},
  ) {
    super(name, opts)
  }

  protected readonly rawExtension = 'epl'

  protected feed(conn: Connection, data: Buffer): void {
    const st = (conn.state ??= { buf: Buffer.alloc(0), label: [], binary: 0 }) as EplParseState
    st.buf = st.buf.length ? Buffer.concat([st.buf, data]) : data
    for (;;) {
      if (conn.stream.destroyed) return
      if (st.binary > 0) {
        const n = Math.min(st.binary, st.buf.length)
        st.label.push(st.buf.subarray(0, n))
        st.buf = st.buf.subarray(n)
        st.binary -= n
        if (st.binary > 0) return
        continue
      }
      const lf = st.buf.indexOf(0x0a)
      const gw = /^GW\d+,\d+,(\d+),(\d+),/.exec(st.buf.subarray(0, Math.min(st.buf.length, 40)).toString('latin1'))
      if (gw) {
        const head = gw[0].length
        st.label.push(st.buf.subarray(0, head))
        st.buf = st.buf.subarray(head)
        st.binary = Number(gw[1]) * Number(gw[2])
        continue
      }
      if (lf < 0) return
      const lineBytes = st.buf.subarray(0, lf + 1)
      st.buf = st.buf.subarray(lf + 1)
      const line = lineBytes.toString('latin1').replace(/\r?\n$/, '')
      if (line === 'N') st.label = []
      st.label.push(lineBytes)
      const p = /^P(\d+)(?:,(\d+))?$/.exec(line)
      if (p) {
        const copies = Math.max(1, Number(p[1])) * Math.max(1, Number(p[2] ?? 1))
        const unit = Buffer.concat(st.label)
        st.label = []
        if (!this.received(conn, unit, copies)) return
      }
    }
  }

  /** Printed labels as text. */
  get labels(): string[] {
    return this.printed.map((u) => u.data.toString('latin1'))
  }

  /** Printed labels decoded by the EPL parser (src/templates/epl/parse-epl.ts): texts, barcodes, lines … */
  get parsedLabels(): EplLabel[] {
    return this.printed.flatMap((u) => parseEpl(u.data))
  }

  protected async draw(unit: ReceivedUnit): Promise<DrawnUnit | null> {
    const [drawn] = renderEpl(unit.data, { width: this.opts.widthDots })
    return drawn ? { png: drawn.png, warnings: drawn.warnings } : null
  }
}
