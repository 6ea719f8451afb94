// @ts-check
// Front desk: scan or search, open a record with its printouts, print them, preview the label.
import { api, ApiError, messageOf, isMissingRoute, newKey, itemsOf } from './api.js'
import { el, clear, say, badge, fmtDate, fmtDateTime, fmtMoney, byId } from './dom.js'
import { listenForScans } from './wedge.js'
import { fillStationLinks } from './shell.js'
import { DOC_NAMES, FORMATS, LABEL_STOCK } from './documents.js'
import { TYPE_NAMES, COLLECTIONS, BARCODE_PATTERN, FINAL_STATES } from './vocabulary.js'

/** Which printouts each kind of record has, and the formats each can be printed in (CONTRACT.md). */
const PRINTOUTS = {
  client: ['client-profile', 'client-label'],
  session: ['session-confirmation', 'photographer-confirmation'],
  invoice: ['invoice'],
  'production-order': ['work-order', 'purchase-order', 'order-label'],
}
/** The server's own payload pattern (trimmed text, any case). */
const BARCODE = new RegExp(BARCODE_PATTERN, 'i')
const TERMINAL = new Set(FINAL_STATES)

const $ = (id) => document.getElementById(id)
const form = byId('scan-form', HTMLFormElement)
const input = byId('scan-input', HTMLInputElement)
const status = $('lookup-status')
const results = $('search-results')
const recordSection = $('record')
const preview = byId('preview', HTMLImageElement)
let current = null // {type, record}
let printers = null // null: not loaded; [] none; or the list
let printersProblem = ''
/** Status names per order type: a key two tracks share may have a different name in each. */
let trackNames = {}
let previewUrl = null
let previewSeq = 0

form.addEventListener('submit', (e) => {
  e.preventDefault()
  const q = input.value.trim()
  if (!q) return say(status, 'Scan a barcode or type a name first.', 'warning')
  if (BARCODE.test(q)) openBarcode(q)
  else search(q)
})

listenForScans((text) => {
  input.value = text
  // Opened by a scanner: focus stays where it is, so that the page never moves it in the middle
  // of the next scan (a wedge scan whose keys change target is split, and loses its first keys).
  openBarcode(text, { moveFocus: false })
})

byId('close-record', HTMLButtonElement).addEventListener('click', () => {
  current = null
  recordSection.hidden = true
  showPreview(null)
  history.replaceState(null, '', '/')
  say(status, 'Record closed.')
  input.focus()
})

window.addEventListener('popstate', () => openFromUrl())

/**
 * Whether the open record has changes not saved yet: a form in the record panel that edits it
 * (marked `data-edits-record`) whose fields differ from what was loaded.
 */
function unsavedChanges() {
  if (!current) return false
  for (const form of /** @type {NodeListOf<HTMLFormElement>} */ (recordSection.querySelectorAll('form[data-edits-record]'))) {
    for (const f of form.elements) {
      if (f instanceof HTMLInputElement && (f.type === 'checkbox' || f.type === 'radio')) {
        if (f.checked !== f.defaultChecked) return true
      } else if (f instanceof HTMLInputElement || f instanceof HTMLTextAreaElement) {
        if (f.value !== f.defaultValue) return true
      } else if (f instanceof HTMLSelectElement) {
        if ([...f.options].some((o) => o.selected !== o.defaultSelected)) return true
      }
    }
  }
  return false
}

/**
 * The one rule of every scan surface (the same as the stations'): a scan replaces the open record,
 * unless it has unsaved changes; then it is refused (RECORD_ALREADY_OPEN), naming the open record
 * and how to close it.
 */
function refuseWhileUnsaved() {
  if (!unsavedChanges()) {
    delete status.dataset.code
    return false
  }
  say(status, `${titleOf(current.type, current.record)} is open with unsaved changes; save or discard them, then close it (Close record) before scanning the next record.`, 'error')
  status.dataset.code = 'RECORD_ALREADY_OPEN'
  return true
}

async function openBarcode(text, { moveFocus = true } = {}) {
  if (refuseWhileUnsaved()) return
  clear(results)
  say(status, `Looking up ${text.trim()}…`)
  try {
    const { type, record } = await api('/lookup?barcode=' + encodeURIComponent(text.trim()))
    await show(type, record, { moveFocus })
  } catch (err) {
    const tone = err instanceof ApiError && err.status < 500 ? 'warning' : 'error'
    say(status, err instanceof ApiError && err.code === 'RECORD_NOT_FOUND' ? `Nothing has the barcode ${text.trim()}.` : messageOf(err), tone)
  }
}

async function openRecord(type, id) {
  try {
    await show(type, await api(`/${COLLECTIONS[type]}/${id}`))
  } catch (err) {
    say(status, messageOf(err), 'error')
  }
}

/** Every item of a paginated list (at most `max`), e.g. a client's sessions. */
async function listAll(path, max = 2000) {
  const out = []
  let after = 0
  const sep = path.includes('?') ? '&' : '?'
  while (out.length < max) {
    const page = await api(`${path}${sep}limit=500&after=${after}`)
    const items = itemsOf(page)
    out.push(...items)
    if (!page || !page.nextAfter || items.length === 0) break
    after = page.nextAfter
  }
  return out
}

const SEARCH_LIMIT = 50
let searchSeq = 0

/** Server-side search: every word must match the name, organization, email, phone or notes. */
async function search(q) {
  const seq = ++searchSeq
  say(status, `Searching for “${q}”…`)
  clear(results)
  try {
    const page = await api(`/clients?q=${encodeURIComponent(q)}&limit=${SEARCH_LIMIT}`)
    if (seq !== searchSeq) return
    const clients = itemsOf(page)
    if (!clients.length) return say(status, `No client matches “${q}”. Every word must appear in the name, organization, email, phone or notes.`, 'warning')
    const more = !!page?.nextAfter
    say(
      status,
      more
        ? `More than ${SEARCH_LIMIT} clients match “${q}”; the first ${SEARCH_LIMIT} are listed. Add a word to narrow it down.`
        : `${clients.length} client${clients.length === 1 ? '' : 's'} found for “${q}”.`,
      more ? 'warning' : '',
    )
    for (const c of clients) {
      const phone = (c.phones || [])[0]?.number
      results.append(
        el(
          'li',
          {},
          el(
            'button',
            { type: 'button', onclick: () => show('client', c) },
            `${clientName(c)} · ${c.barcode}`,
            c.organization ? ` · ${c.organization}` : '',
            el('span', { class: 'hint' }, [phone, c.email].filter(Boolean).join(' · ') ? ` · ${[phone, c.email].filter(Boolean).join(' · ')}` : ''),
          ),
        ),
      )
    }
  } catch (err) {
    if (seq === searchSeq) say(status, messageOf(err), 'error')
  }
}

/** An order's status by the name its own track gives it (the default track for types without one). */
function statusName(order) {
  const names = trackNames[order.orderType] ?? trackNames.default ?? {}
  return names[order.status] ?? order.status
}

function clientName(c) {
  return c ? `${c.lastName}, ${c.firstName}` : ''
}

async function show(type, record, { moveFocus = true } = {}) {
  current = { type, record }
  clear(results)
  const title = titleOf(type, record)
  $('record-heading').textContent = title
  say(status, `Opened ${title}.`, 'ok')
  history.replaceState(null, '', `/?r=${type}:${record.id}`)
  recordSection.hidden = false
  renderFields(type, record)
  renderActions(type, record)
  renderRelated(type, record)
  await renderPrintouts(type, record)
  const docs = PRINTOUTS[type]
  showPreview(docs.find((d) => d.endsWith('-label')) ?? docs[0])
  if (moveFocus) $('record-heading').focus()
}

function titleOf(type, r) {
  switch (type) {
    case 'client':
      return `Client ${clientName(r)} (${r.barcode})`
    case 'session':
      return `Session ${r.barcode} · ${r.sessionType}`
    case 'invoice':
      return `Invoice ${r.barcode}`
    default:
      return `Production order ${r.barcode ?? `#${r.number} (no production order number yet)`}`
  }
}

function field(dl, name, value) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return
  dl.append(el('dt', {}, name), el('dd', {}, value))
}

function renderFields(type, r) {
  const dl = clear($('record-fields'))
  field(dl, 'Barcode', r.barcode ?? 'none yet')
  if (type === 'client') {
    field(dl, 'Name', [r.salutation, r.firstName, r.lastName].filter(Boolean).join(' '))
    field(dl, 'Organization', r.organization)
    field(dl, 'Phone', (r.phones || []).map((p) => `${p.number} (${p.label})`).join(', '))
    field(dl, 'Email', r.email)
    field(dl, 'Address', (r.addresses || []).map((a) => [...a.lines, `${a.city} ${a.region} ${a.postalCode}`].join(', ')).join(' · '))
    field(dl, 'Family', (r.familyMembers || []).join(', '))
    field(dl, 'Status', r.status)
    field(dl, 'Notes', r.notes)
  } else if (type === 'session') {
    field(dl, 'Type', r.sessionType)
    field(dl, 'When', `${fmtDateTime(r.startsAt)} – ${fmtDateTime(r.endsAt)}`)
    field(dl, 'Location', r.location)
    field(dl, 'Photographer', r.photographer + (r.assistant ? ` (assistant ${r.assistant})` : ''))
    field(dl, 'Status', r.status)
    field(dl, 'Fee / deposit', `${fmtMoney(r.fee)} / ${fmtMoney(r.deposit)}`)
    field(dl, 'Notes', r.notes)
  } else if (type === 'invoice') {
    field(dl, 'Type', r.invoiceType)
    field(dl, 'Date', fmtDate(r.invoiceDate))
    if (r.totals) {
      field(dl, 'Total', fmtMoney(r.totals.total))
      field(dl, 'Paid', fmtMoney(r.totals.paid))
      field(dl, 'Balance due', fmtMoney(r.totals.balanceDue))
    }
    field(dl, 'Lines', (r.lines || []).map((l) => `${l.quantity} × ${l.item}`).join(', '))
  } else {
    field(dl, 'Status', statusName(r))
    field(dl, 'Due', fmtDate(r.statusDueDate))
    field(dl, 'Vendor', r.vendor)
    field(dl, 'Order type', r.orderType)
    field(dl, 'Order date', fmtDate(r.orderDate))
    field(dl, 'Studio notes', r.studioNotes)
    field(dl, 'Vendor notes', r.vendorNotes)
  }
}

function renderActions(type, r) {
  const box = clear($('record-actions'))
  if (type === 'production-order' && r.productionOrderNumber === null) {
    box.append(
      el(
        'button',
        {
          type: 'button',
          onclick: async () => {
            try {
              await show(type, await api(`/production-orders/${r.id}`, { method: 'PATCH', body: { productionOrderNumber: 'auto' } }))
            } catch (err) {
              say(status, messageOf(err), 'error')
            }
          },
        },
        'Assign the next production order number',
      ),
    )
  }
}

async function renderRelated(type, r) {
  const box = clear($('related'))
  const link = (label, t, id) => el('button', { type: 'button', onclick: () => openRecord(t, id) }, label)
  try {
    if (type === 'client') {
      // The server filters by client (invoices: the client or the bill-to client).
      const byClient = `?clientId=${encodeURIComponent(r.id)}`
      const [sessions, invoices, orders] = await Promise.all([listAll('/sessions' + byClient), listAll('/invoices' + byClient), listAll('/production-orders' + byClient)])
      const mine = { session: sessions, invoice: invoices, 'production-order': orders }
      if (current?.record !== r) return
      for (const [t, list] of Object.entries(mine)) {
        if (!list.length) continue
        box.append(
          el('h3', {}, `${TYPE_NAMES[t]}s`),
          el('div', {}, list.map((x) => link(t === 'production-order' ? `${x.barcode ?? `#${x.number}`} · ${statusName(x)}` : x.barcode, t, x.id))),
        )
      }
    } else {
      const links = []
      if (r.clientId) {
        const c = await api(`/clients/${r.clientId}`).catch(() => null)
        if (c) links.push(link(`Client ${clientName(c)}`, 'client', c.id))
      }
      if (r.sessionId) links.push(link('Session', 'session', r.sessionId))
      for (const id of r.invoiceIds || []) links.push(link(`Invoice #${id}`, 'invoice', id))
      if (current?.record !== r) return
      if (links.length) box.append(el('h3', {}, 'Related'), el('div', {}, links))
    }
  } catch {
    // Related records are a convenience; the record itself is shown.
  }
}

async function loadPrinters() {
  try {
    printers = itemsOf(await api('/printers'))
    printersProblem = printers.length ? '' : 'No printers are set up yet: add one under Settings.'
  } catch (err) {
    printers = []
    printersProblem = isMissingRoute(err) ? 'Printing is not available on this server yet; you can still preview and open PDFs.' : `Printers can’t be listed: ${messageOf(err)}`
  }
}

async function renderPrintouts(type, r) {
  if (printers === null) await loadPrinters()
  const box = clear($('printouts'))
  say($('printers-status'), printersProblem, printersProblem ? 'warning' : '')
  for (const doc of PRINTOUTS[type]) box.append(printoutRow(doc, r))
}

function printoutRow(doc, r) {
  const name = DOC_NAMES[doc]
  const usable = printers.filter((p) => FORMATS[doc].includes(p.language))
  const remembered = localStorage.getItem(`sp.printer.${doc}`)
  const idBase = `p-${doc}`
  const select = el(
    'select',
    { id: `${idBase}-printer`, disabled: !usable.length },
    usable.length
      ? usable.map((p) => el('option', { value: p.name, selected: p.name === remembered }, `${p.name}${p.status?.state ? ` (${p.status.state})` : ''}`))
      : el('option', { value: '' }, 'no printer for this'),
  )
  // The preview follows the printer chosen for it (its label stock and language).
  select.addEventListener('change', () => {
    if (preview.dataset.document === doc || $('preview-caption').dataset.document === doc) showPreview(doc)
  })
  const copies = el('input', { id: `${idBase}-copies`, type: 'number', min: '1', max: '999', value: '1', inputmode: 'numeric' })
  const out = el('p', { class: 'status msg', role: 'status', 'aria-live': 'polite', id: `${idBase}-status` })
  let key = newKey()
  const printButton = el('button', { type: 'submit', class: 'primary', disabled: !usable.length, 'aria-describedby': `${idBase}-status` }, 'Print')
  /** The order has no production order number for its barcode: offer to assign the next one, then print. */
  const offerAssign = (err) => {
    const assign = err.problem?.details?.assign
    if (!assign || typeof assign.path !== 'string' || !assign.path.startsWith('/api/production-orders/')) return
    const button = el('button', { type: 'button', class: 'primary' }, 'Assign the next number and print')
    button.addEventListener('click', async () => {
      if (button.disabled) return // a double click assigns once
      button.disabled = true
      try {
        const order = await api(assign.path.slice('/api'.length), { method: assign.method || 'PATCH', body: assign.body })
        current = { type: 'production-order', record: order }
        $('record-heading').textContent = titleOf('production-order', order)
        renderFields('production-order', order)
        renderActions('production-order', order)
        say(out, `Production order number ${order.barcode} assigned; printing…`, 'ok')
        row.requestSubmit()
      } catch (e) {
        button.disabled = false
        say(out, messageOf(e), 'error')
      }
    })
    out.append(' ', button)
  }
  const row = el(
    'form',
    {
      class: 'printout',
      'data-document': doc,
      'aria-label': name,
      onsubmit: async (e) => {
        e.preventDefault()
        const n = Number(copies.value)
        if (!Number.isInteger(n) || n < 1 || n > 999) return say(out, 'Copies must be a whole number from 1 to 999.', 'error')
        printButton.disabled = true
        say(out, `Sending ${name} to ${select.value}…`)
        localStorage.setItem(`sp.printer.${doc}`, select.value)
        try {
          const job = await api('/print-jobs', { method: 'POST', body: { document: doc, recordId: r.id, printer: select.value, copies: n }, headers: { 'idempotency-key': key } })
          key = newKey()
          await followJob(job, out, name)
        } catch (err) {
          say(out, messageOf(err), 'error')
          if (err instanceof ApiError && err.code === 'PRODUCTION_ORDER_NUMBER_MISSING') offerAssign(err)
        } finally {
          printButton.disabled = false
        }
      },
    },
    el('span', { class: 'name' }, name),
    el('div', {}, el('label', { for: select.id }, 'Printer'), select),
    el('div', {}, el('label', { for: copies.id }, 'Copies'), copies),
    el('div', {}, printButton),
    el(
      'div',
      {},
      el('button', { type: 'button', onclick: () => showPreview(doc), 'aria-controls': 'preview' }, 'Preview'),
      ' ',
      el('a', { href: `/api/documents/${doc}/${r.id}?format=pdf`, target: '_blank', rel: 'noopener' }, 'PDF'),
    ),
    out,
  )
  row.querySelectorAll('label').forEach((l) => l.append(el('span', { class: 'visually-hidden' }, ` for the ${name.toLowerCase()}`)))
  return row
}

/** Follows a print job until it ends (or needs a person), saying where it is. */
async function followJob(job, out, name) {
  const started = Date.now()
  let j = job
  for (;;) {
    const reasons = (j.reasons || []).filter((x) => x !== 'none')
    const progress = j.progress && j.progress.total ? ` — ${j.progress.sent ?? j.progress.done ?? 0} of ${j.progress.total}` : ''
    const text = `${name}: job ${j.id} ${j.state}${progress}${reasons.length ? ` (${reasons.join(', ')})` : ''}`
    const tone = j.state === 'completed' ? 'ok' : j.state === 'aborted' || j.state === 'canceled' ? 'error' : j.state === 'held' ? 'warning' : ''
    clear(out)
    out.className = `status msg ${tone}`
    out.append(text, ' ', el('a', { href: '/print-jobs' }, 'Print queue'))
    if (TERMINAL.has(j.state) || j.state === 'held' || Date.now() - started > 120_000) return
    await new Promise((r) => setTimeout(r, 500))
    j = await api(`/print-jobs/${j.id}`)
  }
}

/** The printer chosen for a printout in its row (null: none can print it). */
function chosenPrinter(doc) {
  const name = /** @type {HTMLSelectElement | null} */ (document.getElementById(`p-${doc}-printer`))?.value
  return (printers || []).find((p) => p.name === name) ?? null
}

/**
 * The preview as the chosen printer would print it: a label on the printer's own stock and
 * resolution, its text laid out with the printer language's font widths.
 */
async function previewImage(doc, record) {
  const printer = FORMATS[doc].includes('zpl') || FORMATS[doc].includes('epl') ? chosenPrinter(doc) : null
  const stock = printer?.media?.stock && LABEL_STOCK[printer.media.stock] ? printer.media.stock : null
  const dpi = printer?.media?.dpi === 300 ? 300 : 203
  const query = stock ? `&media=${encodeURIComponent(stock)}&dpi=${dpi}` : ''
  const described = printer ? `${stock ? `${LABEL_STOCK[stock].widthIn} × ${LABEL_STOCK[stock].heightIn} in` : '4 × 6 in'}, ${printer.language.toUpperCase()}, ${printer.name}` : ''
  // Laid out as the printer's language prints it (its font's widths), drawn by the server at once;
  // a studio's own ZPL or EPL template is drawn from its code by that language's renderer.
  const as = printer && (printer.language === 'zpl' || printer.language === 'epl') ? `&for=${printer.language}` : ''
  const res = await fetch(`/api/documents/${doc}/${record.id}?format=png${query}${as}`, { credentials: 'same-origin' })
  return { res, described, stock: stock ?? (FORMATS[doc].includes('zpl') ? '4x6' : ''), language: printer?.language ?? '' }
}

async function showPreview(doc) {
  const seq = ++previewSeq
  const caption = $('preview-caption')
  const pstatus = $('preview-status')
  if (previewUrl) URL.revokeObjectURL(previewUrl)
  previewUrl = null
  if (!doc || !current) {
    preview.hidden = true
    preview.removeAttribute('src')
    delete caption.dataset.document
    caption.textContent = 'Open a record to see its label.'
    return say(pstatus, '')
  }
  const { record } = current
  const name = DOC_NAMES[doc]
  caption.dataset.document = doc
  caption.textContent = `${name} — ${titleOf(current.type, record)}`
  say(pstatus, `Rendering the ${name.toLowerCase()}…`)
  try {
    const { res, described, stock, language } = await previewImage(doc, record)
    if (seq !== previewSeq) return
    if (!res.ok) {
      const problem = await res.json().catch(() => null)
      throw new ApiError(res.status, problem)
    }
    previewUrl = URL.createObjectURL(await res.blob())
    if (seq !== previewSeq) return
    preview.src = previewUrl
    preview.alt = `Preview of the ${name.toLowerCase()}${described ? ` (${described})` : ''}`
    preview.dataset.document = doc
    preview.dataset.media = stock
    preview.dataset.language = language
    preview.hidden = false
    if (described) caption.textContent = `${name} — ${titleOf(current.type, record)} — ${described}`
    say(pstatus, '')
  } catch (err) {
    if (seq !== previewSeq) return
    preview.hidden = true
    delete preview.dataset.document
    say(pstatus, messageOf(err), 'warning')
  }
}

async function openFromUrl() {
  const m = /^(client|session|invoice|production-order):(\d+)$/.exec(new URLSearchParams(location.search).get('r') || '')
  if (m) await openRecord(m[1], m[2])
  const b = new URLSearchParams(location.search).get('barcode')
  if (b) {
    input.value = b
    await openBarcode(b)
  }
}

async function init() {
  fillStationLinks()
  try {
    for (const track of itemsOf(await api('/production-statuses'))) trackNames[track.orderType] = Object.fromEntries(track.statuses.map((s) => [s.key, s.name]))
  } catch {}
  await openFromUrl()
  document.body.dataset.ready = '1'
}
init()
