/**
 * The label templates page (Settings › Label templates) in Debian's Chromium: a studio edits its
 * own ZPL with the fields listed, sees problems at their line, a live preview of a chosen record
 * on a chosen stock (its barcode read back by an independent decoder), saves versions that name
 * who and when, goes back to the built-in label and activates a version again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.ts'
import { decodePng } from '../support/barcodes.ts'
import { HAS_CHROMIUM, launchChromium, screenshot, signedInContext } from '../support/browser.ts'

let server: TestServer
let browser: Browser

/**
 * The preview image the page shows for the latest text (no preview waiting for typing to pause,
 * and the image is the answer to the last one asked for): its bytes and natural size.
 */
async function shownPreview(page: Page, after: string | null): Promise<{ png: Uint8Array; width: number; height: number; seq: string }> {
  const img = page.locator('#tpl-preview[data-ready]:not([hidden])')
  const latest = `(() => { const s = document.getElementById('tpl-preview-status').dataset; const i = document.getElementById('tpl-preview'); return s.pending === undefined && !i.hidden && i.dataset.ready !== undefined && i.dataset.ready === s.seq ? i.dataset.ready : null })()`
  // The first ZPL render loads the renderer in a worker (seconds on a loaded machine): wait for the answer, not a time.
  await expect.poll(async () => { const seq = await page.evaluate(latest); return seq !== null && seq !== after }, { timeout: 60_000 }).toBe(true)
  await expect.poll(async () => (await img.getAttribute('data-ready')) !== null && (await img.evaluate((e) => (e as unknown as { complete: boolean }).complete)), { timeout: 10_000 }).toBe(true)
  const info = (await img.evaluate(`(async (e) => ({ bytes: Array.from(new Uint8Array(await (await fetch(e.src)).arrayBuffer())), width: e.naturalWidth, height: e.naturalHeight, seq: e.dataset.ready }))(document.getElementById('tpl-preview'))`)) as { bytes: number[]; width: number; height: number; seq: string }
  return { png: Uint8Array.from(info.bytes), width: info.width, height: info.height, seq: info.seq }
}

const GOOD = '^XA\n^CI28\n^FO30,20^A0N,40,40^FH^FD{{client.lastName}}^FS\n^FO30,80^BY2^BCN,100,Y,N,N^FH^FD{{barcode.text}}^FS\n^XZ\n'
const BAD = '^XA\n^FO30,20^A0N,40,40^FH^FD{{client.lastName}}^FS\n^FO30,60^A0N,30,30^FH^FD{{client.shoeSize}}^FS\n^JUS\n^XZ\n'

describe.skipIf(!HAS_CHROMIUM)('the label templates page, in Chromium', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { demo: true }), launchChromium()])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('when a studio edits, previews, saves, rolls back and activates its client label, then each step shows and holds', async () => {
    const { token } = (await (await server.api('/api/tokens', { method: 'POST', json: { role: 'admin', label: 'Dana (studio manager)' } })).json()) as { token: string }
    const context = await signedInContext(browser, server.url, token)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.setDefaultTimeout(15_000)
    await page.goto('/settings')
    await page.getByRole('link', { name: 'Open label templates' }).click()
    await page.waitForURL('**/settings/templates')
    await page.locator('body[data-ready]').waitFor()

    // The fields the label may use are listed; the first record is chosen for the preview.
    await expect.poll(() => page.locator('#tpl-fields [data-field="client.lastName"]').count(), { timeout: 15_000 }).toBe(1)
    const recordId = Number(await page.locator('#tpl-record').inputValue())
    const record = (await (await server.api(`/api/clients/${recordId}`)).json()) as { barcode: string; lastName: string }
    const starter = await shownPreview(page, null)

    // Problems are shown at their line, in the gutter and in the list.
    await page.locator('#tpl-body').fill(BAD)
    await expect.poll(() => page.evaluate(`[...document.querySelectorAll('#tpl-lines li.problem')].map((li) => li.dataset.line)`), { timeout: 30_000 }).toEqual(['3', '4'])
    await expect(page.locator('#tpl-problems li[data-line="3"]').textContent()).resolves.toMatch(/Line 3: unknown field \{\{client\.shoeSize\}\}/)
    await expect(page.locator('#tpl-problems li[data-line="4"]').textContent()).resolves.toMatch(/Line 4: \^JU is not allowed/)
    await screenshot(page, 'templates-problems')

    // A layout's problems are shown at the line of the value they name.
    await page.locator('#tpl-kind').selectOption('layout')
    const layout = JSON.stringify({ widthMm: 101.6, heightMm: 50, elements: [{ type: 'text', x: 4, y: 4, width: 93, size: 6, text: '{{client.name}}' }, { type: 'barcode', x: 4, y: 16, width: 120, height: 30 }] }, null, 2)
    await page.locator('#tpl-body').fill(layout)
    const widthLine = String(layout.split('\n').findIndex((l) => l.includes('"width": 120')) + 1)
    await expect.poll(() => page.evaluate(`[...document.querySelectorAll('#tpl-lines li.problem')].map((li) => li.dataset.line)`), { timeout: 30_000 }).toEqual([widthLine])
    await expect(page.locator(`#tpl-problems li[data-line="${widthLine}"]`).textContent()).resolves.toMatch(/body\.elements\[1\]\.width: must keep the element on the label/)
    await page.locator('#tpl-kind').selectOption('zpl')

    // A field picked from the list goes in at the cursor; the live preview follows the text.
    await page.locator('#tpl-body').fill(GOOD.replace('{{client.lastName}}', ''))
    await page.evaluate(`(() => { const area = document.getElementById('tpl-body'); const at = area.value.indexOf('^FD^FS') + 3; area.setSelectionRange(at, at) })()`)
    await page.locator('#tpl-fields [data-field="client.lastName"]').click()
    await expect(page.locator('#tpl-body').inputValue()).resolves.toBe(GOOD)
    await expect.poll(() => page.locator('#tpl-lines li.problem').count(), { timeout: 30_000 }).toBe(0)
    const shown = await shownPreview(page, starter.seq)
    expect([shown.width, shown.height]).toEqual([812, 1218])
    expect(await decodePng(shown.png)).toEqual([record.barcode])

    // The printer's stock: a 2.25 × 1.25 in label at 203 dpi.
    await page.locator('#tpl-media').selectOption('2.25x1.25')
    const small = await shownPreview(page, shown.seq)
    expect([small.width, small.height]).toEqual([456, 253])

    // Saved: a version naming who and when, printing from now on.
    await page.locator('#tpl-note').fill('bigger name')
    await page.getByRole('button', { name: 'Save as new version' }).click()
    const row = page.locator('#tpl-versions tr[data-version="1"]')
    await row.waitFor()
    await expect(row.locator('td').nth(3).textContent()).resolves.toBe('Dana (studio manager)')
    expect(await row.locator('td').nth(2).textContent()).toBe('bigger name')
    expect((await row.locator('td').nth(4).textContent())?.trim()).not.toBe('')
    await expect(page.locator('#tpl-active').textContent()).resolves.toBe('Printing with version 1.')
    const listed = async () => ((await (await server.api('/api/templates')).json()) as { items: Array<{ document: string; activeVersion: number | null }> }).items.find((i) => i.document === 'client-label')?.activeVersion
    expect(await listed()).toBe(1)
    expect(await (await server.api(`/api/documents/client-label/${recordId}?format=zpl`)).text()).toContain('^FO30,20^A0N,40,40')

    // Back to the built-in label, then version 1 again.
    await page.getByRole('button', { name: 'Print with the built-in label' }).click()
    await expect.poll(() => page.locator('#tpl-active').textContent()).toBe('Printing with the built-in label.')
    expect(await listed()).toBe(null)
    await row.getByRole('button', { name: 'Activate' }).click()
    await expect.poll(() => page.locator('#tpl-active').textContent()).toBe('Printing with version 1.')
    expect(await listed()).toBe(1)
    await screenshot(page, 'templates-saved')
    expect(errors).toEqual([])
    await context.close()
  })

  it('when the studio’s own ZPL label is active, then the front desk previews it for the ZPL and the office PDF printer, and says why the EPL printer can’t print it', async () => {
    const zpl = '^XA^CI28^FO30,20^A0N,40,40^FH^FDOWN {{client.lastName}}^FS^FO30,80^BY2^BCN,100,Y,N,N^FH^FD{{barcode.text}}^FS^XZ'
    expect((await server.api('/api/templates/client-label', { method: 'POST', json: { kind: 'zpl', body: zpl } })).status).toBe(201)
    const context = await signedInContext(browser, server.url, ADMIN_TOKEN)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.setDefaultTimeout(15_000)
    await page.goto('/?barcode=C-000001')
    const select = page.locator('form.printout[data-document="client-label"]').getByLabel('Printer for the client account label')
    const img = page.locator('#preview[data-document="client-label"]:not([hidden])')
    const shown = async (language: string) => {
      await expect.poll(async () => ((await img.count()) > 0 ? await img.getAttribute('data-language') : null), { timeout: 60_000 }).toBe(language)
      await expect.poll(() => img.evaluate((e) => (e as unknown as { complete: boolean; naturalWidth: number }).complete && (e as unknown as { naturalWidth: number }).naturalWidth > 0), { timeout: 10_000 }).toBe(true)
      const bytes = (await img.evaluate(`(async (e) => Array.from(new Uint8Array(await (await fetch(e.src)).arrayBuffer())))(document.getElementById('preview'))`)) as number[]
      return Uint8Array.from(bytes)
    }
    for (const [printer, language] of [['front-desk-zpl', 'zpl'], ['office', 'pdf']] as const) {
      await select.selectOption(printer)
      expect([printer, await decodePng(await shown(language))]).toEqual([printer, ['C-000001']])
    }
    await select.selectOption('front-desk-epl')
    await expect.poll(() => page.locator('#preview-status').textContent(), { timeout: 30_000 }).toBe("The client-label's template is the studio's own ZPL, which can't be turned into EPL; it prints as zpl, png, pdf.")
    expect(await page.locator('#preview').isHidden()).toBe(true)
    await screenshot(page, 'front-desk-own-zpl-on-epl')
    expect(errors).toEqual([])
    expect((await server.api('/api/templates/client-label/active', { method: 'PUT', json: { version: null } })).status).toBe(200)
    await context.close()
  })
})
