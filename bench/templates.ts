/** Template rendering figures: label throughput, preview and PDF latency, streamed Avery sheets. */
import PDFDocument from 'pdfkit'
import bwipjs from 'bwip-js'
import type { BenchRow } from './report.ts'
import { summarize } from './report.ts'
import { DEFAULT_STUDIO } from '../src/domain/preferences.ts'
import type { Client, Invoice } from '../src/domain/records.ts'
import { fullName } from '../src/domain/records.ts'
import { EplCompiler, PreviewCompiler, ZplCompiler, labelLayout, render, renderSheet } from '../src/templates/index.ts'

const AT = '2025-01-01T00:00:00.000Z'
function client(n: number): Client {
  return {
    id: n, number: n, lastName: `Müller ${n}`, firstName: 'Zoë', salutation: null, organization: null, addresses: [],
    phones: [{ label: 'mobile', number: '(207) 555-0199' }], email: null, status: 'active', familyMembers: [], leadSource: null, notes: null,
    createdAt: AT, updatedAt: AT,
  }
}
const payload = (n: number) => `C-${String(n).padStart(6, '0')}`

/** A jszpl-like naive generator: string concatenation, no escaping, no layout. */
function naiveZpl(c: Client): string {
  return `^XA^FO30,30^A0N,40,40^FD${fullName(c)}^FS^FO30,80^A0N,30,30^FDNo. ${c.number}  ${c.phones[0]?.number ?? ''}^FS^FO30,130^BY2^BCN,100,Y,N,N^FD${payload(c.number)}^FS^XZ`
}

/**
 * Consumes a label so that V8 can neither drop the work nor leave the string as an unflattened
 * rope: reading a character in the middle flattens it, as writing it to a socket would.
 */
let sink = 0
function consume(label: string | Uint8Array): void {
  sink = (sink + label.length + (typeof label === 'string' ? label.charCodeAt(label.length >> 1) : label[label.length >> 1])) | 0
}

/** Labels per second of `fn(i)`; every call gets different data (record i) and its output is consumed. */
function perSecond(fn: (i: number) => string | Uint8Array, ms = 700): number {
  for (let i = 0; i < 2000; i++) consume(fn(i))
  let n = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    for (let k = 0; k < 100; k++) consume(fn(n++))
  }
  return n / ((performance.now() - start) / 1000)
}

async function timeMs(fn: () => Promise<unknown> | unknown, runs: number): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn()
  const out: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    out.push(performance.now() - t)
  }
  return out
}

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const studio = DEFAULT_STUDIO
  const zpl = new ZplCompiler()
  const epl = new EplCompiler()
  const preview = new PreviewCompiler()
  const label = (i: number) => labelLayout({ subject: { document: 'client-label', client: client(i + 1) }, studio, barcode: { payload: payload(i + 1), symbology: 'code128' }, media: '4x6' })

  // Both sides build a fresh record per label (client(i + 1)) and have their output consumed.
  const baseline = perSecond((i) => naiveZpl(client(i + 1)))
  const zplRate = perSecond((i) => zpl.compile(label(i)))
  rows.push({ group: 'templates', name: 'ZPL client labels (layout + escape + compile)', value: zplRate, unit: 'labels/s', baseline: { name: 'naive non-escaping concat (jszpl-like), output consumed', value: baseline }, goal: '>= 150,000 labels/s', met: zplRate >= 150_000 })
  const eplRate = perSecond((i) => epl.compile(label(i)))
  rows.push({ group: 'templates', name: 'EPL client labels (layout + escape + compile)', value: eplRate, unit: 'labels/s', baseline: { name: 'naive ZPL concat, output consumed', value: baseline }, goal: '>= 150,000 labels/s', met: eplRate >= 150_000 })

  const pngMs = summarize(await timeMs(() => preview.compile(label(7)), 40))
  const { ready } = await import('zpl-renderer-js')
  const { api } = await ready
  const zplText = zpl.compile(label(7))
  const zrMs = summarize(await timeMs(() => api.zplToBase64Async(zplText, 101.6, 152.4, 8), 8))
  rows.push({ group: 'templates', name: 'PNG preview, 4x6 label at 203 dpi (p50)', value: pngMs.p50, unit: 'ms', baseline: { name: 'zpl-renderer-js of the same ZPL', value: zrMs.p50 }, goal: '<= 15 ms', met: pngMs.p50 <= 15 })

  const invoice: Invoice = {
    id: 1, number: 789, invoiceType: 'initial-order', sessionId: null, clientId: 1, billToClientId: 1, invoiceDate: '2025-04-10',
    lines: Array.from({ length: 6 }, (_, i) => ({ item: `Print ${i}`, imageNumber: String(i), quantity: 1, unitPrice: 1000 + i })),
    discount: 0, tax: 0, shipping: 0, payments: [], terms: 'Due on pickup.', createdAt: AT, updatedAt: AT,
  }
  const subject = { document: 'invoice' as const, invoice, client: client(1), billTo: client(1), session: null }
  const pdfMs = summarize(await timeMs(() => render({ subject, format: 'pdf', studio, barcode: { payload: 'INV-000789', symbology: 'code128' } }), 30))
  const basePdf = summarize(
    await timeMs(async () => {
      const doc = new PDFDocument({ size: 'LETTER' })
      const chunks: Buffer[] = []
      doc.on('data', (c: Buffer) => chunks.push(c))
      const done = new Promise((r) => doc.on('end', r))
      doc.fontSize(16).text('Invoice 789', 40, 40)
      for (const l of invoice.lines) doc.fontSize(10).text(`${l.item}  ${l.quantity}  ${l.unitPrice}`)
      doc.image(await bwipjs.toBuffer({ bcid: 'code128', text: 'INV-000789', includetext: true, scale: 2, height: 12 }), 400, 680, { width: 170 })
      doc.end()
      await done
    }, 30),
  )
  rows.push({ group: 'templates', name: 'PDF invoice, one page, vector barcode, embedded font (p50)', value: pdfMs.p50, unit: 'ms', baseline: { name: 'pdfkit + bwip-js PNG barcode, Helvetica', value: basePdf.p50 }, goal: '<= 15 ms', met: pdfMs.p50 <= 15 })

  global.gc?.()
  const rss0 = process.memoryUsage().rss
  const heap0 = process.memoryUsage().heapUsed
  let peakRss = rss0
  let peakHeap = heap0
  let bytes = 0
  const t = performance.now()
  function* items() {
    for (let i = 0; i < 2000; i++) yield { subject: { document: 'client-label' as const, client: client(i + 1) }, barcode: { payload: payload(i + 1), symbology: 'code128' as const } }
  }
  for await (const chunk of renderSheet({ items: items(), studio })) {
    bytes += chunk.length
    const m = process.memoryUsage()
    peakRss = Math.max(peakRss, m.rss)
    peakHeap = Math.max(peakHeap, m.heapUsed)
  }
  const sheetMs = performance.now() - t
  rows.push({ group: 'templates', name: `Avery 5160 PDF, 2,000 labels (67 pages, ${(bytes / 1e6).toFixed(1)} MB) streamed`, value: sheetMs, unit: 'ms', goal: '<= 3,000 ms', met: sheetMs <= 3000 })
  rows.push({ group: 'templates', name: 'Avery 2,000 labels: RSS growth (peak)', value: (peakRss - rss0) / 1e6, unit: 'MB', goal: '<= 100 MB', met: (peakRss - rss0) / 1e6 <= 100 })
  rows.push({ group: 'templates', name: 'Avery 2,000 labels: heap growth (peak)', value: (peakHeap - heap0) / 1e6, unit: 'MB', goal: '<= 100 MB', met: (peakHeap - heap0) / 1e6 <= 100 })
  if (sink === 0.5) console.log(sink) // never true: keeps the consumed output observable
  return rows
}
