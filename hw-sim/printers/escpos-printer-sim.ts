import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PrinterSim, type Connection, type ReceivedUnit } from './printer-sim.ts'
import { renderEscPos } from './render-escpos.ts'

export interface EscPosPrinterSimOptions {
  /** Write each printed receipt to this directory: NAME-NNNN.bin and (renderPng) NAME-NNNN.png. */
  renderTo?: string
  /** Draw PNGs with render-escpos.ts (a few ms a receipt). Default true when renderTo is set. */
  renderPng?: boolean
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
  private rendered = 0
  /** Files written by renderTo (settles after each receipt's 'printed' event). */
  renderQueue: Promise<void> = Promise.resolve()

  constructor(
    name = 'escpos-sim',
    private readonly opts: EscPosPrinterSimOptions = {},
  ) {
    super(name)
  }

  protected override print(unit: ReceivedUnit): void {
    super.print(unit)
    if (this.opts.renderTo) {
      const n = ++this.rendered
      this.renderQueue = this.renderQueue.then(() => this.render(unit, n)).catch((err) => {
        this.emit('render-error', err)
      })
    }
  }

  private async render(unit: ReceivedUnit, n: number): Promise<void> {
    const dir = this.opts.renderTo!
    await mkdir(dir, { recursive: true })
    const base = join(dir, `${this.name}-${String(n).padStart(4, '0')}`)
    await writeFile(`${base}.bin`, unit.data)
    if (this.opts.renderPng === false) return
    const drawn = renderEscPos(unit.data, { paperWidthMm: this.opts.paperWidthMm })
    await writeFile(`${base}.png`, drawn.png)
    if (drawn.warnings.length) this.emit('render-warning', { file: `${base}.png`, warnings: drawn.warnings })
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
            if (!this.faults.mute) conn.reply(Uint8Array.of(this.statusByte(n)))
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
