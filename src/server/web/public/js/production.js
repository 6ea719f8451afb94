// @ts-check
// The Production hub: counts per status for each track, orders by lateness, an order's history,
// and its status changed by hand with a reason (how a held order is released). A scan opens an order.
import { api, messageOf, itemsOf } from './api.js'
import { el, clear, say, badge, fmtDate, fmtDateTime, byId } from './dom.js'
import { listenForScans } from './wedge.js'
import { fillStationLinks } from './shell.js'

const $ = (id) => document.getElementById(id)
const status = $('prod-status')
let tracks = [] // [{orderType, statuses}]
let open = null // the order shown: {order, history}
let ordersSeq = 0

const trackOf = (orderType) => tracks.find((t) => t.orderType === orderType) ?? tracks.find((t) => t.orderType === 'default') ?? { statuses: [] }
const nameIn = (orderType, key) => trackOf(orderType).statuses.find((s) => s.key === key)?.name ?? key
const trackName = (t) => (t === 'default' ? 'Default track' : `${t} track`)

// ------------------------------------------------------------ summary
async function loadSummary() {
  const box = $('summary')
  try {
    const summary = await api('/production/summary')
    clear(box)
    for (const t of summary.tracks) {
      const tbody = el('tbody')
      for (const s of t.statuses) {
        tbody.append(
          el(
            'tr',
            { 'data-status': s.key, class: s.late ? 'late' : '' },
            el('th', { scope: 'row' }, s.name),
            el('td', { class: 'num' }, el('button', { type: 'button', class: 'small link-count', 'aria-label': `${s.count} ${s.name} orders in the ${trackName(t.orderType)}`, onclick: () => filterBy(t.orderType, s.key, false) }, String(s.count))),
            el('td', { class: 'num' }, s.late ? el('button', { type: 'button', class: 'small late-count', 'aria-label': `${s.late} late ${s.name} orders in the ${trackName(t.orderType)}`, onclick: () => filterBy(t.orderType, s.key, true) }, String(s.late)) : '0'),
          ),
        )
      }
      box.append(
        el(
          'table',
          { class: 'prod-track', 'data-track': t.orderType },
          el('caption', {}, trackName(t.orderType)),
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Status'), el('th', { scope: 'col', class: 'num' }, 'Orders'), el('th', { scope: 'col', class: 'num' }, 'Late'))),
          tbody,
        ),
      )
    }
  } catch (err) {
    say(status, messageOf(err), 'error')
  }
}

function filterBy(track, key, late) {
  byId('f-track', HTMLSelectElement).value = track
  fillStatusFilter()
  byId('f-status', HTMLSelectElement).value = key
  byId('f-late', HTMLInputElement).checked = late
  loadOrders()
}

// ------------------------------------------------------------ orders
function fillStatusFilter() {
  const select = byId('f-status', HTMLSelectElement)
  const keep = select.value
  const track = byId('f-track', HTMLSelectElement).value
  const seen = new Set()
  select.replaceChildren(el('option', { value: '' }, 'All statuses'))
  for (const t of tracks) {
    if (track && t.orderType !== track) continue
    for (const s of t.statuses) {
      if (seen.has(s.key)) continue
      seen.add(s.key)
      select.append(el('option', { value: s.key }, s.name))
    }
  }
  if (seen.has(keep)) select.value = keep
}

async function loadOrders() {
  const seq = ++ordersSeq
  const q = new URLSearchParams()
  if (byId('f-track', HTMLSelectElement).value) q.set('track', byId('f-track', HTMLSelectElement).value)
  if (byId('f-status', HTMLSelectElement).value) q.set('status', byId('f-status', HTMLSelectElement).value)
  if (byId('f-late', HTMLInputElement).checked) q.set('late', '1')
  try {
    const page = await api(`/production/orders?${q}`)
    if (seq !== ordersSeq) return
    const tbody = clear(byId('orders-table', HTMLTableElement).tBodies[0])
    for (const o of page.items) {
      tbody.append(
        el(
          'tr',
          { 'data-order': o.id, class: o.daysLate ? 'late' : '' },
          el('td', {}, el('button', { type: 'button', class: 'small', onclick: () => openOrder(o.id) }, o.barcode ?? `#${o.number}`)),
          el('td', {}, o.client?.name ?? ''),
          el('td', {}, o.status.name),
          el('td', {}, fmtDate(o.statusDueDate)),
          el('td', { class: 'num' }, o.daysLate ? badge(String(o.daysLate), 'error') : '0'),
          el('td', {}, o.vendor),
        ),
      )
    }
    $('orders-note').textContent = page.items.length ? `${page.items.length} order${page.items.length === 1 ? '' : 's'}, late ones first${page.truncated ? ' (the first ones only: narrow the filters)' : ''}.` : 'No orders match these filters.'
  } catch (err) {
    if (seq === ordersSeq) say(status, messageOf(err), 'error')
  }
}

byId('filters', HTMLFormElement).addEventListener('change', (e) => {
  if (/** @type {Element} */ (e.target).id === 'f-track') fillStatusFilter()
  loadOrders()
})
byId('filters', HTMLFormElement).addEventListener('submit', (e) => e.preventDefault())

// ------------------------------------------------------------ one order
async function openOrder(id) {
  try {
    const [order, history] = await Promise.all([api(`/production-orders/${id}`), api(`/production-orders/${id}/history`)])
    const client = order.clientId ? await api(`/clients/${order.clientId}`).catch(() => null) : null
    open = { order, history: itemsOf(history) }
    renderOrder(client)
    window.history.replaceState(null, "", `/production?order=${order.id}`)
  } catch (err) {
    say(status, messageOf(err), 'error')
  }
}

function renderOrder(client) {
  const { order } = open
  $('order-panel').hidden = false
  $('order-heading').textContent = `Order ${order.barcode ?? `#${order.number}`}${client ? ` · ${client.lastName}, ${client.firstName}` : ''}`
  const dl = clear($('order-fields'))
  const add = (k, v) => v && dl.append(el('dt', {}, k), el('dd', {}, v))
  add('Status', nameIn(order.orderType, order.status))
  add('Due', fmtDate(order.statusDueDate))
  add('Order type', order.orderType)
  add('Vendor', order.vendor)
  add('Studio notes', order.studioNotes)
  const tbody = clear(byId('history-table', HTMLTableElement).tBodies[0])
  for (const h of [...open.history].reverse()) {
    tbody.append(
      el(
        'tr',
        {},
        el('td', {}, fmtDateTime(h.at)),
        el('td', {}, h.fromStatus ? nameIn(order.orderType, h.fromStatus) : '—'),
        el('td', {}, nameIn(order.orderType, h.toStatus)),
        el('td', {}, h.by),
        el('td', {}, h.station ?? ''),
        el('td', {}, h.reason ?? ''),
      ),
    )
  }
  const select = clear(byId('change-to', HTMLSelectElement))
  for (const s of trackOf(order.orderType).statuses) if (s.key !== order.status) select.append(el('option', { value: s.key }, s.name))
  byId('change-reason', HTMLInputElement).value = ''
  say($('change-status'), '')
  $('order-heading').focus()
}

const changeButton = byId('change-submit', HTMLButtonElement)
byId('change-form', HTMLFormElement).addEventListener('submit', async (e) => {
  e.preventDefault()
  if (!open || changeButton.disabled) return
  const reason = byId('change-reason', HTMLInputElement).value.trim()
  if (!reason) return say($('change-status'), 'Say why the status is changed by hand.', 'error')
  const to = byId('change-to', HTMLSelectElement).value
  changeButton.disabled = true
  try {
    // The version the person saw: a stale screen or a second click changes nothing (409).
    const result = await api(`/production-orders/${open.order.id}/status`, { method: 'POST', body: { to, reason, version: open.order.version } })
    await openOrder(open.order.id)
    say($('change-status'), `Status changed: ${nameIn(result.order.orderType, result.from)} → ${nameIn(result.order.orderType, result.to)}.`, 'ok')
    await Promise.all([loadSummary(), loadOrders()])
  } catch (err) {
    say($('change-status'), messageOf(err), 'error')
  } finally {
    changeButton.disabled = false
  }
})

// ------------------------------------------------------------ scans
listenForScans(async (text) => {
  try {
    const found = await api('/lookup?barcode=' + encodeURIComponent(text.trim()))
    if (found.type !== 'production-order') return say(status, `${text.trim()} is a ${found.type} barcode; scan a production order (PO-) here.`, 'warning')
    say(status, `Opened ${text.trim()}.`, 'ok')
    await openOrder(found.record.id)
  } catch (err) {
    say(status, messageOf(err), 'error')
  }
})

async function init() {
  fillStationLinks()
  try {
    tracks = itemsOf(await api('/production-statuses'))
    for (const t of tracks) byId('f-track', HTMLSelectElement).append(el('option', { value: t.orderType }, trackName(t.orderType)))
    fillStatusFilter()
  } catch (err) {
    say(status, messageOf(err), 'error')
  }
  await Promise.all([loadSummary(), loadOrders()])
  const id = new URLSearchParams(location.search).get('order')
  if (id && /^\d+$/.test(id)) await openOrder(Number(id))
  document.body.dataset.ready = '1'
}
init()
