/**
 * The web pages in Debian's Chromium (playwright-core) against the whole server in-process with
 * demo records: sign-in, the front desk, settings, the station screen and the print queue.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader'
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.ts'
import { DESK_VIEWPORT, HAS_CHROMIUM, TABLET_VIEWPORT, launchChromium, screenshot, signedInContext } from '../support/browser.ts'

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
    await screenshot(page, 'settings-tablet-820x1180')
    await context.close()
  })
})
