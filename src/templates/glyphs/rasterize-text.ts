/**
 * Shaped text -> black-and-white pixels. Glyph outlines (fontkit paths) are flattened to edges
 * and filled with the non-zero rule, 4×4 samples a pixel; a pixel is black from 7 of 16 samples
 * (about the 44 % coverage at which the earlier preview inked a pixel). The PNG preview and the
 * ZPL `^GF` / EPL `GW` graphic fields call `textBitmap` with the same node, so they are the same
 * pixels.
 */
import type { TextNode } from '../layout.ts'
import type { FontChain, PathCommand } from './font-chain.ts'
import { shapeLine } from './shape-text.ts'

/** One byte a pixel, 1 = black; `x`, `y` is where its top-left pixel goes. */
export interface TextBitmap {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly pixels: Uint8Array
}

/** Text is drawn at this fraction of its node's size (as PDF: pdf-compiler, font-metrics DRAWN_EM). */
const DRAWN_EM = 0.92
const SUB = 4
const INK = 7

interface Edge {
  x0: number
  y0: number
  x1: number
  y1: number
  dir: 1 | -1
}

/** Appends the edges of a glyph outline, scaled by `scale` and placed at (ox, baseline oy). */
function addOutline(edges: Edge[], commands: readonly PathCommand[], ox: number, oy: number, scale: number): void {
  let sx = 0
  let sy = 0
  let cx = 0
  let cy = 0
  const line = (x: number, y: number) => {
    const [ax, ay, bx, by] = [ox + cx * scale, oy - cy * scale, ox + x * scale, oy - y * scale]
    if (ay !== by) edges.push(ay < by ? { x0: ax, y0: ay, x1: bx, y1: by, dir: 1 } : { x0: bx, y0: by, x1: ax, y1: ay, dir: -1 })
    cx = x
    cy = y
  }
  for (const { command, args: a } of commands) {
    switch (command) {
      case 'moveTo':
        if (cx !== sx || cy !== sy) line(sx, sy)
        ;[sx, sy, cx, cy] = [a[0], a[1], a[0], a[1]]
        break
      case 'lineTo':
        line(a[0], a[1])
        break
      case 'quadraticCurveTo': {
        const [x0, y0] = [cx, cy]
        const n = segments(Math.hypot(a[2] - x0, a[3] - y0) * scale)
        for (let i = 1; i <= n; i++) {
          const t = i / n
          const u = 1 - t
          line(u * u * x0 + 2 * u * t * a[0] + t * t * a[2], u * u * y0 + 2 * u * t * a[1] + t * t * a[3])
        }
        break
      }
      case 'bezierCurveTo': {
        const [x0, y0] = [cx, cy]
        const n = segments(Math.hypot(a[4] - x0, a[5] - y0) * scale * 1.5)
        for (let i = 1; i <= n; i++) {
          const t = i / n
          const u = 1 - t
          line(u * u * u * x0 + 3 * u * u * t * a[0] + 3 * u * t * t * a[2] + t * t * t * a[4], u * u * u * y0 + 3 * u * u * t * a[1] + 3 * u * t * t * a[3] + t * t * t * a[5])
        }
        break
      }
      case 'closePath':
        line(sx, sy)
        break
    }
  }
  if (cx !== sx || cy !== sy) line(sx, sy)
}

function segments(lengthPx: number): number {
  return Math.max(2, Math.min(24, Math.ceil(lengthPx / 2)))
}

/**
 * The pixels of a text node at `scale` pixels per layout unit: the node's line shaped with the
 * font chain, aligned in its box and clipped to it (left and right), baseline at 0.8 em below
 * its top. Null when nothing is inked.
 */
export function textBitmap(chain: FontChain, node: TextNode, scale = 1): TextBitmap | null {
  const line = shapeLine(chain, node.text, node.bold)
  const em = Math.max(6, Math.round(node.size * scale * DRAWN_EM))
  const total = line.widthEm * em
  const boxX = node.x * scale
  const boxW = node.width * scale
  let pen = node.align === 'center' ? boxX + (boxW - total) / 2 : node.align === 'right' ? boxX + boxW - total : boxX
  pen = Math.max(boxX, pen)
  const baseline = Math.round(node.y * scale + em * 0.8)
  const edges: Edge[] = []
  for (const run of line.runs) {
    const s = em / run.font.font.unitsPerEm
    for (let i = 0; i < run.glyphs.length; i++) {
      const p = run.positions[i]
      addOutline(edges, run.glyphs[i].path.commands, pen + p.xOffset * s, baseline - p.yOffset * s, s)
      pen += p.xAdvance * s
    }
  }
  if (edges.length === 0) return null
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity]
  for (const e of edges) {
    minX = Math.min(minX, e.x0, e.x1)
    maxX = Math.max(maxX, e.x0, e.x1)
    minY = Math.min(minY, e.y0)
    maxY = Math.max(maxY, e.y1)
  }
  // Clipped to the box across, and to a band around the line down (stacked combining marks
  // could otherwise reach far above or below it).
  const left = Math.max(Math.round(boxX), Math.floor(minX))
  const right = Math.min(Math.round(boxX + boxW), Math.ceil(maxX))
  const top = Math.max(Math.floor((node.y - node.size) * scale), Math.floor(minY))
  const bottom = Math.min(Math.ceil((node.y + 2 * node.size) * scale), Math.ceil(maxY))
  if (right <= left || bottom <= top) return null
  return fill(edges, left, top, right - left, bottom - top)
}

/** Non-zero fill of `edges` into a w×h bitmap whose top-left pixel is (x, y). */
function fill(edges: Edge[], x: number, y: number, w: number, h: number): TextBitmap {
  const coverage = new Uint8Array(w * h)
  const crossings: Array<{ x: number; dir: number }> = []
  edges.sort((a, b) => a.y0 - b.y0)
  for (let row = 0; row < h; row++) {
    for (let sub = 0; sub < SUB; sub++) {
      const sy = y + row + (sub + 0.5) / SUB
      crossings.length = 0
      for (const e of edges) {
        if (e.y0 > sy) break
        if (sy >= e.y1) continue
        crossings.push({ x: e.x0 + ((sy - e.y0) / (e.y1 - e.y0)) * (e.x1 - e.x0), dir: e.dir })
      }
      if (crossings.length < 2) continue
      crossings.sort((a, b) => a.x - b.x)
      let winding = 0
      for (let i = 0; i < crossings.length - 1; i++) {
        winding += crossings[i].dir
        if (winding === 0) continue
        // Samples at (k + 0.5) / SUB pixels from the bitmap's left edge that lie in [xa, xb).
        const k0 = Math.max(0, Math.ceil((crossings[i].x - x) * SUB - 0.5))
        const k1 = Math.min(w * SUB, Math.ceil((crossings[i + 1].x - x) * SUB - 0.5))
        const base = row * w
        for (let k = k0; k < k1; k++) coverage[base + (k >> 2)]++
      }
    }
  }
  const pixels = new Uint8Array(w * h)
  for (let i = 0; i < pixels.length; i++) if (coverage[i] >= INK) pixels[i] = 1
  return { x, y, width: w, height: h, pixels }
}
