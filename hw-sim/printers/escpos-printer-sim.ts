import { PrinterSim, type Connection, type DrawnUnit, type ReceivedUnit, type RenderOptions } from './printer-sim.ts'
import { renderEscPos } from './render-escpos.ts'

export interface EscPosPrinterSimOptions extends RenderOptions {
  /** Paper width for rendering: 80 mm (48 columns, default) or 58 mm (32 columns). */
  paperWidthMm?: 80 | 58
}

const DLE = 0x10
const EOT = 0x04
const GS = 0x1d

interface EscPosParseState {
  receipt: number[]
  /** Bytes held back because they may start a DLE EOT / GS V sequence. */
  held: number[]
}

/**
 * An ESC/POS receipt printer. Answers real-time status `DLE EOT n` (10 04 n, n = 1..4) with one
 * status byte, wherever it appears in the stream (as real printers do — which is why these bytes
 * must never appear inside another command's data). A receipt is the bytes up to and including a
 * cut `GS V m` (1D 56 m, or 1D 56 m n for m = 65/66). Head open means cover open here.
 * With `renderTo`, each printed receipt is also written as .bin and drawn to .png (render-escpos.ts).
 */
export class EscPosPrinterSim extends PrinterSim {
  constructor(
    name = 'escpos-sim',
    private readonly opts: EscPosPrinterSimOptions = {},
  ) {
    super(name, opts)
  }

  protected readonly rawExtension = 'bin'

  protected async draw(unit: ReceivedUnit): Promise<DrawnUnit> {
    const drawn = renderEscPos(unit.data, { paperWidthMm: this.opts.paperWidthMm })
    return { png: drawn.png, warnings: drawn.warnings }
  }

  protected feed(conn: Connection, data: Buffer): void {
    const st = (conn.state ??= { receipt: [], held: [] }) as EscPosParseState
    const bytes = st.held.length ? [...st.held, ...data] : [...data]
    st.held = []
    let i = 0
    while (i < bytes.length) {
      if (conn.stream.destroyed) return
      const b = bytes[i]
      if (b === DLE) {
        if (i + 1 >= bytes.length) return void (st.held = bytes.slice(i))
        if (bytes[i + 1] === EOT) {
          if (i + 2 >= bytes.length) return void (st.held = bytes.slice(i))
          const n = bytes[i + 2]
          if (n >= 1 && n <= 4) {
            if (!this.faults.mute) {
              const reply = Uint8Array.of(this.statusByte(n))
              const late = n === 4 ? this.faults.paperStatusDelayMs : 0
              if (late > 0) setTimeout(() => conn.reply(reply), late)
              else conn.reply(reply)
            }
            i += 3
            continue
          }
        }
      }
      if (b === GS) {
        if (i + 2 >= bytes.length) return void (st.held = bytes.slice(i))
        if (bytes[i + 1] === 0x56) {
          const m = bytes[i + 2]
          const len = m === 65 || m === 66 ? 4 : 3
          if (i + len > bytes.length) return void (st.held = bytes.slice(i))
          st.receipt.push(...bytes.slice(i, i + len))
          i += len
          const unit = Buffer.from(st.receipt)
          st.receipt = []
          if (!this.received(conn, unit, 1)) return
          continue
        }
      }
      st.receipt.push(b)
      i++
    }
  }

  /** The answer to DLE EOT n. */
  statusByte(n: number): number {
    const f = this.faults
    const error = f.cutterError || f.overTemperature
    const offline = f.paperOut || f.headOpen || error || f.paused
    switch (n) {
      case 1:
        return 0x12 | (offline ? 0x08 : 0)
      case 2:
        return 0x12 | (f.headOpen ? 0x04 : 0) | (f.paperOut ? 0x20 : 0) | (error ? 0x40 : 0)
      case 3:
        return 0x12 | (f.cutterError ? 0x08 : 0) | (f.overTemperature ? 0x40 : 0)
      case 4:
        return 0x12 | (f.paperLow || f.paperOut ? 0x0c : 0) | (f.paperOut ? 0x60 : 0)
      default:
        return 0x12
    }
  }
}
