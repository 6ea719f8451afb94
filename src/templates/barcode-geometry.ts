/**
 * Barcode symbols as module geometry, from bwip-js's encoder (`raw`): one encoding, drawn by the
 * PDF and PNG compilers with their own primitives. ZPL, EPL and ESC/POS print barcodes natively
 * and only use the module counts for sizing (`symbolSize`, which counts linear symbols without
 * encoding them).
 */
import bwipjs from 'bwip-js'
import type { Symbology } from '../domain/preferences.ts'
import { ValidationError } from '../domain/errors.ts'
import { code128Modules, code39Modules } from './barcode-width.ts'

export interface LinearSymbol {
  readonly kind: 'linear'
  readonly modules: number
  /** Bars as [start module, width in modules]. */
  readonly bars: ReadonlyArray<readonly [number, number]>
}

export interface MatrixSymbol {
  readonly kind: 'matrix'
  readonly modules: number // square: modules × modules
  /** Dark modules, row-major, 1 = dark. */
  readonly cells: Uint8Array
}

export type BarcodeSymbol = LinearSymbol | MatrixSymbol

const BCID: Readonly<Record<Symbology, string>> = { code128: 'code128', code39: 'code39', qrcode: 'qrcode' }

/** QR error correction level used everywhere (ZPL `^FDMA,`, EPL `eM`, ESC/POS `GS ( k` 49 69 49). */
export const QR_ECLEVEL = 'M'

const CODE39 = /^[0-9A-Z\-. $/+%]+$/
const CODE128 = /^[\x20-\x7e]+$/

/** Throws BARCODE_NOT_ENCODABLE when the symbology cannot carry the payload. */
export function assertEncodable(symbology: Symbology, payload: string): void {
  const ok =
    symbology === 'code39' ? CODE39.test(payload) && payload.length <= 40
    : symbology === 'code128' ? CODE128.test(payload) && payload.length <= 80
    : payload.length > 0 && new TextEncoder().encode(payload).length <= 1000
  if (!ok) throw new ValidationError(`The payload cannot be printed as ${symbology}.`, { symbology, payload: payload.slice(0, 80) }, 'BARCODE_NOT_ENCODABLE')
}

const cache = new Map<string, BarcodeSymbol>()
const CACHE_LIMIT = 256

export function encodeSymbol(symbology: Symbology, payload: string): BarcodeSymbol {
  const key = `${symbology}\u0000${payload}`
  const hit = cache.get(key)
  if (hit) return hit
  assertEncodable(symbology, payload)
  const options = symbology === 'qrcode' ? `eclevel=${QR_ECLEVEL}` : ''
  const raw = bwipjs.raw(BCID[symbology], payload, options)[0] as { sbs?: number[]; pixs?: number[]; pixx?: number; pixy?: number }
  let symbol: BarcodeSymbol
  if (raw.sbs) {
    const bars: Array<[number, number]> = []
    let at = 0
    raw.sbs.forEach((w, i) => {
      if (i % 2 === 0) bars.push([at, w])
      at += w
    })
    symbol = Object.freeze({ kind: 'linear', modules: at, bars: Object.freeze(bars) })
  } else if (raw.pixs && raw.pixx) {
    symbol = Object.freeze({ kind: 'matrix', modules: raw.pixx, cells: Uint8Array.from(raw.pixs) })
  } else {
    throw new Error(`bwip-js returned no geometry for ${symbology}`)
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
  cache.set(key, symbol)
  return symbol
}

/**
 * The size of a symbol without its bars: what a layout needs. Linear symbols are counted by
 * barcode-width.ts (microseconds, the same counts as bwip-js); QR codes are encoded (and cached).
 */
export function symbolSize(symbology: Symbology, payload: string): { kind: BarcodeSymbol['kind']; modules: number } {
  if (symbology === 'code128' || symbology === 'code39') {
    assertEncodable(symbology, payload)
    const modules = symbology === 'code128' ? code128Modules(payload) : code39Modules(payload)
    if (modules > 0) return { kind: 'linear', modules }
  }
  const symbol = encodeSymbol(symbology, payload)
  return { kind: symbol.kind, modules: symbol.modules }
}

/** Rectangles (in modules) to fill for a symbol: bars for linear, merged runs for matrix. */
export function symbolRects(symbol: BarcodeSymbol): Array<[x: number, y: number, w: number, h: number]> {
  if (symbol.kind === 'linear') return symbol.bars.map(([x, w]) => [x, 0, w, 1])
  const n = symbol.modules
  const rects: Array<[number, number, number, number]> = []
  for (let y = 0; y < n; y++) {
    let x = 0
    while (x < n) {
      if (symbol.cells[y * n + x]) {
        const start = x
        while (x < n && symbol.cells[y * n + x]) x++
        rects.push([start, y, x - start, 1])
      } else x++
    }
  }
  return rects
}
