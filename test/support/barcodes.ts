import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader'

const require = createRequire(import.meta.url)
let ready: Promise<unknown> | null = null

/** zxing-wasm, loaded from node_modules (never from the network). */
function prepare(): Promise<unknown> {
  ready ??= (async () => {
    const wasm = readFileSync(join(require.resolve('zxing-wasm/reader').replace(/dist[\\/].*$/, ''), 'dist/reader/zxing_reader.wasm'))
    await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true })
  })()
  return ready
}

/** Every valid barcode an independent decoder finds in a PNG, sorted. */
export async function decodePng(png: Uint8Array): Promise<string[]> {
  await prepare()
  const results = await readBarcodes(png, { formats: ['Code128', 'Code39', 'QRCode', 'DataMatrix'], maxNumberOfSymbols: 16, tryHarder: true })
  return results.filter((r) => r.isValid).map((r) => r.text).sort()
}
