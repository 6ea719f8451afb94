/**
 * What a person sees on the pages about printouts, in Debian's Chromium at 1280×800 and 1024×768:
 * the label preview of the chosen printer, assigning a production order number from a refused
 * print, the print queue naming records, the settings page's layout, time zone and currency, the
 * header, the favicon, and status names per track.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.ts'
import { decodePng } from '../support/barcodes.ts'
import { HAS_CHROMIUM, launchChromium, screenshot, signedInContext } from '../support/browser.ts'

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
] as const

let server: TestServer
let browser: Browser

/** A page that records script errors and every failed request (a 404 favicon included). */
async function watched(context: BrowserContext): Promise<Page & { errors: string[]; failed: string[] }> {
  const page = (await context.newPage()) as Page & { errors: string[]; failed: string[] }
  page.errors = []
  page.failed = []
  page.setDefaultTimeout(8000)
  page.on('pageerror', (e) => page.errors.push(e.message))
  page.on('response', (r) => {
    if (r.status() >= 400) page.failed.push(`${r.status()} ${new URL(r.url()).pathname}`)
  })
  return page
}

/** The preview image the page shows: its bytes and natural size. */
async function shownPreview(page: Page, document: string, media: string): Promise<{ png: Uint8Array; width: number; height: number }> {
  const img = page.locator(`#preview[data-document="${document}"][data-media="${media}"]:not([hidden])`)
  await img.waitFor()
  await expect.poll(() => img.evaluate((e) => { const i = e as unknown as { complete: boolean; naturalWidth: number }; return i.complete && i.naturalWidth > 0 })).toBe(true)
  const info = (await img.evaluate(`(async (e) => ({ bytes: Array.from(new Uint8Array(await (await fetch(e.src)).arrayBuffer())), width: e.naturalWidth, height: e.naturalHeight }))(document.getElementById('preview'))`)) as { bytes: number[]; width: number; height: number }
  return { png: Uint8Array.from(info.bytes), width: info.width, height: info.height }
}

describe.skipIf(!HAS_CHROMIUM)('what a person sees about printouts, in Chromium', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { demo: true }), launchChromium()])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}x${viewport.height}`
    it(`when settings open at ${size}, then the page never scrolls sideways and the printers' Status and Delete are in view`, async () => {
      const context = await signedInContext(browser, server.url, ADMIN_TOKEN, viewport)
      const page = await watched(context)
      await page.goto('/settings')
      await page.locator('body[data-ready]').waitFor()
      await expect.poll(() => page.locator('#printers-table tbody tr[data-printer]').count()).toBe(4)
      const layout = (await page.evaluate(`(() => {
        const wrap = document.querySelector('#printers-table').closest('.table-wrap')
        const box = wrap.getBoundingClientRect()
        const heads = [...document.querySelectorAll('#printers-table thead th')].map((th) => ({ text: th.textContent.trim(), left: th.getBoundingClientRect().left, right: th.getBoundingClientRect().right }))
        const deletes = [...document.querySelectorAll('#printers-table button')].filter((b) => b.textContent === 'Delete').map((b) => b.getBoundingClientRect().right)
        return { pageScroll: document.documentElement.scrollWidth - document.documentElement.clientWidth, wrapScroll: wrap.scrollWidth - wrap.clientWidth, right: box.right, heads, deletes }
      })()`)) as { pageScroll: number; wrapScroll: number; right: number; heads: Array<{ text: string; right: number }>; deletes: number[] }
      await screenshot(page, `settings-printers-${size}`)
      expect(layout.pageScroll).toBe(0)
      expect(layout.wrapScroll).toBe(0)
      expect(layout.heads.map((h) => h.text)).toEqual(['Name', 'Language', 'Address', 'Status', 'Actions'])
      for (const h of layout.heads) expect(h.right, h.text).toBeLessThanOrEqual(layout.right + 0.5)
      expect(layout.deletes).toHaveLength(4)
      for (const right of layout.deletes) expect(right).toBeLessThanOrEqual(layout.right + 0.5)
      expect(page.errors).toEqual([])
      expect(page.failed).toEqual([])
      await context.close()
    })
  }

  it('when a person signs in with a labelled token, then the header names the label and role; the favicon loads (no 404)', async () => {
    const made = (await (await server.api('/api/tokens', { method: 'POST', json: { role: 'client', label: 'Front desk iPad' } })).json()) as { token: string }
    const context = await signedInContext(browser, server.url, made.token, VIEWPORTS[1])
    const page = await watched(context)
    await page.goto('/')
    await page.locator('body[data-ready]').waitFor()
    expect((await page.locator('header .who').textContent())!.replace(/\s+/g, ' ').trim()).toBe('Signed in as Front desk iPad (front desk) Sign out')
    const icon = await page.evaluate(`fetch(document.querySelector('link[rel=icon]').href).then((r) => [r.status, r.headers.get('content-type')])`)
    expect(icon).toEqual([200, 'image/svg+xml'])
    const ico = await page.request.get('/favicon.ico')
    expect(ico.status()).toBe(200)
    expect(page.failed).toEqual([])
    await context.close()
  })

  it('when a different printer is chosen for the client label, then the preview is that printer’s stock and language, and decodes', async () => {
    const context = await signedInContext(browser, server.url, ADMIN_TOKEN, VIEWPORTS[0])
    const page = await watched(context)
    await page.goto('/?barcode=C-000001')
    const label = page.locator('form.printout[data-document="client-label"]')
    const select = label.getByLabel('Printer for the client account label')
    await select.selectOption('front-desk-epl')
    const small = await shownPreview(page, 'client-label', '2.25x1.25')
    expect([small.width, small.height]).toEqual([Math.round(2.25 * 203), Math.round(1.25 * 203)])
    expect(await decodePng(small.png)).toEqual(['C-000001'])
    expect(await page.locator('#preview-caption').textContent()).toContain('2.25 × 1.25 in, EPL, front-desk-epl')
    await screenshot(page, 'front-desk-preview-epl-1280x800')

    await select.selectOption('front-desk-zpl')
    const large = await shownPreview(page, 'client-label', '4x6')
    expect(await page.locator('#preview').getAttribute('data-language')).toBe('zpl')
    expect([large.width, large.height]).toEqual([4 * 203, 6 * 203])
    expect(await decodePng(large.png)).toEqual(['C-000001'])
    expect(page.errors).toEqual([])
    await context.close()
  })

  it('when a work order of an order without a number is printed, then the refusal offers to assign the next number; one click assigns it and prints once', async () => {
    const orders = ((await (await server.api('/api/production-orders?limit=50')).json()) as { items: Array<{ id: number; productionOrderNumber: number | null }> }).items
    const order = orders.find((o) => o.productionOrderNumber === null)!
    const jobsOf = async () => ((await (await server.api('/api/print-jobs?limit=500')).json()) as { items: Array<{ document: string; recordId: number }> }).items.filter((j) => j.document === 'work-order' && j.recordId === order.id)
    expect(await jobsOf()).toEqual([])
    const context = await signedInContext(browser, server.url, ADMIN_TOKEN, VIEWPORTS[1])
    const page = await watched(context)
    await page.goto(`/?r=production-order:${order.id}`)
    const row = page.locator('form.printout[data-document="work-order"]')
    await row.getByRole('button', { name: 'Print' }).click()
    const offer = row.getByRole('button', { name: 'Assign the next number and print' })
    await offer.waitFor()
    expect(await row.getByRole('status').textContent()).toContain('no production order number')
    await screenshot(page, 'front-desk-assign-offer-1024x768')
    await offer.dblclick()
    await expect.poll(() => row.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/job \d+ completed/)
    const assigned = (await (await server.api(`/api/production-orders/${order.id}`)).json()) as { barcode: string }
    expect(assigned.barcode).toMatch(/^PO-\d{6}$/)
    expect(await page.locator('#record-heading').textContent()).toBe(`Production order ${assigned.barcode}`)
    expect(await jobsOf()).toHaveLength(1)
    expect(page.errors).toEqual([])
    await context.close()
  })

  it('when a label is printed, then its print-queue row names the record number and the client, not “record #N”', async () => {
    const client = ((await (await server.api('/api/clients?limit=1')).json()) as { items: Array<{ id: number; barcode: string; lastName: string; firstName: string }> }).items[0]
    const res = await server.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: client.id, printer: 'front-desk-zpl' } })
    const job = (await res.json()) as { id: number }
    const context = await signedInContext(browser, server.url, ADMIN_TOKEN, VIEWPORTS[0])
    const page = await watched(context)
    await page.goto('/print-jobs')
    const row = page.locator(`#jobs-table tr[data-job="${job.id}"]`)
    await row.waitFor()
    expect(await row.locator('.subject').textContent()).toBe(`${client.barcode} · ${client.lastName}, ${client.firstName}`)
    expect(await row.textContent()).not.toContain('record #')
    await context.close()
  })

  it('when no time zone is chosen, then settings ask for one (the server’s filled in); choosing a zone and a currency saves them', async () => {
    const original = await server.running.stores.settings.studio()
    await server.running.stores.settings.write('studio', { name: original.name, addressLines: original.addressLines, phone: original.phone, email: original.email, paper: original.paper, photographerFees: false, logoPngBase64: null })
    const context = await signedInContext(browser, server.url, ADMIN_TOKEN, VIEWPORTS[1])
    const page = await watched(context)
    await page.goto('/settings')
    await page.locator('body[data-ready]').waitFor()
    const ask = page.locator('#tz-ask')
    await expect.poll(() => ask.isVisible()).toBe(true)
    const serverZone = Intl.DateTimeFormat().resolvedOptions().timeZone
    expect(await ask.textContent()).toContain(serverZone)
    expect(await page.getByLabel('Time zone').inputValue()).toBe(serverZone)
    await screenshot(page, 'settings-time-zone-ask-1024x768')
    await page.getByLabel('Time zone').fill('America/New_York')
    await page.getByLabel('Currency').fill('eur')
    await page.getByRole('button', { name: 'Save studio header' }).click()
    await expect.poll(() => page.locator('#studio-status').textContent()).toContain('currency EUR')
    expect(await ask.isVisible()).toBe(false)
    expect(await (await server.api('/api/preferences/studio')).json()).toMatchObject({ timeZone: 'America/New_York', timeZoneSet: true, currency: 'EUR' })
    // A currency that is not ISO 4217 is refused beside the form and changes nothing.
    await page.getByLabel('Currency').fill('XX1')
    await page.getByRole('button', { name: 'Save studio header' }).click()
    await expect.poll(() => page.getByLabel('Currency').getAttribute('aria-invalid')).toBe('true')
    expect(await (await server.api('/api/preferences/studio')).json()).toMatchObject({ currency: 'EUR' })
    await context.close()
  })

  it('when two tracks share a status key under different names, then each order shows its own track’s name', async () => {
    type Track = { orderType: string; statuses: Array<{ key: string; name: string; sort: number | null; durationDays: number; kind: string }> }
    const original = (await (await server.api('/api/production-statuses')).json()) as Track[]
    const base = original.find((t) => t.orderType === 'default')!
    const yearbook: Track = { orderType: 'yearbook', statuses: base.statuses.map((s) => (s.key === 'retouching' ? { ...s, name: 'Yearbook retouch' } : s)) }
    expect((await server.api('/api/production-statuses', { method: 'PUT', json: [...original.filter((t) => t.orderType !== 'yearbook'), yearbook] })).status).toBe(200)
    const created = (await (await server.api('/api/production-orders', { method: 'POST', json: { vendor: 'Lifetouch', orderType: 'yearbook', productionOrderNumber: 'auto' } })).json()) as { id: number; barcode: string }
    expect((await server.api(`/api/production-orders/${created.id}/advance`, { method: 'POST', json: {} })).status).toBe(200)
    const context = await signedInContext(browser, server.url, ADMIN_TOKEN, VIEWPORTS[0])
    const page = await watched(context)
    const statusOf = async (barcode: string) => {
      await page.goto(`/?barcode=${barcode}`)
      await expect.poll(() => page.locator('#record-heading').textContent()).toBe(`Production order ${barcode}`)
      return page.locator('#record-fields dt:text-is("Status") + dd').textContent()
    }
    expect(await statusOf(created.barcode)).toBe('Yearbook retouch')
    expect(await statusOf('PO-000002')).toBe('Retouching')
    await page.goto('/settings')
    await page.locator('body[data-ready]').waitFor()
    const options = await page.getByLabel('Where each order scanned at station production goes').locator('option').allTextContents()
    expect(options).toContain('Retouching; yearbook: Yearbook retouch')
    await context.close()
    // Orders of type yearbook stay in its track; the test leaves the track in place.
  })
})
