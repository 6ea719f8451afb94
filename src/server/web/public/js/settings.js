// Settings: barcoding preferences, status tracks, printers (live status), scanners, stations, tokens.
import { api, messageOf, isMissingRoute, itemsOf } from './api.js'
import { el, clear, say, badge, fmtDateTime } from './dom.js'
import { fillStationLinks } from './shell.js'

const $ = (id) => document.getElementById(id)
const PREFS = ['clientPrintouts', 'sessionPrintouts', 'invoicePrintouts', 'productionOrders']
const formData = (form) => Object.fromEntries(new FormData(form).entries())

// ---- Barcoding
const bform = $('barcoding-form')
async function loadBarcoding() {
  try {
    const prefs = await api('/preferences/barcoding')
    for (const k of PREFS) bform.elements[k].checked = !!prefs[k]
    if (prefs.symbology) bform.elements.symbology.value = prefs.symbology
  } catch (err) {
    say($('barcoding-status'), messageOf(err), 'error')
  }
}
bform.addEventListener('submit', async (e) => {
  e.preventDefault()
  const body = Object.fromEntries(PREFS.map((k) => [k, bform.elements[k].checked]))
  body.symbology = bform.elements.symbology.value
  try {
    await api('/preferences/barcoding', { method: 'PUT', body })
    say($('barcoding-status'), 'Barcoding saved. Printouts from now on follow it.', 'ok')
  } catch (err) {
    say($('barcoding-status'), messageOf(err), 'error')
  }
})

// ---- Status tracks (read-only here; the API edits them)
const KIND = { initial: 'first', normal: '', final: 'last', hold: 'on hold (outside the sequence)', terminal: 'ends the order' }
async function loadTracks() {
  try {
    const box = clear($('tracks'))
    for (const track of itemsOf(await api('/production-statuses'))) {
      box.append(
        el(
          'div',
          { class: 'table-wrap' },
          el(
            'table',
            {},
            el('caption', {}, track.orderType === 'default' ? 'Default track (every order type without its own)' : `Order type: ${track.orderType}`),
            el('thead', {}, el('tr', {}, ['#', 'Status', 'Key', 'Kind', 'Days'].map((h) => el('th', { scope: 'col' }, h)))),
            el(
              'tbody',
              {},
              track.statuses.map((s) => el('tr', {}, el('td', { class: 'num' }, s.sort ?? '–'), el('td', {}, s.name), el('td', {}, el('code', {}, s.key)), el('td', {}, KIND[s.kind] ?? s.kind), el('td', { class: 'num' }, s.durationDays))),
            ),
          ),
        ),
      )
    }
    say($('tracks-status'), 'Tracks are edited with PUT /api/production-statuses (admin).')
  } catch (err) {
    say($('tracks-status'), messageOf(err), 'error')
  }
}

// ---- Printers, live
async function loadPrinters() {
  const tbody = $('printers-table').tBodies[0]
  try {
    const printers = itemsOf(await api('/printers'))
    const rows = printers.map((p) => {
      const st = p.status || {}
      const reasons = (st.reasons || []).filter((r) => r !== 'none')
      return el(
        'tr',
        { 'data-printer': p.name },
        el('td', {}, p.name),
        el('td', {}, (p.language || '').toUpperCase()),
        el('td', { class: 'opt' }, el('code', {}, p.uri || '')),
        el('td', {}, badge(st.state || 'unknown'), reasons.length ? el('div', { class: 'hint' }, reasons.join(', ')) : null),
      )
    })
    clear(tbody).append(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '4' }, 'No printers yet.'))]))
    if ($('printers-status').classList.contains('error')) say($('printers-status'), '')
    return true
  } catch (err) {
    say($('printers-status'), isMissingRoute(err) ? 'Printing is not available on this server yet.' : messageOf(err), isMissingRoute(err) ? 'warning' : 'error')
    return !isMissingRoute(err)
  }
}
$('printer-form').addEventListener('submit', async (e) => {
  e.preventDefault()
  try {
    const body = formData(e.target)
    await api('/printers', { method: 'POST', body })
    say($('printers-status'), `Printer ${body.name} added.`, 'ok')
    e.target.reset()
    loadPrinters()
  } catch (err) {
    say($('printers-status'), messageOf(err), 'error')
  }
})

// ---- Stations and scanners
async function loadStations() {
  const tbody = $('stations-table').tBodies[0]
  const select = $('scanner-station')
  try {
    const stations = itemsOf(await api('/stations'))
    clear(select).append(...stations.map((s) => el('option', { value: s.name }, s.name)))
    const rows = stations.map((s) =>
      el(
        'tr',
        {},
        el('td', {}, el('a', { href: `/stations/${encodeURIComponent(s.name)}` }, s.name)),
        el('td', {}, s.mode === 'advance' ? 'Barcode status update' : 'Look up records'),
        el('td', {}, s.mode === 'advance' ? (s.advanceTo ? `set to ${s.advanceTo}` : 'next status') : 'opens the record'),
      ),
    )
    clear(tbody).append(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '3' }, 'No stations yet.'))]))
  } catch (err) {
    say($('stations-status'), isMissingRoute(err) ? 'Scanner stations are not available on this server yet.' : messageOf(err), isMissingRoute(err) ? 'warning' : 'error')
  }
}
$('station-form').addEventListener('submit', async (e) => {
  e.preventDefault()
  try {
    const body = formData(e.target)
    await api('/stations', { method: 'POST', body })
    say($('stations-status'), `Station ${body.name} added.`, 'ok')
    e.target.reset()
    loadStations()
  } catch (err) {
    say($('stations-status'), messageOf(err), 'error')
  }
})

async function loadScanners() {
  const tbody = $('scanners-table').tBodies[0]
  try {
    const scanners = itemsOf(await api('/scanners'))
    const rows = scanners.map((s) => {
      const state = s.state ?? s.status ?? {}
      const connected = typeof state === 'string' ? state : state.connected === undefined ? null : state.connected ? 'connected' : 'disconnected'
      const lastError = state.lastError ?? s.lastError
      const lastScan = state.lastScanAt ?? state.lastScan?.at ?? s.lastScanAt
      return el(
        'tr',
        {},
        el('td', {}, s.name),
        el('td', {}, s.station),
        el('td', { class: 'opt' }, el('code', {}, s.uri || '')),
        el(
          'td',
          {},
          connected ? badge(connected) : '',
          lastScan ? el('div', { class: 'hint' }, `last scan ${fmtDateTime(lastScan)}`) : null,
          lastError ? el('div', { class: 'hint error-text' }, typeof lastError === 'string' ? lastError : lastError.message ?? JSON.stringify(lastError)) : null,
        ),
      )
    })
    clear(tbody).append(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '4' }, 'No scanners yet.'))]))
  } catch (err) {
    say($('scanners-status'), isMissingRoute(err) ? 'Scanners are not available on this server yet.' : messageOf(err), isMissingRoute(err) ? 'warning' : 'error')
  }
}
$('scanner-form').addEventListener('submit', async (e) => {
  e.preventDefault()
  try {
    const body = formData(e.target)
    await api('/scanners', { method: 'POST', body })
    say($('scanners-status'), `Scanner ${body.name} added.`, 'ok')
    e.target.reset()
    loadScanners()
  } catch (err) {
    say($('scanners-status'), messageOf(err), 'error')
  }
})

// ---- Tokens
async function loadTokens() {
  const tbody = $('tokens-table').tBodies[0]
  try {
    const tokens = itemsOf(await api('/tokens'))
    clear(tbody).append(
      ...tokens.map((t) =>
        el(
          'tr',
          {},
          el('td', { class: 'num' }, t.id),
          el('td', {}, t.role),
          el('td', {}, t.station ?? ''),
          el('td', {}, t.label ?? ''),
          el('td', { class: 'opt' }, fmtDateTime(t.createdAt)),
          el('td', {}, t.revokedAt ? badge('revoked', 'error') : badge('active', 'completed')),
          el(
            'td',
            {},
            t.revokedAt
              ? ''
              : el(
                  'button',
                  {
                    type: 'button',
                    class: 'danger',
                    'aria-label': `Revoke token ${t.id}${t.label ? ` (${t.label})` : ''}`,
                    onclick: async () => {
                      if (!confirm(`Revoke token ${t.id}${t.label ? ` (${t.label})` : ''}? Whoever uses it is signed out at once.`)) return
                      try {
                        await api(`/tokens/${t.id}`, { method: 'DELETE' })
                        say($('tokens-status'), `Token ${t.id} revoked.`, 'ok')
                        loadTokens()
                      } catch (err) {
                        say($('tokens-status'), messageOf(err), 'error')
                      }
                    },
                  },
                  'Revoke',
                ),
          ),
        ),
      ),
    )
  } catch (err) {
    say($('tokens-status'), err.status === 403 ? 'Only an admin sees the tokens.' : messageOf(err), 'warning')
  }
}
$('token-role').addEventListener('change', (e) => {
  $('token-station-wrap').hidden = e.target.value !== 'station'
  $('token-station').required = e.target.value === 'station'
})
$('token-form').addEventListener('submit', async (e) => {
  e.preventDefault()
  const body = formData(e.target)
  if (body.role !== 'station') delete body.station
  if (!body.label) delete body.label
  const out = clear($('token-secret'))
  try {
    const { id, token } = await api('/tokens', { method: 'POST', body })
    out.append(el('p', {}, `Token ${id} made. Copy it now: it is not shown again.`), el('p', { class: 'secret' }, token))
    e.target.reset()
    $('token-station-wrap').hidden = true
    loadTokens()
  } catch (err) {
    say($('tokens-status'), messageOf(err), 'error')
  }
})

async function init() {
  fillStationLinks()
  await Promise.all([loadBarcoding(), loadTracks(), loadStations(), loadScanners(), loadTokens()])
  const printersLive = await loadPrinters()
  document.body.dataset.ready = '1'
  if (printersLive) {
    setInterval(() => {
      if (!document.hidden) loadPrinters()
    }, 3000)
    setInterval(() => {
      if (!document.hidden) loadScanners()
    }, 5000)
  }
}
init()
