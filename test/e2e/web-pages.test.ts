/**
 * The web pages in Debian's Chromium (playwright-core) against the whole server in-process with
 * demo records: sign-in, the front desk, settings, the station screen and the print queue.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { PRINTER_LANGUAGES, PRINTER_LANGUAGE_TITLES } from '../../src/domain/printer-language.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader'
import bwipjs from 'bwip-js'
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.ts'
import { ZplPrinterSim } from '../../hw-sim/printers/index.ts'
import { DESK_VIEWPORT, HAS_CHROMIUM, TABLET_VIEWPORT, launchChromium, scannerTypes, screenshot, signedInContext } from '../support/browser.ts'
import { freePort } from '../support/net.ts'

const require = createRequire(import.meta.url)

let server: TestServer
let browser: Browser
let desk: BrowserContext

async function decode(png: Uint8Array): Promise<string[]> {
  const results = await readBarcodes(png, { formats: ['Code128', 'Code39', 'QRCode'], maxNumberOfSymbols: 8, tryHarder: true })
  return results.filter((r) => r.isValid).map((r) => r.text)
}

/** The bytes of the preview image the page shows (read back from its blob: URL). */
async function previewBytes(page: Page, document: string): Promise<Uint8Array> {
  await page.locator(`#preview[data-document="${document}"]:not([hidden])`).waitFor()
  const bytes = (await page.evaluate(`fetch(document.getElementById('preview').src).then(r => r.arrayBuffer()).then(b => Array.from(new Uint8Array(b)))`)) as number[]
  return Uint8Array.from(bytes)
}

/** A page whose script errors fail the test (collected, checked with `expectNoErrors`). */
async function watchedPage(context: BrowserContext): Promise<Page & { errors: string[] }> {
  const page = (await context.newPage()) as Page & { errors: string[] }
  page.errors = []
  page.setDefaultTimeout(5000) // a missing control fails with its name, not the test timeout
  page.on('pageerror', (e) => page.errors.push(e.message))
  return page
}

/** Settings, loaded. */
async function openSettings(page: Page): Promise<void> {
  await page.goto('/settings')
  await page.locator('body[data-ready]').waitFor()
}

/** Opens a barcode at the front desk and returns the preview image the page then shows. */
async function openAtFrontDesk(page: Page, barcode: string, previewDocument: string): Promise<Uint8Array> {
  const previewResponse = page.waitForResponse((r) => r.url().includes(`/api/documents/${previewDocument}/`) && r.url().includes('format=png'))
  await page.getByLabel('Barcode, or a client’s name, email or phone').fill(barcode)
  await page.getByRole('button', { name: 'Open', exact: true }).click()
  expect((await previewResponse).status()).toBe(200)
  return previewBytes(page, previewDocument)
}

describe.skipIf(!HAS_CHROMIUM)('web pages in Chromium', () => {
  beforeAll(async () => {
    const wasm = readFileSync(join(require.resolve('zxing-wasm/reader').replace(/dist[\\/].*$/, ''), 'dist/reader/zxing_reader.wasm'))
    await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true })
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { demo: true }), launchChromium()])
    desk = await signedInContext(browser, server.url, ADMIN_TOKEN)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('when nobody is signed in, then pages go to the sign-in form and the API answers 401; signing in sets an HttpOnly SameSite=Strict cookie; signing out ends it', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: DESK_VIEWPORT })
    const page = await context.newPage()
    await page.goto('/print-jobs')
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(await page.request.get('/api/clients').then((r) => r.status())).toBe(401)

    await page.getByLabel('API token').fill('sp_not_a_real_token')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('unknown or has been revoked')
    await screenshot(page, 'login-error-1280x800')

    await page.getByLabel('API token').fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((u) => u.pathname === '/print-jobs')
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'sp_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' })
    // The page's script can't read the cookie.
    expect(await page.evaluate('document.cookie')).not.toContain('sp_session')
    expect(await page.request.get('/api/clients').then((r) => r.status())).toBe(200)

    // CSRF: a cookie-signed request that changes something needs the pages' header.
    const bare = await page.evaluate(`fetch('/api/preferences/barcoding', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientPrintouts: true, sessionPrintouts: true, invoicePrintouts: true, productionOrders: true }) }).then(r => r.status)`)
    expect(bare).toBe(403)

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL((u) => u.pathname === '/login')
    expect(await page.getByRole('status').textContent()).toContain('signed out')
    expect((await context.cookies()).filter((c) => c.name === 'sp_session')).toEqual([])
    await page.goto('/')
    expect(new URL(page.url()).pathname).toBe('/login')
    await context.close()
  })

  it('when a person uses only the keyboard, then they can sign in, open a record and reach its print controls, with focus visible', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: DESK_VIEWPORT })
    const page = await context.newPage()
    await page.goto('/login')
    await page.locator('#token:focus').waitFor() // autofocus lands after the first paint
    await page.keyboard.type(ADMIN_TOKEN)
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.pathname === '/', { timeout: 5000 }).catch(async (e) => {
      await screenshot(page, 'debug-keyboard')
      throw e
    })
    await page.locator('body[data-ready]').waitFor({ timeout: 5000 })
    await page.locator('#scan-input:focus').waitFor()
    // The scan box has the focus on arrival; a person types (slowly) and presses Enter.
    await page.keyboard.type('c-000001', { delay: 70 })
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('record-heading')
    const focusedOutline = () => page.evaluate('getComputedStyle(document.activeElement).outlineStyle')
    // Tab: Close record, the related records, then the first printout's printer, copies, Print.
    await page.locator('#related button').first().waitFor()
    const names: string[] = []
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab')
      names.push(String(await page.evaluate(`(e => e.getAttribute('aria-label') || e.labels?.[0]?.textContent || e.textContent)(document.activeElement)`)).trim())
      expect(await focusedOutline()).not.toBe('none')
    }
    expect(names).toEqual(['Close record', 'S-000001', 'INV-000001', 'PO-000002 · Retouching', 'Printer for the client profile', 'Copies for the client profile', 'Print', 'Preview'])
    await context.close()
  })

  it('when a kiosk browser sends Authorization: Bearer, then it is signed in without the form', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: DESK_VIEWPORT, extraHTTPHeaders: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    const page = await context.newPage()
    await page.goto('/settings')
    expect(new URL(page.url()).pathname).toBe('/settings')
    await expect.poll(() => page.getByLabel('Client printouts').isChecked()).toBe(true)
    await context.close()
  })

  it('when a barcode is typed at the front desk, then the record opens with its printouts and its label preview carries the barcode', async () => {
    const page = await desk.newPage()
    await page.goto('/')
    const png = await openAtFrontDesk(page, 'C-000001', 'client-label')
    expect(await decode(png)).toEqual(['C-000001'])
    expect(await page.locator('#record-heading').textContent()).toBe('Client Okafor, Amara (C-000001)')
    expect(await page.locator('form.printout').count()).toBe(2)
    await screenshot(page, 'front-desk-client-1280x800')
    await page.getByRole('button', { name: /^PO-000002/ }).click({ timeout: 5000 })
    await expect.poll(() => page.locator('#record-heading').textContent()).toBe('Production order PO-000002')
    await page.locator('#preview[data-document="order-label"]').waitFor()
    await screenshot(page, 'front-desk-order-1280x800')
    await page.close()
  })

  it('when a station token signs in, then it sees only its own station screen, and a scan there opens the record', async () => {
    const made = (await (await server.api('/api/tokens', { method: 'POST', json: { role: 'station', station: 'front-desk', label: 'Front desk kiosk' } })).json()) as { token: string }
    const context = await signedInContext(browser, server.url, made.token, TABLET_VIEWPORT)
    const page = await context.newPage()
    await page.goto('/settings')
    expect(new URL(page.url()).pathname).toBe('/stations/front-desk')
    await page.goto('/stations/production')
    expect(new URL(page.url()).pathname).toBe('/stations/front-desk')
    await page.locator('body[data-live]').waitFor()
    await scannerTypes(page, 'INV-000002')
    await expect.poll(() => page.locator('#open-heading').textContent()).toBe('Open: Invoice INV-000002')
    await screenshot(page, 'station-kiosk-tablet-820x1180')
    await page.getByRole('button', { name: 'Close record' }).click()
    await expect.poll(() => page.locator('#open-heading').textContent()).toBe('Open record')
    await context.close()
  })

  it('when the page stalls after the first key of a wedge scan (a tablet waking its audio, a busy machine), then the scan still arrives whole', async () => {
    const page = await desk.newPage()
    await page.goto('/stations/front-desk')
    await page.locator('body[data-live]').waitFor()
    // The page's main thread is busy for 400 ms inside the first key press, and again inside the
    // fourth of the next scan: the next key events reach the page that much later.
    const stallOn = async (keyIndex: number) =>
      page.evaluate(`(() => {
        let seen = 0
        const stall = () => {
          if (++seen !== ${keyIndex}) return
          const end = performance.now() + 400
          while (performance.now() < end) {}
          document.removeEventListener('keydown', stall, true)
        }
        document.addEventListener('keydown', stall, true)
      })()`)
    await stallOn(1)
    await scannerTypes(page, 'INV-000001')
    await expect.poll(() => page.locator('#open-heading').textContent()).toBe('Open: Invoice INV-000001')
    await page.getByRole('button', { name: 'Close record' }).click()
    await expect.poll(() => page.locator('#open-heading').textContent()).toBe('Open record')
    await stallOn(4)
    await scannerTypes(page, 'S-000001')
    await expect.poll(() => page.locator('#open-heading').textContent()).toBe('Open: Session S-000001')
    await page.getByRole('button', { name: 'Close record' }).click()
    await expect.poll(() => page.locator('#open-heading').textContent()).toBe('Open record')
    await page.close()
  })

  it('when a record holds markup, then the page shows it as text', async () => {
    const evil = '<img src=x onerror="document.title=1">'
    const res = await server.api('/api/clients', { method: 'POST', json: { lastName: evil, firstName: '<b>bold</b>', addresses: [], phones: [], familyMembers: [], status: 'active' } })
    expect(res.status).toBe(201)
    const { barcode } = (await res.json()) as { barcode: string }
    const page = await desk.newPage()
    await page.goto('/')
    await openAtFrontDesk(page, barcode, 'client-label')
    expect(await page.locator('#record-heading').textContent()).toBe(`Client ${evil}, <b>bold</b> (${barcode})`)
    expect(await page.locator('#record img, #record b').count()).toBe(0)
    await page.close()
  })

  it('when a person searches a name, then matching clients are listed and one opens', async () => {
    const page = await desk.newPage()
    await page.goto('/')
    await page.getByLabel('Barcode, or a client’s name, email or phone').fill('papado')
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: /Papadopoulou, Ελένη/ }).click()
    await expect.poll(() => page.locator('#record-heading').textContent()).toBe('Client Papadopoulou, Ελένη (C-000003)')
    await page.close()
  })

  it('when the production-order preference is switched off in settings, then the order label preview has no barcode', async () => {
    const page = await desk.newPage()
    await page.goto('/')
    expect(await decode(await openAtFrontDesk(page, 'PO-000002', 'order-label'))).toEqual(['PO-000002'])

    await page.goto('/settings')
    const box = page.getByLabel('Work orders and production orders')
    await expect.poll(() => box.isChecked()).toBe(true)
    await box.uncheck()
    await page.getByRole('button', { name: 'Save barcoding' }).click()
    await expect.poll(() => page.locator('#barcoding-status').textContent()).toContain('saved')
    await screenshot(page, 'settings-1280x800')

    await page.goto('/')
    expect(await decode(await openAtFrontDesk(page, 'PO-000002', 'order-label'))).toEqual([])
    // Other printouts keep theirs.
    expect(await decode(await openAtFrontDesk(page, 'C-000002', 'client-label'))).toEqual(['C-000002'])

    await page.goto('/settings')
    await expect.poll(() => page.getByLabel('Work orders and production orders').isChecked()).toBe(false)
    await page.getByLabel('Work orders and production orders').check()
    await page.getByRole('button', { name: 'Save barcoding' }).click()
    await expect.poll(() => page.locator('#barcoding-status').textContent()).toContain('saved')
    await page.close()
  })

  it("when a printer is added in settings, then the language menu lists the server's languages by name and the printer is made in the chosen one", async () => {
    const page = await desk.newPage()
    await page.goto('/settings')
    const menu = page.locator('#printer-language option')
    await expect.poll(() => menu.count()).toBe(PRINTER_LANGUAGES.length)
    expect(await menu.evaluateAll((os) => os.map((o) => [(o as unknown as { value: string }).value, o.textContent]))).toEqual(Object.entries(PRINTER_LANGUAGE_TITLES))
    await page.getByText('Add a printer').click()
    await page.locator('#printer-name').fill('desk-epl')
    await page.locator('#printer-language').selectOption('epl')
    await page.locator('#printer-uri').fill('tcp://127.0.0.1:9')
    await page.getByRole('button', { name: 'Add printer' }).click()
    await expect.poll(() => page.locator('#printers-status').textContent()).toContain('Printer desk-epl added.')
    const made = (await (await server.api('/api/printers/desk-epl')).json()) as { language: string }
    expect(made.language).toBe('epl')
    await server.api('/api/printers/desk-epl', { method: 'DELETE' })
    await page.close()
  })

  it('when the pages are opened on a tablet, then they lay out in one column', async () => {
    const context = await signedInContext(browser, server.url, ADMIN_TOKEN, TABLET_VIEWPORT)
    const page = await context.newPage()
    await page.goto('/?r=production-order:1')
    await page.locator('#preview:not([hidden])').waitFor()
    const [record, preview] = await Promise.all([page.locator('#record').boundingBox(), page.locator('#preview-panel').boundingBox()])
    expect(preview!.y).toBeGreaterThan(record!.y + record!.height - 1)
    await screenshot(page, 'front-desk-tablet-820x1180')
    await page.goto('/settings')
    await page.locator('body[data-ready]').waitFor()
    // The editable tables fit the tablet's width: nothing to scroll sideways.
    await page.locator('.track-table').first().waitFor()
    const overflowing = await page.evaluate(`[...document.querySelectorAll('main .table-wrap')].filter((w) => w.scrollWidth > w.clientWidth + 1).map((w) => w.querySelector('table')?.id || w.closest('section')?.id)`)
    expect(overflowing).toEqual([])
    await screenshot(page, 'settings-tablet-820x1180')
    await context.close()
  })

  async function orderStatus(id: number): Promise<string> {
    return ((await (await server.api(`/api/production-orders/${id}`)).json()) as { status: string }).status
  }

  it('when a keyboard-wedge scanner types an order barcode on the station page, then the order advances and the page shows its new status; undo puts it back', async () => {
    const page = await desk.newPage()
    await page.goto('/stations/production')
    await page.locator('body[data-live]').waitFor()
    expect(await page.getByLabel('Barcode status update', { exact: true }).isChecked()).toBe(true)
    // Focus is on some control, not a scan box: the burst is taken wherever the focus is.
    await page.getByRole('button', { name: 'Sound on' }).focus()
    expect(await orderStatus(2)).toBe('retouching')
    await scannerTypes(page, 'PO-000002')
    const row = page.locator('#scans-table tbody tr').first()
    await expect.poll(() => row.textContent()).toContain('Retouching→Ready to Send')
    expect(await row.textContent()).toContain('Okafor, Amara')
    expect(await page.locator('#last-scan').textContent()).toContain('Retouching → Ready to Send')
    expect(await page.locator('#count-advanced').textContent()).toBe('1')
    expect(await orderStatus(2)).toBe('ready-to-send')
    // The sound button was focused: the burst's Enter did not press it.
    expect(await page.getByRole('button', { name: 'Sound on' }).count()).toBe(1)

    // A client barcode on the production screen: an error, in colour, with the error sound.
    await scannerTypes(page, 'C-000001')
    await expect.poll(() => page.locator('#count-errors').textContent()).toBe('1')
    expect(await page.locator('#scans-table tbody tr.error').count()).toBe(1)
    expect(await page.locator('#last-scan.error').count()).toBe(1)
    expect(await page.evaluate('document.documentElement.dataset.lastBeep')).toBe('error')
    await screenshot(page, 'station-advance-1280x800')

    await page.getByRole('button', { name: 'Undo last advance' }).click()
    await expect.poll(() => page.locator('#count-advanced').textContent()).toBe('0')
    expect(await page.locator('#scans-table tbody tr.undone').count()).toBe(1)
    expect(await orderStatus(2)).toBe('retouching')
    await page.close()
  })

  it('when a person types a barcode slowly into a field, then it is not taken as a scan', async () => {
    const page = await desk.newPage()
    await page.goto('/stations/production')
    await page.locator('body[data-live]').waitFor()
    const field = page.getByLabel('Type a barcode (a scanner works wherever the focus is)')
    await field.focus()
    const posted: string[] = []
    page.on('request', (r) => r.method() === 'POST' && posted.push(r.url()))
    await page.keyboard.type('PO-000001', { delay: 120 })
    await page.waitForTimeout(150)
    expect(posted).toEqual([])
    expect(await field.inputValue()).toBe('PO-000001')
    // Enter submits what the person typed (the manual scan form).
    await page.keyboard.press('Enter')
    await expect.poll(() => posted.length).toBe(1)
    await expect.poll(() => page.locator('#count-advanced').textContent()).not.toBe('0')
    await page.getByRole('button', { name: 'Undo last advance' }).click()
    await expect.poll(() => orderStatus(1)).toBe('sent-to-lab')
    await page.close()
  })

  it('when key timings are classified, then scanner bursts pass (even with one stalled key) and human typing does not', async () => {
    const page = await desk.newPage()
    await page.goto('/stations/production')
    const verdicts = await page.evaluate(`import('/assets/js/wedge.js').then(({ classifyBurst }) => {
      const keys = (text, gaps) => { let t = 1000; return [...text].map((key, i) => ({ key, t: (t += i ? gaps[i - 1] ?? gaps[gaps.length - 1] : 0) })) }
      const run = (text, gaps, enterGap) => { const k = keys(text, gaps); return classifyBurst(k, k[k.length - 1].t + enterGap) }
      return {
        scanner: run('PO-000002', [4], 6),
        stalled: run('PO-000002', [80, 120, 6, 6, 6, 6, 6, 6], 8),
        person: run('PO-000002', [140, 95, 180, 120], 150),
        fastPerson: run('smith', [70, 60, 90, 65], 80),
        tooShort: run('PO1', [3], 3),
      }
    })`)
    expect(verdicts).toEqual({ scanner: 'PO-000002', stalled: 'PO-000002', person: null, fastPerson: null, tooShort: null })
    // Runs of keys split by pauses over 250 ms: a stall between keys at scanner speed joins them;
    // a person's typing, a pause longer than a stall, or focus moving keeps them apart.
    const joined = await page.evaluate(`import('/assets/js/wedge.js').then(({ joinStalledRuns }) => {
      const run = (text, t0, gap, hard = false) => ({ keys: [...text].map((key, i) => ({ key, t: t0 + i * gap })), snapshot: null, hard })
      const text = (runs) => joinStalledRuns(runs).keys.map((k) => k.key).join('')
      return {
        firstKeyStalled: text([run('P', 0, 5), run('O-000002', 400, 5)]),
        midStall: text([run('PO-0', 0, 5), run('00002', 600, 5)]),
        twoStalls: text([run('P', 0, 5), run('O-00', 300, 5), run('0002', 900, 5)]),
        personThenScan: text([run('ab', 0, 150), run('PO-000002', 700, 5)]),
        longPause: text([run('x', 0, 5), run('PO-000002', 2000, 5)]),
        focusMoved: text([run('P', 0, 5), run('O-000002', 400, 5, true)]),
      }
    })`)
    expect(joined).toEqual({ firstKeyStalled: 'PO-000002', midStall: 'PO-000002', twoStalls: 'PO-000002', personThenScan: 'PO-000002', longPause: 'PO-000002', focusMoved: 'O-000002' })
    await page.close()
  })

  it('when the station’s simulated scanner reads a barcode, then the result appears on the open page live', async () => {
    const page = await desk.newPage()
    await page.goto('/stations/production')
    await page.locator('body[data-live]').waitFor()
    const sim = await server.api('/api/scanners/production-scanner/sim', { method: 'POST', json: { action: 'scan', data: 'PO-000003' } })
    expect(sim.status).toBe(200)
    const row = page.locator('#scans-table tbody tr').first()
    await expect.poll(() => row.textContent()).toContain('Ready for Pickup→Picked Up')
    expect(await row.textContent()).toContain('Papadopoulou, Ελένη')
    expect(await orderStatus(3)).toBe('picked-up')

    // The lookup station: a scan opens the record; Close frees it.
    const front = await desk.newPage()
    await front.goto('/stations/front-desk')
    await front.locator('body[data-live]').waitFor()
    await server.api('/api/scanners/front-desk-scanner/sim', { method: 'POST', json: { action: 'scan', data: 'S-000002' } })
    await expect.poll(() => front.locator('#open-heading').textContent()).toBe('Open: Session S-000002')
    expect(await front.locator('#open-fields').textContent()).toContain('Fort Williams Park')
    await screenshot(front, 'station-lookup-1280x800')
    await front.getByRole('button', { name: 'Close record' }).click()
    await expect.poll(() => front.locator('#open-heading').textContent()).toBe('Open record')
    expect(await front.getByRole('button', { name: 'Close record' }).isDisabled()).toBe(true)
    await front.close()
    await page.close()
  })

  it('when a label is printed from a record, then it completes on the simulated printer and the queue page shows it', async () => {
    const page = await desk.newPage()
    await page.goto('/')
    await openAtFrontDesk(page, 'C-000002', 'client-label')
    const label = page.locator('form.printout[data-document="client-label"]')
    const printers = await label.getByLabel('Printer for the client account label').locator('option').allTextContents()
    expect(printers.some((p) => p.startsWith('front-desk-zpl'))).toBe(true)
    await label.getByLabel('Printer for the client account label').selectOption('front-desk-zpl')
    await label.getByLabel('Copies for the client account label').fill('2')
    await label.getByRole('button', { name: 'Print' }).click()
    const status = label.getByRole('status')
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/job \d+ completed/)
    const jobId = Number(/job (\d+)/.exec((await status.textContent())!)![1])
    const job = (await (await server.api(`/api/print-jobs/${jobId}`)).json()) as Record<string, unknown>
    expect(job).toMatchObject({ state: 'completed', document: 'client-label', printer: 'front-desk-zpl', copies: 2, recordId: 2 })

    await page.getByRole('link', { name: 'Print queue' }).first().click()
    await page.waitForURL((u) => u.pathname === '/print-jobs')
    const jobRow = page.locator(`#jobs-table tr[data-job="${jobId}"]`)
    await expect.poll(() => jobRow.getAttribute('data-state')).toBe('completed')
    expect(await jobRow.textContent()).toContain('Client account label')
    expect(await jobRow.textContent()).toContain('front-desk-zpl')
    await screenshot(page, 'print-queue-1280x800')

    // Reprint makes a new job that completes too; the page refreshes on its own.
    await jobRow.getByRole('button', { name: `Reprint Client account label job ${jobId}` }).click()
    await expect.poll(() => page.locator('#queue-status').textContent()).toContain(`Reprint of job ${jobId} queued as job`)
    const reprintId = Number(/as job (\d+)/.exec((await page.locator('#queue-status').textContent())!)![1])
    await expect.poll(() => page.locator(`#jobs-table tr[data-job="${reprintId}"]`).getAttribute('data-state'), { timeout: 15_000 }).toBe('completed')
    await page.close()
  })

  it('when a printer runs out of labels, then the queue page shows the job waiting with the reason; cancel and release work from the page', async () => {
    const sim = new ZplPrinterSim('e2e-zpl')
    const { uri } = await sim.listen()
    try {
      expect((await server.api('/api/printers', { method: 'POST', json: { name: 'e2e-zpl', language: 'zpl', uri } })).status).toBe(201)
      await sim.setFaults({ paperOut: true })
      const submit = async () => ((await (await server.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: 1, printer: 'e2e-zpl' } })).json()) as { id: number }).id
      const first = await submit()
      const second = await submit()
      const page = await desk.newPage()
      await page.goto('/print-jobs')
      const firstRow = page.locator(`#jobs-table tr[data-job="${first}"]`)
      await expect.poll(() => firstRow.textContent(), { timeout: 15_000 }).toContain('out of paper or labels')
      await screenshot(page, 'print-queue-paper-out-1280x800')

      await page.getByRole('button', { name: `Cancel Client account label job ${second}` }).click()
      await expect.poll(() => page.locator(`#jobs-table tr[data-job="${second}"]`).getAttribute('data-state')).toBe('canceled')

      await sim.setFaults({ paperOut: false })
      if ((await firstRow.getAttribute('data-state')) === 'held') {
        await page.getByRole('button', { name: `Release Client account label job ${first}` }).click()
      }
      await expect.poll(() => firstRow.getAttribute('data-state'), { timeout: 15_000 }).toBe('completed')
      await page.close()
    } finally {
      await server.api('/api/printers/e2e-zpl', { method: 'DELETE' })
      await sim.close()
    }
  })

  type Track = { orderType: string; statuses: Array<{ key: string; name: string; sort: number | null; durationDays: number; kind: string }> }
  const tracks = async () => (await (await server.api('/api/production-statuses')).json()) as Track[]

  it('when a status is renamed in the settings track editor and saved, then the API has the new name; a bad track and a status still in use show the server’s problem beside the form', async () => {
    const original = await tracks()
    const page = await watchedPage(desk)
    try {
      await openSettings(page)
      const status = page.locator('#tracks-status')
      await page.getByLabel('Name of retouching, default track').fill('Retouch & Clean')
      await page.getByLabel('Days in retouching, default track').fill('4')
      expect(await page.locator('#tracks-dirty').isVisible()).toBe(true)
      await page.getByRole('button', { name: 'Save status tracks' }).click()
      await expect.poll(() => status.textContent()).toContain('Status tracks saved')
      const saved = (await tracks()).find((t) => t.orderType === 'default')!
      expect(saved.statuses.find((s) => s.key === 'retouching')).toEqual({ key: 'retouching', name: 'Retouch & Clean', sort: 20, durationDays: 4, kind: 'normal' })
      expect(await page.getByLabel('Name of retouching, default track').inputValue()).toBe('Retouch & Clean')

      // A second first status: the server's STATUS_TRACK_INVALID and its problems, next to the form.
      await page.getByLabel('Kind of ready-to-send, default track').selectOption('initial')
      await page.getByRole('button', { name: 'Save status tracks' }).click()
      await expect.poll(() => status.textContent()).toContain('The status track is not valid.')
      expect(await status.locator('li').allTextContents()).toContain('a track needs exactly one initial status')
      expect(await status.getAttribute('class')).toContain('error')
      await screenshot(page, 'settings-track-invalid-1280x800')
      expect((await tracks()).find((t) => t.orderType === 'default')!.statuses.find((s) => s.key === 'ready-to-send')!.kind).toBe('normal')

      // Removing a status an order still holds: 409 STATUS_IN_USE, with links to the stranded orders.
      await page.getByRole('button', { name: 'Discard changes' }).click()
      const held = await orderStatus(2)
      await page.getByRole('button', { name: new RegExp(`^Remove .*\\(${held}, default track\\)$`) }).click()
      await page.getByRole('button', { name: 'Save status tracks' }).click()
      await expect.poll(() => status.textContent()).toContain('Orders are still in statuses this change removes')
      await expect.poll(() => status.getByRole('link', { name: 'PO-000002' }).count()).toBe(1)
      expect(await status.getByRole('link', { name: 'PO-000002' }).getAttribute('href')).toBe('/?r=production-order:2')
      await screenshot(page, 'settings-track-in-use-1280x800')

      // A new status in the default track and a track of its own for a new order type.
      await page.getByRole('button', { name: 'Discard changes' }).click()
      await page.getByRole('button', { name: 'Add a status to the default track' }).click()
      expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('Name of new status 12, default track')
      await page.keyboard.type('Framing')
      expect(await page.getByLabel('Key of new status 12, default track').inputValue()).toBe('framing')
      await page.getByLabel('Sort order of new status 12, default track').fill('65')
      await page.getByLabel('New order type').fill('yearbook')
      await page.getByRole('button', { name: 'Add a track' }).click()
      await page.getByLabel('Name of entered, yearbook track').fill('Photos Taken')
      await page.getByRole('button', { name: 'Remove Waiting on Client (waiting-on-client, yearbook track)' }).click()
      await page.getByRole('button', { name: 'Save status tracks' }).click()
      await expect.poll(() => status.textContent()).toContain('Status tracks saved')
      const after = await tracks()
      expect(after.find((t) => t.orderType === 'default')!.statuses.find((s) => s.key === 'framing')).toEqual({ key: 'framing', name: 'Framing', sort: 65, durationDays: 1, kind: 'normal' })
      const yearbook = after.find((t) => t.orderType === 'yearbook')!
      expect(yearbook.statuses.map((s) => s.name)).toEqual(['Photos Taken', 'Retouch & Clean', 'Ready to Send', 'Sent to Lab', 'Received from Lab', 'Finishing / QC', 'Framing', 'Ready for Pickup', 'Picked Up', 'On Hold', 'Cancelled'])
      await screenshot(page, 'settings-tracks-1280x800')
      expect(page.errors).toEqual([])
    } finally {
      await server.api('/api/production-statuses', { method: 'PUT', json: original })
      await page.close()
    }
  })

  it('when a printer is deleted in settings, then a dialog asks first (Escape keeps it), a printer with waiting jobs is refused with the reason, and confirming by keyboard deletes it', async () => {
    const port = await freePort()
    expect((await server.api('/api/printers', { method: 'POST', json: { name: 'e2e-doomed', language: 'zpl', uri: `tcp://127.0.0.1:${port}` } })).status).toBe(201)
    const job = (await (await server.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: 1, printer: 'e2e-doomed' } })).json()) as { id: number }
    const page = await watchedPage(desk)
    try {
      await openSettings(page)
      const row = page.locator('#printers-table tr[data-printer="e2e-doomed"]')
      const del = page.getByRole('button', { name: 'Delete printer e2e-doomed' })
      const dialog = page.getByRole('dialog', { name: 'Delete printer e2e-doomed?' })
      await del.click()
      await dialog.waitFor()
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Cancel')
      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'hidden' })
      expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('Delete printer e2e-doomed')
      expect(await row.count()).toBe(1)

      // Waiting jobs: the server's 409 PRINTER_HAS_ACTIVE_JOBS, shown with a way to the queue.
      await del.click()
      await dialog.getByRole('button', { name: 'Delete printer' }).click()
      const status = page.locator('#printers-status')
      await expect.poll(() => status.textContent()).toContain('has pending, held or processing jobs')
      expect(await status.getByRole('link', { name: 'Open the print queue' }).count()).toBe(1)
      await screenshot(page, 'settings-printer-busy-1280x800')
      expect(await row.count()).toBe(1)

      await server.api(`/api/print-jobs/${job.id}/cancel`, { method: 'POST' })
      await del.focus()
      await page.keyboard.press('Enter')
      await dialog.waitFor()
      await screenshot(page, 'settings-delete-dialog-1280x800')
      await page.keyboard.press('Tab')
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Delete printer')
      await page.keyboard.press('Enter')
      await expect.poll(() => status.textContent()).toBe('Printer e2e-doomed deleted.')
      await expect.poll(() => row.count()).toBe(0)
      expect((await server.api('/api/printers/e2e-doomed')).status).toBe(404)
      expect(page.errors).toEqual([])
    } finally {
      await server.api(`/api/print-jobs/${job.id}/cancel`, { method: 'POST' })
      await server.api('/api/printers/e2e-doomed', { method: 'DELETE' })
      await page.close()
    }
  })

  it('when a station’s mode and target are changed in settings, then the station has them; a scanner and a station can be deleted after a confirmation; the station page opens its mode cards as a PDF', async () => {
    expect((await server.api('/api/stations', { method: 'POST', json: { name: 'e2e-lab', mode: 'lookup' } })).status).toBe(201)
    expect((await server.api('/api/scanners', { method: 'POST', json: { name: 'e2e-lab-scanner', station: 'e2e-lab', uri: 'sim:e2e-lab' } })).status).toBe(201)
    const page = await watchedPage(desk)
    const station = async () => (await (await server.api('/api/stations/e2e-lab')).json()) as { mode: string; advanceTo: string | null }
    try {
      await openSettings(page)
      await page.getByLabel('Mode of station e2e-lab').selectOption('advance')
      await expect.poll(() => station().then((s) => s.mode)).toBe('advance')
      const target = page.getByLabel('Where each order scanned at station e2e-lab goes')
      await expect.poll(() => target.isEnabled()).toBe(true)
      await target.selectOption('sent-to-lab')
      await expect.poll(() => page.locator('#stations-status').textContent()).toBe('Station e2e-lab: each scanned order goes to Sent to Lab.')
      expect(await station()).toMatchObject({ mode: 'advance', advanceTo: 'sent-to-lab' })
      expect(await page.locator('#stations-table tr[data-station="e2e-lab"] td').nth(3).textContent()).toBe('1')

      // The station page: its mode cards, fetched with the session cookie, open in a new tab.
      const screen = await watchedPage(desk)
      await screen.goto('/stations/e2e-lab')
      await screen.locator('body[data-ready]').waitFor()
      const pdf = screen.waitForResponse((r) => r.url().endsWith('/api/stations/e2e-lab/mode-cards?format=pdf'))
      const tab = desk.waitForEvent('page')
      await screen.getByRole('link', { name: 'Print mode cards' }).click()
      const res = await pdf
      expect(res.status()).toBe(200)
      expect(res.headers()['content-type']).toContain('application/pdf')
      expect(Buffer.from(await res.body()).subarray(0, 5).toString()).toBe('%PDF-')
      await (await tab).close()
      await expect.poll(() => screen.locator('#mode-status').textContent()).toContain('Mode cards opened in a new tab')
      expect(screen.errors).toEqual([])
      await screen.close()

      await page.getByRole('button', { name: 'Delete scanner e2e-lab-scanner' }).click()
      await page.getByRole('dialog', { name: 'Delete scanner e2e-lab-scanner?' }).getByRole('button', { name: 'Delete scanner' }).click()
      await expect.poll(() => page.locator('#scanners-status').textContent()).toBe('Scanner e2e-lab-scanner deleted.')
      expect((await server.api('/api/scanners/e2e-lab-scanner')).status).toBe(404)
      await page.getByRole('button', { name: 'Delete station e2e-lab' }).click()
      await page.getByRole('dialog', { name: 'Delete station e2e-lab?' }).getByRole('button', { name: 'Delete station' }).click()
      await expect.poll(() => page.locator('#stations-status').textContent()).toBe('Station e2e-lab deleted.')
      expect((await server.api('/api/stations/e2e-lab')).status).toBe(404)
      expect(page.errors).toEqual([])
    } finally {
      await server.api('/api/stations/e2e-lab', { method: 'DELETE' })
      await page.close()
    }
  })

  it('when a phone number is searched at the front desk, then the server finds the client (not the page filtering a list) and the client’s records come by client id', async () => {
    const page = await watchedPage(desk)
    await page.goto('/')
    await page.locator('body[data-ready]').waitFor()
    const searched = page.waitForRequest((r) => r.url().includes('/api/clients?'))
    await page.getByLabel('Barcode, or a client’s name, email or phone').fill('555-0111')
    await page.keyboard.press('Enter')
    const url = new URL((await searched).url())
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: '555-0111', limit: '50' })
    await expect.poll(() => page.locator('#lookup-status').textContent()).toBe('1 client found for “555-0111”.')
    const related = page.waitForRequest((r) => r.url().includes('/api/sessions?clientId=2'))
    await page.getByRole('button', { name: /^Müller-Lüdenscheidt, Jürgen · C-000002 · Cape Elizabeth High School/ }).click()
    await expect.poll(() => page.locator('#record-heading').textContent()).toBe('Client Müller-Lüdenscheidt, Jürgen (C-000002)')
    await related

    // Every word must match: a word no client has finds nobody.
    await page.getByLabel('Barcode, or a client’s name, email or phone').fill('555-0111 zebra')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('#lookup-status').textContent()).toContain('No client matches “555-0111 zebra”')
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('when the studio header is edited in settings and saved, then the API has it; a bad time zone shows the server’s problem; a PNG logo uploads and is removed after a confirmation', async () => {
    const before = (await (await server.api('/api/preferences/studio')).json()) as Record<string, unknown>
    const page = await watchedPage(desk)
    try {
      await openSettings(page)
      await expect.poll(() => page.getByLabel('Studio name').inputValue()).toBe(before.name)
      const form = page.getByRole('region', { name: 'Studio header' })
      await form.getByLabel('Studio name').fill('Harbour Light Studio')
      await form.getByLabel('Address').fill('1 Pier Road\n\nSuite 4\nPortland, ME 04101')
      await form.getByLabel('Phone').fill('(207) 555-0100')
      await form.getByLabel('Email').fill('')
      await form.getByLabel('Paper').selectOption('a4')
      await form.getByLabel('Show fees on photographer confirmations').check()
      await form.getByLabel('Time zone').fill('Europe/Berlin')
      await page.getByRole('button', { name: 'Save studio header' }).click()
      const status = page.locator('#studio-status')
      await expect.poll(() => status.textContent()).toContain('Studio header saved')
      expect(await (await server.api('/api/preferences/studio')).json()).toEqual({
        name: 'Harbour Light Studio',
        addressLines: ['1 Pier Road', 'Suite 4', 'Portland, ME 04101'],
        phone: '(207) 555-0100',
        email: null,
        paper: 'a4',
        photographerFees: true,
        timeZone: 'Europe/Berlin',
        timeZoneSet: true,
        currency: 'USD',
        hasLogo: false,
      })
      await screenshot(page, 'settings-studio-1280x800')

      await page.getByLabel('Time zone').fill('Mars/Olympus')
      await page.getByRole('button', { name: 'Save studio header' }).click()
      await expect.poll(() => status.locator('li').allTextContents()).toEqual(['timeZone: expected an IANA time zone such as America/New_York'])
      expect(await page.getByLabel('Time zone').getAttribute('aria-invalid')).toBe('true')
      expect(await page.evaluate('document.activeElement.id')).toBe('studio-tz')
      expect(((await (await server.api('/api/preferences/studio')).json()) as { timeZone: string }).timeZone).toBe('Europe/Berlin')

      // The logo: PNG bytes as the body; shown back from the server; removed after a dialog.
      const png = await bwipjs.toBuffer({ bcid: 'qrcode', text: 'Harbour Light Studio', scale: 3 })
      await page.getByLabel('PNG image, at most 1 MB').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png })
      await page.getByRole('button', { name: 'Upload logo' }).click()
      await expect.poll(() => page.locator('#logo-status').textContent()).toBe('Logo saved. Printouts from now on carry it.')
      await page.locator('#logo-img:not([hidden])').waitFor()
      await expect.poll(() => page.evaluate('document.getElementById("logo-img").naturalWidth')).toBeGreaterThan(0)
      // The server stores a normalized copy of the upload: same size (≤ 512 px), re-encoded.
      expect(Buffer.from(await (await server.api('/api/preferences/studio/logo')).arrayBuffer()).subarray(16, 24)).toEqual(png.subarray(16, 24))
      await screenshot(page, 'settings-studio-logo-1280x800')
      await page.getByLabel('PNG image, at most 1 MB').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a not a png') })
      await page.getByRole('button', { name: 'Upload logo' }).click()
      await expect.poll(() => page.locator('#logo-status').textContent()).toBe('logo.png is not a PNG image.')

      await page.getByRole('button', { name: 'Remove logo' }).click()
      await page.getByRole('dialog', { name: 'Remove the logo?' }).getByRole('button', { name: 'Remove logo' }).click()
      await expect.poll(() => page.locator('#logo-status').textContent()).toBe('Logo removed.')
      expect((await server.api('/api/preferences/studio/logo')).status).toBe(404)
      expect(page.errors).toEqual([])
    } finally {
      const { hasLogo: _, ...studio } = before
      await server.api('/api/preferences/studio', { method: 'PUT', json: studio })
      await server.api('/api/preferences/studio/logo', { method: 'DELETE' })
      await page.close()
    }
  })
})
