// @ts-check
// The station screen: lookup mode (the open record, close) or the Barcode Status Update screen.
// Scans arrive live from the station's scanners (SSE) and from keyboard-wedge scanners typing
// into this page (POST …/scans); both come back as scan results, shown once each (by scanId).
import { api, messageOf, isMissingRoute, itemsOf } from './api.js'
import { el, clear, say, badge, fmtTime, fmtDateTime, fmtDate, byId } from './dom.js'
import { listenForScans } from './wedge.js'
import { beep, setSound, soundEnabled } from './beep.js'
import { fillStationLinks } from './shell.js'
import { TYPE_NAMES, COLLECTIONS } from './vocabulary.js'

const $ = (id) => document.getElementById(id)
const name = document.body.dataset.station
const base = `/stations/${encodeURIComponent(name)}`
/** The station screen is short of room: a production order is just "Order" here. */
const SCREEN_NAMES = { ...TYPE_NAMES, 'production-order': 'Order' }
const OUTCOME_TEXT = { opened: 'opened', advanced: 'advanced', warning: 'warning', error: 'error', 'mode-changed': 'mode changed', closed: 'closed', undone: 'undone', 'batch-started': 'new batch' }
const FLAG_TEXT = { 'skips-steps': 'skips steps', backwards: 'backwards', 'leaves-hold': 'leaves hold' }
/** Outcomes that say what the station does rather than how a scan went: the banner stays neutral. */
const NEUTRAL = new Set(['closed', 'mode-changed', 'batch-started'])

let station = null
let statusNames = {}
const seen = new Set() // scanIds shown
let rows = [] // {result, tr, undone}
let currentBatch = 0 // the server's batch id at this station
let lastSetting = '' // mode and target as last shown: a change clears the banner
const records = new Map() // 'type:id' -> record, from scan results (a station token may not read records)

$('station-heading').textContent = `Station ${name}`

// ------------------------------------------------------------ sound
const soundButton = byId('sound', HTMLButtonElement)
function renderSound() {
  soundButton.setAttribute('aria-pressed', String(soundEnabled()))
  soundButton.textContent = soundEnabled() ? 'Sound on' : 'Sound off'
}
soundButton.addEventListener('click', () => {
  setSound(!soundEnabled())
  renderSound()
})
renderSound()

// ------------------------------------------------------------ mode cards
// A plain link works (the session cookie goes with it); the script fetches the PDF itself so a
// problem shows here rather than as JSON in a new tab, then opens it (or downloads it if the
// browser blocks the new tab).
const cardsLink = byId('mode-cards', HTMLAnchorElement)
cardsLink.href = `/api${base}/mode-cards?format=pdf`
let cardsUrl = null
cardsLink.addEventListener('click', async (e) => {
  e.preventDefault()
  const tab = window.open('', '_blank')
  say($('mode-status'), 'Making the mode cards…')
  try {
    const res = await fetch(cardsLink.href, { credentials: 'same-origin', headers: { accept: 'application/pdf' } })
    if (!res.ok) {
      const problem = await res.json().catch(() => null)
      throw new Error(problem?.detail ?? `HTTP ${res.status}`)
    }
    if (cardsUrl) URL.revokeObjectURL(cardsUrl)
    cardsUrl = URL.createObjectURL(new Blob([await res.arrayBuffer()], { type: 'application/pdf' }))
    if (tab) {
      tab.location.href = cardsUrl
      say($('mode-status'), 'Mode cards opened in a new tab: print them from there.', 'ok')
    } else {
      const a = el('a', { href: cardsUrl, download: `mode-cards-${name}.pdf` })
      document.body.append(a)
      a.click()
      a.remove()
      say($('mode-status'), `Mode cards downloaded as mode-cards-${name}.pdf.`, 'ok')
    }
  } catch (err) {
    tab?.close()
    say($('mode-status'), `The mode cards can’t be made: ${messageOf(err)}`, 'error')
  }
})

// ------------------------------------------------------------ mode and target
const modeForm = byId('mode-form', HTMLFormElement)
const targetSelect = byId('advance-to', HTMLSelectElement)

/** A radio group of the mode form. @param {string} name @returns {HTMLInputElement[]} */
const radios = (name) => [...modeForm.querySelectorAll(`input[type="radio"][name="${name}"]`)].filter((r) => r instanceof HTMLInputElement)

function renderStation() {
  if (!station) return
  for (const r of radios('mode')) r.checked = r.value === station.mode
  const advance = station.mode === 'advance'
  $('target-set').hidden = !advance
  const chosen = station.target === 'chosen' || !!station.advanceTo
  for (const r of radios('target')) r.checked = r.value === (chosen ? 'chosen' : 'next')
  targetSelect.value = station.advanceTo ?? ''
  targetSelect.disabled = !chosen
  $('backward-row').hidden = !advance || document.body.dataset.role !== 'admin'
  byId('allow-backward', HTMLInputElement).checked = !!station.allowBackward
  $('advance-panel').hidden = !advance
  $('lookup-panel').hidden = advance
  const batch = station.batch?.id ?? 0
  if (batch !== currentBatch) startBatch(batch)
  renderBatch()
  // After a change of mode or target the banner no longer shows the last batch's result.
  const setting = `${station.mode}|${chosen}|${station.advanceTo}`
  if (lastSetting && setting !== lastSetting) ready()
  lastSetting = setting
  renderOpenRecord()
}

/** What a scan does now, as the banner's resting text. */
function readyText() {
  if (!station) return 'Ready: scan a barcode.'
  if (station.mode === 'lookup') return 'Ready: scan a barcode to open its record.'
  if (station.target === 'chosen' && !station.advanceTo) return 'Pick the status each order goes to: scans are refused until you do.'
  if (station.advanceTo) return `Ready: each scan sets the order to ${statusNames[station.advanceTo] ?? station.advanceTo}.`
  return 'Ready: each scan moves the order to its next status.'
}
function ready() {
  const banner = $('last-scan')
  banner.className = station?.target === 'chosen' && !station?.advanceTo && station?.mode === 'advance' ? 'last-scan warning' : 'last-scan'
  banner.textContent = readyText()
}

function renderBatch() {
  const b = station?.batch
  $('batch-info').textContent = b ? `Batch ${b.id} · started ${fmtTime(b.startedAt)} · ends by itself after ${idleMinutes} minutes without a scan` : ''
}
let idleMinutes = 30

async function patchStation(patch, done) {
  try {
    station = { ...station, ...(await api(base, { method: 'PATCH', body: patch })) }
    renderStation()
    say($('mode-status'), done, 'ok')
  } catch (err) {
    renderStation() // back to what the server has
    say($('mode-status'), err.status === 403 ? `Only the station’s own token or an admin may change its mode (${messageOf(err)})` : messageOf(err), 'error')
  }
}

modeForm.addEventListener('change', (e) => {
  const t = /** @type {HTMLInputElement} */ (e.target)
  if (t.name === 'mode') patchStation({ mode: t.value }, t.value === 'advance' ? 'Barcode status update: each scan moves an order.' : 'Look-up mode: a scan opens the record.')
  else if (t.name === 'target') {
    if (t.value === 'next') patchStation({ target: 'next' }, 'Each scan moves the order to its next status.')
    else {
      // Nothing applies until a status is picked: the station refuses scans meanwhile.
      // The list is not focused for the person: a scanner typing into a focused list would pick a
      // status by its letters (type-ahead) before the scan arrives.
      targetSelect.value = ''
      targetSelect.disabled = false
      patchStation({ target: 'chosen' }, 'Pick the status each order goes to; scans are refused until you do.')
    }
  } else if (e.target === targetSelect) {
    if (targetSelect.value) patchStation({ advanceTo: targetSelect.value }, `Each scan sets the order to ${statusNames[targetSelect.value] ?? targetSelect.value}.`)
    else patchStation({ target: 'chosen' }, 'Pick the status each order goes to; scans are refused until you do.')
  } else if (t.id === 'allow-backward') {
    patchStation({ allowBackward: t.checked }, t.checked ? 'This station may move orders backwards, and out of their final status.' : 'This station refuses backward moves.')
  }
})
modeForm.addEventListener('submit', (e) => e.preventDefault())

// ------------------------------------------------------------ lookup mode
async function renderOpenRecord() {
  const open = station?.openRecord
  const dl = clear($('open-fields'))
  byId('close-record', HTMLButtonElement).disabled = !open
  $('open-none').hidden = !!open
  byId('open-at-desk', HTMLAnchorElement).hidden = !open || document.body.dataset.role === 'station'
  if (!open) {
    $('open-heading').textContent = 'Open record'
    return
  }
  byId('open-at-desk', HTMLAnchorElement).href = `/?r=${open.type}:${open.id}`
  try {
    const r = records.get(`${open.type}:${open.id}`) ?? (await api(`/${COLLECTIONS[open.type]}/${open.id}`))
    if (station.openRecord !== open) return
    $('open-heading').textContent = `Open: ${SCREEN_NAMES[open.type] ?? open.type} ${r.barcode ?? `#${r.number}`}`
    const add = (k, v) => v && dl.append(el('dt', {}, k), el('dd', {}, v))
    if (open.type === 'client') {
      add('Name', `${r.lastName}, ${r.firstName}`)
      add('Organization', r.organization)
      add('Phone', (r.phones || []).map((p) => p.number).join(', '))
      add('Email', r.email)
      add('Notes', r.notes)
    } else if (open.type === 'session') {
      add('Type', r.sessionType)
      add('When', fmtDateTime(r.startsAt))
      add('Photographer', r.photographer)
      add('Location', r.location)
      add('Status', r.status)
    } else if (open.type === 'invoice') {
      add('Type', r.invoiceType)
      add('Date', fmtDate(r.invoiceDate))
      if (r.totals) add('Balance due', (r.totals.balanceDue / 100).toLocaleString(undefined, { style: 'currency', currency: 'USD' }))
    } else {
      add('Status', statusNames[r.status] ?? r.status)
      add('Due', fmtDate(r.statusDueDate))
      add('Vendor', r.vendor)
    }
    add('Opened', fmtDateTime(open.openedAt))
  } catch (err) {
    dl.append(el('dt', {}, 'Record'), el('dd', {}, messageOf(err)))
  }
}

byId('close-record', HTMLButtonElement).addEventListener('click', async () => {
  try {
    station = { ...station, ...(await api(`${base}/close`, { method: 'POST' })) }
    renderStation()
    show({ outcome: 'closed', message: 'Record closed. Scan the next one.' })
  } catch (err) {
    show({ outcome: 'error', message: messageOf(err) })
  }
})

// ------------------------------------------------------------ results
function startBatch(id) {
  currentBatch = id
  rows = []
  clear(byId('scans-table', HTMLTableElement).tBodies[0])
  renderCounts()
}
const newBatchButton = byId('new-batch', HTMLButtonElement)
newBatchButton.addEventListener('click', async () => {
  newBatchButton.disabled = true
  try {
    station = { ...station, ...(await api(`${base}/batch`, { method: 'POST' })) }
    renderStation()
    show({ outcome: 'batch-started', message: `Batch ${station.batch.id} started: orders of the last batch may be scanned again.` })
  } catch (err) {
    show({ outcome: 'error', message: messageOf(err) })
  } finally {
    newBatchButton.disabled = false
  }
})

function toneOf(result) {
  if (result.outcome === 'error') return 'error'
  if (result.outcome === 'warning') return 'warning'
  return 'ok'
}

function recordLabel(r) {
  if (!r.record) return r.type ? SCREEN_NAMES[r.type] ?? r.type : ''
  return `${SCREEN_NAMES[r.type] ?? ''} ${r.record.barcode ?? `#${r.record.number}`}`.trim()
}

function statusCell(r) {
  if (r.from || r.to) {
    return el('span', {}, r.fromName ?? statusNames[r.from] ?? r.from ?? '', el('span', { class: 'arrow', 'aria-label': 'to' }, '→'), el('strong', {}, r.toName ?? statusNames[r.to] ?? r.to ?? ''))
  }
  return r.status ? r.status.name : ''
}

function sentence(r) {
  const what = recordLabel(r) || r.data
  switch (r.outcome) {
    case 'advanced': {
      const flags = (r.flags || []).map((f) => FLAG_TEXT[f] ?? f)
      return `${what}: ${r.fromName ?? r.from} → ${r.toName ?? r.to}${flags.length ? ` (${flags.join(', ')})` : ''}${r.client ? ` · ${r.client.name}` : ''}${r.alsoMovedAt ? ` · station ${r.alsoMovedAt} moved it just before` : ''}`
    }
    case 'opened':
      return `Opened ${what}${r.client ? ` · ${r.client.name}` : ''}${r.replaced ? ' (in place of the record open before)' : ''}`
    case 'undone':
      return r.message || `Undone: ${what} back to ${r.toName ?? r.to}`
    default:
      return `${r.outcome === 'error' ? 'Error' : r.outcome === 'warning' ? 'Warning' : ''}${r.outcome === 'error' || r.outcome === 'warning' ? ': ' : ''}${r.message || r.code || r.outcome}${r.status && (r.outcome === 'warning' || r.outcome === 'error') ? ` (now ${r.status.name})` : ''}`
  }
}

/** The big banner (announced) and the sound. */
function show(r) {
  const banner = $('last-scan')
  banner.className = `last-scan ${NEUTRAL.has(r.outcome) ? '' : r.outcome === 'undone' ? 'warning' : toneOf(r) === 'ok' ? r.outcome : toneOf(r)}`
  banner.textContent = sentence(r)
}

function addResult(r, { quiet = false } = {}) {
  if (typeof r.scanId === 'number') {
    if (seen.has(r.scanId)) return
    seen.add(r.scanId)
  }
  if (r.record && r.type) records.set(`${r.type}:${r.record.id}`, r.record)
  // A scan of a newer batch (the last one ended by itself after the idle time): a fresh list.
  if (typeof r.batch === 'number' && r.batch > currentBatch) {
    startBatch(r.batch)
    if (!quiet) refreshStation()
  }
  if (!quiet) {
    show(r)
    beep(r.outcome === 'undone' ? 'warning' : toneOf(r) === 'ok' ? 'ok' : toneOf(r))
  }
  if (r.outcome === 'undone') {
    const target = rows.find((x) => x.result.outcome === 'advanced' && !x.undone && x.result.record?.id === r.record?.id)
    if (target) {
      target.undone = true
      target.tr.classList.add('undone')
      target.tr.querySelector('.outcome').append(' ', badge('undone', 'warning'))
    }
  }
  if (!quiet && (r.outcome === 'mode-changed' || r.outcome === 'closed' || r.outcome === 'opened' || r.outcome === 'batch-started')) refreshStation()
  const tr = el(
    'tr',
    { class: toneOf(r) === 'ok' ? '' : toneOf(r), 'data-scan-id': r.scanId },
    el('td', {}, fmtTime(r.at)),
    el('td', {}, el('code', {}, r.data)),
    el('td', {}, recordLabel(r)),
    el('td', {}, r.client?.name ?? ''),
    el('td', {}, statusCell(r)),
    el(
      'td',
      { class: 'outcome' },
      badge(OUTCOME_TEXT[r.outcome] ?? r.outcome, r.outcome === 'undone' ? 'warning' : r.outcome),
      (r.flags || []).flatMap((f) => [' ', badge(FLAG_TEXT[f] ?? f, 'warning')]),
      r.alsoMovedAt ? [' ', badge(`also moved at ${r.alsoMovedAt}`, 'warning')] : '',
      r.outcome === 'advanced' || r.outcome === 'opened' ? '' : el('div', {}, r.message || r.code || ''),
    ),
  )
  rows.unshift({ result: r, tr })
  byId('scans-table', HTMLTableElement).tBodies[0].prepend(tr)
  while (rows.length > 500) rows.pop().tr.remove()
  renderCounts()
}

function renderCounts() {
  const count = (f) => rows.filter(f).length
  $('count-advanced').textContent = String(count((x) => x.result.outcome === 'advanced' && !x.undone))
  $('count-warnings').textContent = String(count((x) => x.result.outcome === 'warning'))
  $('count-errors').textContent = String(count((x) => x.result.outcome === 'error'))
  // The server undoes the batch's last advance once: the newest advance-or-undo decides.
  const top = rows.find((x) => x.result.outcome === 'advanced' || x.result.outcome === 'undone')
  byId('undo', HTMLButtonElement).disabled = !(top && top.result.outcome === 'advanced' && !top.undone)
}

byId('undo', HTMLButtonElement).addEventListener('click', async () => {
  try {
    addResult(await api(`${base}/undo`, { method: 'POST' }))
  } catch (err) {
    const warning = err.code === 'NOTHING_TO_UNDO'
    show({ outcome: warning ? 'warning' : 'error', message: messageOf(err) })
    beep(warning ? 'warning' : 'error')
  }
})

// ------------------------------------------------------------ scans from this page
async function postScan(data) {
  const text = data.trim()
  if (!text) return
  $('last-scan').className = 'last-scan'
  $('last-scan').textContent = `Scanning ${text}…`
  try {
    addResult(await api(`${base}/scans`, { method: 'POST', body: { data: text } }))
  } catch (err) {
    show({ outcome: 'error', message: messageOf(err) })
    beep('error')
  }
}
listenForScans(postScan)
byId('manual-form', HTMLFormElement).addEventListener('submit', (e) => {
  e.preventDefault()
  const input = byId('manual-input', HTMLInputElement)
  postScan(input.value)
  input.value = ''
})

// ------------------------------------------------------------ live events
let source = null
function connect() {
  source = new EventSource(`/api${base}/events`)
  const conn = $('conn')
  source.addEventListener('open', () => {
    conn.replaceChildren(badge('live', 'connected'))
    document.body.dataset.live = '1'
  })
  source.addEventListener('error', () => {
    conn.replaceChildren(badge('reconnecting…', 'disconnected'))
    delete document.body.dataset.live
    // Closed for good (signed out, station gone): find out why, then try again later.
    if (source.readyState === EventSource.CLOSED) {
      refreshStation().then((ok) => ok && setTimeout(connect, 3000))
    }
  })
  source.addEventListener('message', (e) => {
    try {
      addResult(JSON.parse(e.data))
    } catch {}
  })
  // The server's scan log is behind what this page saw (a restore, a new database): start over.
  source.addEventListener('resync', () => location.reload())
  source.addEventListener('station', (e) => {
    try {
      const s = JSON.parse(e.data)
      if (s.deleted) return problem('This station was deleted.')
      station = { ...station, ...s }
      renderStation()
    } catch {}
  })
  source.addEventListener('scanner', (e) => {
    try {
      const s = JSON.parse(e.data)
      scannerStates[s.scanner] = s
      renderScanners()
    } catch {}
  })
}

const scannerStates = {}
function renderScanners() {
  const box = clear($('scanner-states'))
  for (const [n, s] of Object.entries(scannerStates)) {
    // Another server's scanner that reported nothing lately: say so, never "disconnected".
    const state = s.connected === undefined ? 'unknown' : s.connected ? 'connected' : 'disconnected'
    box.append(badge(`${n}: ${state === 'unknown' ? 'no state reported' : state}`, state), ' ')
  }
}

function problem(text) {
  const p = $('station-problem')
  p.textContent = text
  p.hidden = !text
}

async function refreshStation() {
  try {
    const s = await api(base)
    station = s
    for (const sc of s.scanners || []) scannerStates[sc.name] = { scanner: sc.name, ...(sc.state || {}) }
    renderScanners()
    renderStation()
    return true
  } catch (err) {
    if (isMissingRoute(err)) problem('Scanner stations are not available on this server yet: this screen can’t take scans.')
    else if (err.status === 404) problem(`There is no station “${name}”. An admin can add it under Settings.`)
    else problem(messageOf(err))
    return false
  }
}

async function init() {
  fillStationLinks()
  try {
    const tracks = itemsOf(await api('/production-statuses'))
    const seenKeys = new Set()
    for (const track of tracks) {
      for (const s of track.statuses) {
        statusNames[s.key] ??= s.name
        if (seenKeys.has(s.key)) continue
        seenKeys.add(s.key)
        targetSelect.append(el('option', { value: s.key }, track.orderType === 'default' ? s.name : `${s.name} (${track.orderType})`))
      }
    }
  } catch {}
  try {
    idleMinutes = (await api('/preferences/scanning')).batchIdleMinutes ?? idleMinutes
  } catch {}
  if (!(await refreshStation())) {
    modeForm.hidden = true
    byId('manual-form', HTMLFormElement).hidden = true
    document.body.dataset.ready = '1'
    return
  }
  try {
    const recent = itemsOf(await api(`${base}/scans?limit=100`))
    recent.sort((a, b) => a.scanId - b.scanId)
    for (const r of recent) if (r.batch === currentBatch) addResult(r, { quiet: true })
  } catch {}
  ready()
  connect()
  document.body.dataset.ready = '1'
}
init()
