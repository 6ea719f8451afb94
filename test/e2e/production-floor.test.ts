/**
 * The production floor in Debian's Chromium (playwright-core), at 1280×800 and 1024×768: the
 * station's Barcode Status Update screen (chosen status, backward moves, batches, undo, two
 * stations), one rule for opening records on every scan surface, and the Production hub page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.ts'
import { HAS_CHROMIUM, launchChromium, screenshot, signedInContext } from '../support/browser.ts'

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
] as const

describe.skipIf(!HAS_CHROMIUM).each(VIEWPORTS)('the production floor in Chromium at $width×$height', (viewport) => {
  const size = `${viewport.width}x${viewport.height}`
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
  let clientId: number

  const apiJson = async <T = Record<string, unknown>>(path: string, init: Parameters<TestServer['api']>[1] = {}) => (await (await server.api(path, init)).json()) as T
  const newOrder = async (steps: number) => {
    const o = await apiJson<{ id: number; barcode: string }>('/api/production-orders', { method: 'POST', json: { vendor: 'Bay Photo Lab', orderType: 'default', productionOrderNumber: 'auto', clientId, lines: [] } })
    for (let i = 0; i < steps; i++) await server.api(`/api/production-orders/${o.id}/advance`, { method: 'POST', json: {} })
    return o
  }
  const orderStatus = async (id: number) => (await apiJson<{ status: string }>(`/api/production-orders/${id}`)).status
  const historyLength = async (id: number) => (await apiJson<{ items: unknown[] }>(`/api/production-orders/${id}/history`)).items.length
  /**
   * A keyboard-wedge scanner typing into the page, wherever the focus is: its key events are
   * dispatched inside the page in one burst, as a scanner's arrive (a few ms apart at most), so the
   * burst does not depend on how fast automation can inject keys on a loaded machine. The real
   * keyboard path (CDP key events, page stalls) is covered by the web-pages tests.
   */
  const wedge = async (page: Page, text: string) => {
    await page.evaluate(`(() => {
      const target = document.activeElement || document.body
      for (const key of [...${JSON.stringify(text)}, 'Enter']) {
        const down = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, composed: true })
        if (target.dispatchEvent(down) && key.length === 1 && (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)) target.value += key
        target.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, composed: true }))
      }
    })()`)
  }
  const stationPage = async (name: string) => {
    const page = await context.newPage()
    page.setDefaultTimeout(5000)
    await page.goto(`/stations/${name}`)
    await page.locator('body[data-live]').waitFor()
    return page
  }
  const banner = (page: Page) => page.locator('#last-scan').textContent()

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { demo: true }), launchChromium()])
    context = await signedInContext(browser, server.url, ADMIN_TOKEN, viewport)
    clientId = (await apiJson<{ id: number }>('/api/clients', { method: 'POST', json: { lastName: 'Okafor', firstName: 'Amara' } })).id
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('when the studio sets the batch idle time in settings, then the server keeps it and a bad value shows the server’s problem and changes nothing', async () => {
    const page = await context.newPage()
    await page.goto('/settings')
    await page.locator('body[data-ready]').waitFor()
    const field = page.getByLabel('A batch ends after this many minutes without a scan')
    await expect.poll(() => field.inputValue()).toBe('30')
    await field.fill('45')
    await page.locator('#batch-idle-form').getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.locator('#stations-status').textContent()).toBe('A batch now ends after 45 minutes without a scan.')
    expect(await apiJson('/api/preferences/scanning')).toEqual({ batchIdleMinutes: 45 })
    // The browser's own range check is bypassed, as a stale or scripted page would.
    await page.evaluate(`document.getElementById('batch-idle-form').noValidate = true`)
    await field.fill('0')
    await page.locator('#batch-idle-form').getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.locator('#stations-status').textContent()).toContain('batchIdleMinutes must be a whole number from 1 to 1440')
    expect(await apiJson('/api/preferences/scanning')).toEqual({ batchIdleMinutes: 45 })
    await server.api('/api/preferences/scanning', { method: 'PUT', json: { batchIdleMinutes: 30 } })
    await screenshot(page, `floor-batch-idle-setting-${size}`)
    await page.close()
  })

  it('when "A chosen status" is picked, then nothing applies until a status is chosen (a scan meanwhile is refused), the banner drops the refusal when the status is picked, and flags show', async () => {
    await server.api('/api/stations', { method: 'POST', json: { name: 'lab-out', mode: 'advance' } })
    const page = await stationPage('lab-out')
    const order = await newOrder(0)
    await page.getByLabel('A chosen status:').check()
    await expect.poll(async () => (await apiJson<{ target: string; advanceTo: string | null }>('/api/stations/lab-out'))).toMatchObject({ target: 'chosen', advanceTo: null })
    expect(await page.getByLabel('Chosen status', { exact: true }).inputValue()).toBe('')
    await wedge(page, order.barcode)
    await expect.poll(() => banner(page)).toContain('none is picked yet')
    expect(await page.locator('#last-scan.error').count()).toBe(1)
    expect(await orderStatus(order.id)).toBe('entered')
    expect(await historyLength(order.id)).toBe(1)
    await page.getByLabel('Chosen status', { exact: true }).selectOption('sent-to-lab')
    await expect.poll(() => banner(page)).toBe('Ready: each scan sets the order to Sent to Lab.')
    expect(await page.locator('#last-scan.error').count()).toBe(0)
    await wedge(page, order.barcode.toLowerCase())
    const row = page.locator('#scans-table tbody tr').first()
    await expect.poll(() => row.textContent()).toContain('Order Entered→Sent to Lab')
    expect(await row.locator('.badge').allTextContents()).toEqual(['advanced', 'skips steps'])
    expect(await banner(page)).toContain('(skips steps)')
    await screenshot(page, `floor-chosen-status-${size}`)
    await page.close()
  })

  it('when a station set to an earlier status reads an order further on or delivered, then it is refused with its own code and alert, and the order stays', async () => {
    await server.api('/api/stations', { method: 'POST', json: { name: 'pickup-desk', mode: 'advance', advanceTo: 'ready-for-pickup' } })
    const page = await stationPage('pickup-desk')
    const delivered = await newOrder(7)
    await wedge(page, delivered.barcode)
    await expect.poll(() => page.locator('#scans-table tbody tr.error').count()).toBe(1)
    expect(await page.locator('#scans-table tbody tr.error').textContent()).toContain('final status')
    expect(await page.locator('#last-scan.error').count()).toBe(1)
    expect(await page.evaluate('document.documentElement.dataset.lastBeep')).toBe('error')
    expect(await page.locator('#count-errors').textContent()).toBe('1')
    expect(await orderStatus(delivered.id)).toBe('picked-up')
    await screenshot(page, `floor-leaves-final-${size}`)
    await page.close()
  })

  it('when New batch is pressed twice, then the page shows the next batch once, its list is empty, and an order of the last batch advances again', async () => {
    await server.api('/api/stations', { method: 'POST', json: { name: 'retouch', mode: 'advance' } })
    const page = await stationPage('retouch')
    const first = (await apiJson<{ batch: { id: number } }>('/api/stations/retouch')).batch.id
    expect(await page.locator('#batch-info').textContent()).toContain(`Batch ${first} ·`)
    const order = await newOrder(0)
    await wedge(page, order.barcode)
    await expect.poll(() => page.locator('#count-advanced').textContent()).toBe('1')
    await page.getByRole('button', { name: 'New batch' }).dblclick()
    await expect.poll(() => page.locator('#batch-info').textContent()).toContain(`Batch ${first + 1} ·`)
    await expect.poll(() => page.locator('#scans-table tbody tr').count()).toBe(0)
    expect(await page.locator('#count-advanced').textContent()).toBe('0')
    expect((await apiJson<{ batch: { id: number } }>('/api/stations/retouch')).batch.id).toBe(first + 1)
    await wedge(page, order.barcode.replace('-', ''))
    await expect.poll(() => page.locator('#count-advanced').textContent()).toBe('1')
    expect(await orderStatus(order.id)).toBe('ready-to-send')
    // Undo once: the button is then off, and the order went back one step only.
    await page.getByRole('button', { name: 'Undo last advance' }).click()
    await expect.poll(() => page.locator('#count-advanced').textContent()).toBe('0')
    expect(await page.getByRole('button', { name: 'Undo last advance' }).isDisabled()).toBe(true)
    expect(await orderStatus(order.id)).toBe('retouching')
    await screenshot(page, `floor-new-batch-${size}`)
    await page.close()
  })

  it('when two stations each move the same bag one step within a second, then both screens show it', async () => {
    await server.api('/api/stations', { method: 'POST', json: { name: 'check-out', mode: 'advance' } })
    await server.api('/api/stations', { method: 'POST', json: { name: 'qc', mode: 'advance' } })
    const [a, b] = [await stationPage('check-out'), await stationPage('qc')]
    const order = await newOrder(0)
    await wedge(a, order.barcode)
    await expect.poll(() => a.locator('#count-advanced').textContent()).toBe('1')
    await wedge(b, order.barcode)
    await expect.poll(() => b.locator('#scans-table tbody tr').first().textContent()).toContain('also moved at check-out')
    await expect.poll(() => a.locator('#scans-table tbody tr').first().textContent()).toContain('Moved on at qc')
    expect(await a.locator('#count-warnings').textContent()).toBe('1')
    expect(await orderStatus(order.id)).toBe('ready-to-send')
    await screenshot(a, `floor-moved-on-elsewhere-${size}`)
    await a.close()
    await b.close()
  })

  it('when a second record is scanned at a lookup station and at the front desk, then it replaces the open one; at the front desk, unsaved changes refuse it, naming the open record', async () => {
    // The lookup station's own scanner (the demo's simulated one, through the real driver path).
    const page = await stationPage('front-desk')
    const simScan = (data: string) => server.api('/api/scanners/front-desk-scanner/sim', { method: 'POST', json: { action: 'scan', data } })
    await simScan('C-000001')
    await expect.poll(() => page.locator('#open-heading').textContent()).toMatch(/^Open: Client C-000001/)
    await simScan('S-000002')
    await expect.poll(() => page.locator('#open-heading').textContent()).toBe('Open: Session S-000002')
    expect(await page.locator('#last-scan').textContent()).toContain('in place of the record open before')
    await page.close()

    const desk = await context.newPage()
    desk.setDefaultTimeout(5000)
    await desk.goto('/')
    await desk.locator('body[data-ready]').waitFor()
    // Barcodes go in through the scan box (typed and opened): the same path a wedge scan takes, without
    // the wedge's timing, which a machine this loaded can't hold (the wedge has its own tests).
    const open = async (barcode: string) => {
      await desk.getByLabel('Barcode, or a client’s name, email or phone').fill(barcode)
      await desk.getByRole('button', { name: 'Open', exact: true }).click()
    }
    await open('C-000001')
    await expect.poll(() => desk.locator('#record-heading').textContent()).toContain('(C-000001)')
    await open('INV-000001')
    await expect.poll(() => desk.locator('#record-heading').textContent()).toBe('Invoice INV-000001')
    await desk.evaluate(`(() => {
      const form = document.createElement('form')
      form.setAttribute('data-edits-record', '')
      form.innerHTML = '<input name="notes" value="as loaded">'
      document.getElementById('record').append(form)
      form.elements.notes.value = 'typed, not saved'
    })()`)
    await open('S-000001')
    await expect.poll(() => desk.locator('#lookup-status').textContent()).toContain('Invoice INV-000001 is open with unsaved changes')
    expect(await desk.locator('#lookup-status').getAttribute('data-code')).toBe('RECORD_ALREADY_OPEN')
    expect(await desk.locator('#record-heading').textContent()).toBe('Invoice INV-000001')
    await desk.close()
  })

  it('when the Production hub is opened, then it counts orders per status, lists late ones first, opens an order by scan and releases a held order with a reason', async () => {
    const held = await newOrder(1)
    await server.api(`/api/production-orders/${held.id}/advance`, { method: 'POST', json: { to: 'on-hold' } })
    const late = await newOrder(2)
    await server.running.stores.database.db.updateTable('production_orders').set({ status_due_date: '2020-01-06' }).where('id', '=', late.id).execute()
    const page = await context.newPage()
    page.setDefaultTimeout(5000)
    await page.goto('/production')
    await page.locator('body[data-ready]').waitFor()
    const summary = (await apiJson<{ tracks: Array<{ statuses: Array<{ key: string; count: number }> }> }>('/api/production/summary')).tracks[0].statuses
    const onHold = summary.find((x) => x.key === 'on-hold')!.count
    expect(await page.locator('table.prod-track[data-track="default"] tr[data-status="on-hold"] td').first().textContent()).toBe(String(onHold))
    // The late order is first.
    expect(await page.locator('#orders-table tbody tr').first().getAttribute('data-order')).toBe(String(late.id))
    expect(await page.locator('#orders-table tbody tr').first().textContent()).toContain('Okafor, Amara')
    await page.getByRole('button', { name: `${onHold} On Hold orders in the Default track` }).click()
    await expect.poll(() => page.locator('#orders-table tbody tr').count()).toBe(onHold)
    await screenshot(page, `production-hub-${size}`)
    await wedge(page, held.barcode)
    await expect.poll(() => page.locator('#order-heading').textContent()).toBe(`Order ${held.barcode} · Okafor, Amara`)
    await page.getByLabel('New status').selectOption('retouching')
    await page.getByRole('button', { name: 'Change status' }).click()
    expect(await orderStatus(held.id)).toBe('on-hold') // no reason: nothing sent
    await page.getByLabel('Reason').fill('Client approved the proofs')
    await page.getByRole('button', { name: 'Change status' }).dblclick()
    await expect.poll(() => page.locator('#change-status').textContent()).toBe('Status changed: On Hold → Retouching.')
    const rows = page.locator('#history-table tbody tr')
    expect(await rows.first().textContent()).toContain('Client approved the proofs')
    expect(await orderStatus(held.id)).toBe('retouching')
    expect(await historyLength(held.id)).toBe(4)
    await screenshot(page, `production-hub-order-${size}`)
    await page.close()
  })
})
