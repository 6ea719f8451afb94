// Settings: studio header and logo, barcoding preferences, status tracks (edited here), printers
// (live status), scanners, stations, tokens.
import { api, messageOf, isMissingRoute, itemsOf, problemLines } from './api.js'
import { el, clear, say, badge, fmtDateTime } from './dom.js'
import { fillStationLinks } from './shell.js'
import { confirmDialog } from './confirm.js'

const $ = (id) => document.getElementById(id)
const PREFS = ['clientPrintouts', 'sessionPrintouts', 'invoicePrintouts', 'productionOrders']
const formData = (form) => Object.fromEntries(new FormData(form).entries())

/**
 * A message with the server's own list of what is wrong under it (problem+json `details.problems`),
 * and `extra` nodes (e.g. links to stranded orders). Text only, never markup.
 */
function sayProblem(node, err, extra = []) {
  const lines = problemLines(err)
  clear(node)
  node.className = node.className.replace(/\b(ok|warning|error)\b/g, '').trim()
  node.classList.add('error')
  // A validation detail repeats the list after a colon: the list below says it once, line by line.
  const detail = messageOf(err)
  const at = lines.length ? detail.indexOf(lines[0]) : -1
  node.append(el('p', { class: 'lead' }, at > 0 ? detail.slice(0, at).replace(/[:;\s]+$/, '.') : detail))
  if (lines.length) node.append(el('ul', { class: 'problems' }, lines.map((l) => el('li', {}, l))))
  node.append(...extra)
}

/**
 * Puts rows in a table body keyed by `key`: rows whose signature did not change stay as they are
 * (so live refreshes don't steal the focus); a changed row is rebuilt and gets its focus back.
 */
function syncRows(tbody, items, key, build, emptyText, columns) {
  if (!items.length) {
    clear(tbody).append(el('tr', {}, el('td', { colspan: String(columns) }, emptyText)))
    return
  }
  const old = new Map([...tbody.rows].filter((r) => r.dataset.key !== undefined).map((r) => [r.dataset.key, r]))
  const focused = document.activeElement
  const focusRow = focused && tbody.contains(focused) ? focused.closest('tr') : null
  const focusLabel = focusRow ? focused.getAttribute('aria-label') || focused.id : null
  const rows = items.map((item) => {
    const k = key(item)
    const sig = JSON.stringify(item)
    const before = old.get(k)
    if (before && before.dataset.sig === sig) return before
    const tr = build(item)
    tr.dataset.key = k
    tr.dataset.sig = sig
    return tr
  })
  // Only touch the DOM where something changed.
  const same = rows.length === tbody.rows.length && rows.every((r, i) => tbody.rows[i] === r)
  if (!same) tbody.replaceChildren(...rows)
  if (focusRow && !focusRow.isConnected && focusLabel) {
    const again = tbody.querySelector(`tr[data-key="${CSS.escape(focusRow.dataset.key)}"] [aria-label="${CSS.escape(focusLabel)}"], #${CSS.escape(focusLabel)}`)
    again?.focus()
  }
}

// ------------------------------------------------------------------ Studio header
const sform = $('studio-form')
const STUDIO_FIELDS = { name: 'studio-name', addressLines: 'studio-address', phone: 'studio-phone', email: 'studio-email', paper: 'studio-paper', timeZone: 'studio-tz', currency: 'studio-currency', photographerFees: 'studio-fees' }

function markInvalid(form, fieldIds, err) {
  for (const id of Object.values(fieldIds)) $(id).removeAttribute('aria-invalid')
  const problems = err?.problem?.details?.problems
  for (const p of Array.isArray(problems) ? problems : []) {
    const field = p && typeof p === 'object' && typeof p.path === 'string' ? p.path.split('.')[0] : null
    if (field && fieldIds[field]) $(fieldIds[field]).setAttribute('aria-invalid', 'true')
  }
  form.querySelector('[aria-invalid="true"]')?.focus()
}

function fillStudio(studio) {
  sform.elements.name.value = studio.name ?? ''
  sform.elements.addressLines.value = (studio.addressLines ?? []).join('\n')
  sform.elements.phone.value = studio.phone ?? ''
  sform.elements.email.value = studio.email ?? ''
  sform.elements.paper.value = studio.paper ?? 'letter'
  sform.elements.timeZone.value = studio.timeZone ?? ''
  sform.elements.currency.value = studio.currency ?? 'USD'
  sform.elements.photographerFees.checked = !!studio.photographerFees
  // Until the studio chooses its zone, printouts use the server's: ask, with that zone filled in.
  const ask = $('tz-ask')
  ask.hidden = studio.timeZoneSet !== false
  ask.textContent = studio.timeZoneSet === false ? `No time zone is chosen yet: printouts show session times in the server’s zone, ${studio.timeZone}. Check it is the studio’s, then save.` : ''
  if (studio.timeZoneSet === false) $('studio-tz').setAttribute('aria-describedby', 'tz-ask studio-tz-hint')
  else $('studio-tz').setAttribute('aria-describedby', 'studio-tz-hint')
  showLogo(!!studio.hasLogo)
}

async function loadStudio() {
  try {
    fillStudio(await api('/preferences/studio'))
  } catch (err) {
    say($('studio-status'), messageOf(err), 'error')
  }
}

sform.addEventListener('submit', async (e) => {
  e.preventDefault()
  const f = sform.elements
  const body = {
    name: f.name.value.trim(),
    addressLines: f.addressLines.value.split('\n').map((l) => l.trim()).filter(Boolean),
    phone: f.phone.value.trim(),
    email: f.email.value.trim() || null,
    paper: f.paper.value,
    photographerFees: f.photographerFees.checked,
    timeZone: f.timeZone.value.trim(),
    currency: f.currency.value.trim(),
  }
  const button = sform.querySelector('button[type=submit]')
  button.disabled = true
  try {
    const saved = await api('/preferences/studio', { method: 'PUT', body })
    fillStudio(saved)
    markInvalid(sform, STUDIO_FIELDS, null)
    say($('studio-status'), `Studio header saved (time zone ${saved.timeZone}, currency ${saved.currency}). Printouts from now on show it.`, 'ok')
  } catch (err) {
    sayProblem($('studio-status'), err)
    markInvalid(sform, STUDIO_FIELDS, err)
  } finally {
    button.disabled = false
  }
})

// ---- Logo
const MAX_LOGO = 1024 * 1024
const logoFile = $('logo-file')
let hasLogo = false

function showLogo(present) {
  hasLogo = present
  const img = $('logo-img')
  $('logo-remove').disabled = !present
  $('logo-none').hidden = present
  if (present) {
    img.src = `/api/preferences/studio/logo?v=${Date.now()}`
    img.alt = 'The studio logo as printouts show it'
    img.hidden = false
  } else {
    img.hidden = true
    img.removeAttribute('src')
  }
}

logoFile.addEventListener('change', () => {
  const file = logoFile.files?.[0]
  $('logo-upload').disabled = !file
  if (!file) return say($('logo-status'), '')
  if (file.size > MAX_LOGO) return say($('logo-status'), `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the logo may be at most 1 MB.`, 'error')
  say($('logo-status'), `${file.name} (${Math.ceil(file.size / 1024)} KB) is ready: press Upload logo.`)
})

$('logo-upload').addEventListener('click', async () => {
  const file = logoFile.files?.[0]
  const status = $('logo-status')
  if (!file) return say(status, 'Choose a PNG image first.', 'warning')
  if (file.size > MAX_LOGO) return say(status, `${file.name} is larger than 1 MB; choose a smaller image.`, 'error')
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer())
  if (![0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => head[i] === b)) return say(status, `${file.name} is not a PNG image.`, 'error')
  $('logo-upload').disabled = true
  say(status, `Uploading ${file.name}…`)
  try {
    await api('/preferences/studio/logo', { method: 'PUT', raw: file, contentType: 'image/png' })
    showLogo(true)
    logoFile.value = ''
    say(status, 'Logo saved. Printouts from now on carry it.', 'ok')
  } catch (err) {
    $('logo-upload').disabled = false
    if (isMissingRoute(err)) say(status, 'This server can’t store a logo yet.', 'warning')
    else sayProblem(status, err)
  }
})

$('logo-remove').addEventListener('click', async (e) => {
  if (!hasLogo) return
  const yes = await confirmDialog({ title: 'Remove the logo?', message: 'Printouts from now on show the studio name without a logo. You can upload it again later.', confirmLabel: 'Remove logo', returnFocus: e.currentTarget })
  if (!yes) return
  try {
    await api('/preferences/studio/logo', { method: 'DELETE' })
    showLogo(false)
    say($('logo-status'), 'Logo removed.', 'ok')
    logoFile.focus()
  } catch (err) {
    sayProblem($('logo-status'), err)
  }
})

// ------------------------------------------------------------------ Barcoding
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

// ------------------------------------------------------------------ Status tracks (editable)
const KINDS = [
  ['initial', 'First'],
  ['normal', 'In between'],
  ['final', 'Last'],
  ['hold', 'On hold'],
  ['terminal', 'Ends the order'],
]
const IN_SEQUENCE = new Set(['initial', 'normal', 'final'])
const tracksForm = $('tracks-form')
let savedTracks = [] // as the server has them
let draft = [] // being edited: [{orderType, isNew, statuses: [{key, name, sort, durationDays, kind, isNew, keyTouched}]}]
let statusNames = {}
let dirty = false

const slug = (text) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')

const trackTitle = (t) => (t.orderType === 'default' ? 'Default track' : `Track for ${t.orderType || 'a new order type'}`)
const trackShort = (t) => (t.orderType === 'default' ? 'default track' : `${t.orderType || 'new'} track`)

/** Statuses in the order a person reads them: the sequence by sort order, then those outside it. */
function ordered(statuses) {
  const seq = statuses.filter((s) => s.sort !== null).sort((a, b) => a.sort - b.sort)
  return [...seq, ...statuses.filter((s) => s.sort === null)]
}

function toDraft(tracks) {
  return tracks.map((t) => ({ orderType: t.orderType, isNew: false, statuses: ordered(t.statuses).map((s) => ({ ...s, isNew: false, keyTouched: true })) }))
}

function setDirty(on) {
  dirty = on
  $('tracks-dirty').hidden = !on
}

function rowLabel(track, s, index) {
  return `${s.key || `new status ${index + 1}`}, ${trackShort(track)}`
}

function statusRow(track, s, index) {
  const who = rowLabel(track, s, index)
  const sortInput = el('input', {
    type: 'number',
    min: '0',
    max: '100000',
    step: '1',
    inputmode: 'numeric',
    class: 'sort',
    value: s.sort ?? '',
    disabled: !IN_SEQUENCE.has(s.kind),
    'aria-label': `Sort order of ${who}`,
    oninput: (e) => {
      s.sort = e.target.value === '' ? null : Number(e.target.value)
      setDirty(true)
    },
  })
  const keyCell = s.isNew
    ? el('input', {
        class: 'key',
        value: s.key,
        maxlength: '40',
        spellcheck: 'false',
        'aria-label': `Key of ${who}`,
        oninput: (e) => {
          s.key = e.target.value.trim()
          s.keyTouched = true
          setDirty(true)
        },
      })
    : el('code', {}, s.key)
  const nameInput = el('input', {
    class: 'name',
    value: s.name,
    maxlength: '80',
    required: true,
    'aria-label': `Name of ${who}`,
    oninput: (e) => {
      s.name = e.target.value
      if (s.isNew && !s.keyTouched && keyCell instanceof HTMLInputElement) {
        s.key = slug(s.name)
        keyCell.value = s.key
      }
      setDirty(true)
    },
  })
  const kindSelect = el(
    'select',
    {
      'aria-label': `Kind of ${who}`,
      onchange: (e) => {
        s.kind = e.target.value
        if (!IN_SEQUENCE.has(s.kind)) s.sort = null
        else if (s.sort === null) s.sort = nextSort(track)
        sortInput.value = s.sort ?? ''
        sortInput.disabled = !IN_SEQUENCE.has(s.kind)
        setDirty(true)
      },
    },
    KINDS.map(([value, text]) => el('option', { value, selected: value === s.kind }, text)),
  )
  const daysInput = el('input', {
    type: 'number',
    min: '0',
    max: '3650',
    step: '1',
    inputmode: 'numeric',
    class: 'days',
    value: s.durationDays ?? '',
    'aria-label': `Days in ${who}`,
    oninput: (e) => {
      s.durationDays = e.target.value === '' ? null : Number(e.target.value)
      setDirty(true)
    },
  })
  const remove = el(
    'button',
    {
      type: 'button',
      class: 'danger small',
      'aria-label': `Remove ${s.name ? `${s.name} (${who})` : who}`,
      onclick: () => {
        const i = track.statuses.indexOf(s)
        track.statuses.splice(i, 1)
        setDirty(true)
        renderTracks()
        say($('tracks-status'), `${s.name || 'The new status'} removed from the ${trackShort(track)}. Save to keep the change.`)
        // Focus stays in the table: the row that took its place, else the add button.
        const t = draft.indexOf(track)
        const rows = $('tracks').querySelectorAll(`[data-track="${t}"] tbody tr`)
        ;(rows[Math.min(i, rows.length - 1)]?.querySelector('input.name') ?? $('tracks').querySelector(`[data-track="${t}"] .add-status`))?.focus()
      },
    },
    'Remove',
  )
  return el(
    'tr',
    { 'data-status': s.key, class: s.isNew ? 'new' : null },
    el('td', {}, nameInput),
    el('td', {}, keyCell),
    el('td', {}, kindSelect),
    el('td', { class: 'num' }, sortInput),
    el('td', { class: 'num' }, daysInput),
    el('td', {}, remove),
  )
}

function nextSort(track) {
  const sorts = track.statuses.map((s) => s.sort).filter((n) => typeof n === 'number')
  return sorts.length ? Math.max(...sorts) + 10 : 10
}

function renderTracks() {
  const box = clear($('tracks'))
  draft.forEach((track, t) => {
    const title = trackTitle(track)
    const captionId = `track-${t}-caption`
    box.append(
      el(
        'div',
        { class: 'track', 'data-track': t, 'data-order-type': track.orderType },
        el(
          'div',
          { class: 'table-wrap' },
          el(
            'table',
            { class: 'track-table', 'aria-labelledby': captionId },
            el('caption', { id: captionId }, title, track.isNew ? ' (not saved yet)' : ''),
            el('thead', {}, el('tr', {}, ['Name', 'Key', 'Kind', 'Sort order', 'Days'].map((h) => el('th', { scope: 'col', class: h === 'Sort order' || h === 'Days' ? 'num' : null }, h)), el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Actions')))),
            el('tbody', {}, track.statuses.map((s, i) => statusRow(track, s, i))),
          ),
        ),
        el(
          'div',
          { class: 'row' },
          el(
            'button',
            {
              type: 'button',
              class: 'add-status',
              onclick: () => {
                track.statuses.push({ key: '', name: '', sort: nextSort(track), durationDays: 1, kind: 'normal', isNew: true, keyTouched: false })
                setDirty(true)
                renderTracks()
                const rows = $('tracks').querySelectorAll(`[data-track="${t}"] tbody tr`)
                rows[rows.length - 1]?.querySelector('input.name')?.focus()
              },
            },
            `Add a status to the ${trackShort(track)}`,
          ),
          track.orderType === 'default'
            ? null
            : el(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  onclick: async (e) => {
                    const yes = await confirmDialog({
                      title: `Remove the ${trackShort(track)}?`,
                      message: `Orders of type ${track.orderType} then follow the default track. Nothing changes until you save the status tracks.`,
                      confirmLabel: 'Remove track',
                      returnFocus: e.currentTarget,
                    })
                    if (!yes) return
                    draft.splice(draft.indexOf(track), 1)
                    setDirty(true)
                    renderTracks()
                    say($('tracks-status'), `The ${trackShort(track)} is removed from the list. Save to keep the change.`)
                    $('new-order-type').focus()
                  },
                },
                `Remove the ${trackShort(track)}`,
              ),
        ),
      ),
    )
  })
}

/** Status names per order type: a key two tracks share may be named differently in each. */
function fillStatusNames(tracks) {
  statusNames = {}
  for (const track of tracks) statusNames[track.orderType] = Object.fromEntries(track.statuses.map((s) => [s.key, s.name]))
}

/** A status by the name its order type's track gives it (default: the default track's, else any track's). */
function statusNameOf(key, orderType = 'default') {
  const own = statusNames[orderType]?.[key] ?? statusNames.default?.[key]
  if (own) return own
  for (const names of Object.values(statusNames)) if (names[key]) return names[key]
  return key
}

async function loadTracks() {
  try {
    savedTracks = itemsOf(await api('/production-statuses'))
    fillStatusNames(savedTracks)
    draft = toDraft(savedTracks)
    setDirty(false)
    renderTracks()
  } catch (err) {
    say($('tracks-status'), messageOf(err), 'error')
  }
}

$('add-track').addEventListener('click', () => {
  const input = $('new-order-type')
  const type = input.value.trim().toLowerCase()
  const status = $('tracks-status')
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(type)) {
    input.setAttribute('aria-invalid', 'true')
    input.focus()
    return say(status, 'An order type is lowercase letters, digits and dashes (at most 40), e.g. yearbook.', 'error')
  }
  if (draft.some((t) => t.orderType === type)) {
    input.setAttribute('aria-invalid', 'true')
    input.focus()
    return say(status, `There is already a track for ${type}.`, 'error')
  }
  input.removeAttribute('aria-invalid')
  const base = draft.find((t) => t.orderType === 'default') ?? draft[0]
  draft.push({ orderType: type, isNew: true, statuses: ordered(base?.statuses ?? []).map((s) => ({ ...s, isNew: true, keyTouched: true })) })
  input.value = ''
  setDirty(true)
  renderTracks()
  say(status, `Track for ${type} added as a copy of the default track: change it, then save.`)
  $('tracks').querySelector(`[data-track="${draft.length - 1}"] input.name`)?.focus()
})
$('new-order-type').addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault()
    $('add-track').click()
  }
})

$('tracks-discard').addEventListener('click', () => {
  draft = toDraft(savedTracks)
  setDirty(false)
  renderTracks()
  say($('tracks-status'), 'Changes discarded: the tracks are as saved.')
})

/** The orders a refused change would strand, as links to open them at the front desk. */
async function strandedOrders(stranded) {
  const list = el('ul', { class: 'problems' })
  for (const { orderType, status } of stranded) {
    const item = el('li', {}, `${statusNameOf(status, orderType)} (${status}) still holds orders of type ${orderType}`)
    list.append(item)
    try {
      const orders = itemsOf(await api(`/production-orders?status=${encodeURIComponent(status)}&limit=20`)).filter((o) => (o.orderType ?? 'default') === orderType)
      if (orders.length) {
        item.append(': ')
        orders.forEach((o, i) => item.append(i ? ', ' : '', el('a', { href: `/?r=production-order:${o.id}` }, o.barcode ?? `order #${o.number}`)))
        item.append('.')
      }
    } catch {
      // The list of statuses is enough to go on.
    }
  }
  return [list]
}

/** Marks the rows a problem names (`status "key"`), so the eye finds them. */
function markRows(err) {
  for (const row of $('tracks').querySelectorAll('tr.invalid')) row.classList.remove('invalid')
  for (const input of $('tracks').querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid')
  const keys = new Set()
  for (const line of problemLines(err)) for (const m of line.matchAll(/"([a-z0-9-]+)"/g)) keys.add(m[1])
  for (const s of err?.problem?.details?.stranded ?? []) keys.add(s.status)
  for (const key of keys) {
    for (const row of $('tracks').querySelectorAll(`tr[data-status="${CSS.escape(key)}"]`)) {
      row.classList.add('invalid')
      row.querySelector('input.name')?.setAttribute('aria-invalid', 'true')
    }
  }
}

tracksForm.addEventListener('submit', async (e) => {
  e.preventDefault()
  const status = $('tracks-status')
  const body = draft.map((t) => ({
    orderType: t.orderType,
    statuses: t.statuses.map((s) => ({ key: s.key, name: s.name.trim(), sort: s.sort, durationDays: s.durationDays, kind: s.kind })),
  }))
  const button = $('tracks-save')
  button.disabled = true
  say(status, 'Saving the status tracks…')
  try {
    savedTracks = itemsOf(await api('/production-statuses', { method: 'PUT', body }))
    fillStatusNames(savedTracks)
    draft = toDraft(savedTracks)
    setDirty(false)
    renderTracks()
    say(status, 'Status tracks saved. Stations and the front desk use them from now on.', 'ok')
    loadStations()
  } catch (err) {
    const extra = err.code === 'STATUS_IN_USE' && Array.isArray(err.problem?.details?.stranded) ? await strandedOrders(err.problem.details.stranded) : []
    sayProblem(status, err, extra)
    markRows(err)
  } finally {
    button.disabled = false
  }
})
window.addEventListener('beforeunload', (e) => {
  if (dirty) e.preventDefault()
})

// ------------------------------------------------------------------ Printers, live
async function deletePrinter(p, button) {
  const yes = await confirmDialog({
    title: `Delete printer ${p.name}?`,
    message: `${p.name} (${(p.language || '').toUpperCase()}, ${p.uri || 'no address'}) is removed from every printout’s printer list. A printer with waiting, held or printing jobs can’t be deleted.`,
    confirmLabel: 'Delete printer',
    returnFocus: button,
  })
  if (!yes) return
  const status = $('printers-status')
  try {
    await api(`/printers/${encodeURIComponent(p.name)}`, { method: 'DELETE' })
    say(status, `Printer ${p.name} deleted.`, 'ok')
    await loadPrinters()
    $('printers-heading').setAttribute('tabindex', '-1')
    $('printers-heading').focus()
  } catch (err) {
    const extra = err.code === 'PRINTER_HAS_ACTIVE_JOBS' ? [el('p', {}, el('a', { href: `/print-jobs?state=active` }, 'Open the print queue'), ' to cancel or finish its jobs, then delete it.')] : []
    sayProblem(status, err, extra)
  }
}

async function loadPrinters() {
  const tbody = $('printers-table').tBodies[0]
  try {
    const printers = itemsOf(await api('/printers'))
    syncRows(
      tbody,
      printers,
      (p) => p.name,
      (p) => {
        const st = p.status || {}
        const reasons = (st.reasons || []).filter((r) => r !== 'none')
        const del = el('button', { type: 'button', class: 'danger small', 'aria-label': `Delete printer ${p.name}`, onclick: (e) => deletePrinter(p, e.currentTarget) }, 'Delete')
        return el(
          'tr',
          { 'data-printer': p.name },
          el('td', { class: 'nowrap' }, p.name),
          el('td', {}, (p.language || '').toUpperCase(), p.media?.stock ? el('div', { class: 'hint' }, `${p.media.stock}${p.media.dpi ? `, ${p.media.dpi} dpi` : ''}`) : null),
          el('td', { class: 'opt' }, el('code', {}, p.uri || '')),
          el('td', {}, badge(st.state || 'unknown'), reasons.length ? el('div', { class: 'hint' }, reasons.join(', ')) : null),
          el('td', { class: 'actions' }, del),
        )
      },
      'No printers yet.',
      5,
    )
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
    sayProblem($('printers-status'), err)
  }
})

// ------------------------------------------------------------------ Stations
let scannerCount = {}
let stationList = []

async function patchStation(s, patch, done) {
  const status = $('stations-status')
  try {
    const updated = await api(`/stations/${encodeURIComponent(s.name)}`, { method: 'PATCH', body: patch })
    Object.assign(s, updated)
    say(status, done(updated), 'ok')
  } catch (err) {
    sayProblem(status, err)
  }
  await loadStations()
}

/**
 * A station's target serves every order type: a key named differently by two tracks shows each
 * name with its track ("Retouching; yearbook: Yearbook retouch").
 */
function targetName(key) {
  const base = statusNameOf(key)
  const others = Object.entries(statusNames).filter(([type, names]) => type !== 'default' && names[key] && names[key] !== base)
  return others.length ? `${base}; ${others.map(([type, names]) => `${type}: ${names[key]}`).join('; ')}` : base
}

function targetText(key) {
  return key ? targetName(key) : 'its next status'
}

function stationRow(s) {
  const modeSelect = el(
    'select',
    {
      'aria-label': `Mode of station ${s.name}`,
      onchange: (e) => patchStation(s, { mode: e.target.value }, (u) => `Station ${u.name}: ${u.mode === 'advance' ? 'barcode status update, each scan moves an order' : 'look up records, each scan opens the record'}.`),
    },
    el('option', { value: 'lookup', selected: s.mode === 'lookup' }, 'Look up records'),
    el('option', { value: 'advance', selected: s.mode === 'advance' }, 'Barcode status update'),
  )
  const keys = [...new Set(savedTracks.flatMap((t) => t.statuses.map((x) => x.key)))]
  if (s.advanceTo && !keys.includes(s.advanceTo)) keys.push(s.advanceTo)
  const targetSelect = el(
    'select',
    {
      'aria-label': `Where each order scanned at station ${s.name} goes`,
      disabled: s.mode !== 'advance',
      onchange: (e) => patchStation(s, { advanceTo: e.target.value || null }, (u) => `Station ${u.name}: each scanned order goes to ${targetText(u.advanceTo)}.`),
    },
    el('option', { value: '', selected: !s.advanceTo }, 'Its next status'),
    keys.map((k) => el('option', { value: k, selected: k === s.advanceTo }, targetName(k))),
  )
  const cards = el('a', { href: `/api/stations/${encodeURIComponent(s.name)}/mode-cards?format=pdf`, target: '_blank', rel: 'noopener', 'aria-label': `Mode cards of station ${s.name} (PDF, opens in a new tab)` }, 'Mode cards')
  const del = el(
    'button',
    {
      type: 'button',
      class: 'danger small',
      'aria-label': `Delete station ${s.name}`,
      onclick: async (e) => {
        const n = scannerCount[s.name] ?? 0
        const yes = await confirmDialog({
          title: `Delete station ${s.name}?`,
          message: `Its screen stops taking scans${n ? `, and its ${n} scanner${n === 1 ? ' is' : 's are'} removed with it` : ''}. Its scan log is kept.`,
          confirmLabel: 'Delete station',
          returnFocus: e.currentTarget,
        })
        if (!yes) return
        try {
          await api(`/stations/${encodeURIComponent(s.name)}`, { method: 'DELETE' })
          say($('stations-status'), `Station ${s.name} deleted.`, 'ok')
          await Promise.all([loadStations(), loadScanners()])
          $('stations-heading').setAttribute('tabindex', '-1')
          $('stations-heading').focus()
        } catch (err) {
          sayProblem($('stations-status'), err)
        }
      },
    },
    'Delete',
  )
  return el(
    'tr',
    { 'data-station': s.name },
    el('td', {}, el('a', { href: `/stations/${encodeURIComponent(s.name)}` }, s.name)),
    el('td', {}, modeSelect),
    el('td', {}, targetSelect),
    el('td', { class: 'num' }, String(scannerCount[s.name] ?? 0)),
    el('td', { class: 'actions' }, cards, ' ', del),
  )
}

async function loadStations() {
  const tbody = $('stations-table').tBodies[0]
  const select = $('scanner-station')
  try {
    stationList = itemsOf(await api('/stations'))
    const chosen = select.value
    clear(select).append(...stationList.map((s) => el('option', { value: s.name, selected: s.name === chosen }, s.name)))
    // The signature includes the scanner count and the status names, so a change to either re-renders.
    syncRows(
      tbody,
      stationList.map((s) => ({ name: s.name, mode: s.mode, advanceTo: s.advanceTo ?? null, scanners: scannerCount[s.name] ?? 0, names: statusNames })),
      (s) => s.name,
      (s) => stationRow(stationList.find((x) => x.name === s.name)),
      'No stations yet.',
      5,
    )
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
    sayProblem($('stations-status'), err)
  }
})

// ------------------------------------------------------------------ Scanners
async function loadScanners() {
  const tbody = $('scanners-table').tBodies[0]
  try {
    const scanners = itemsOf(await api('/scanners'))
    const counts = {}
    for (const s of scanners) counts[s.station] = (counts[s.station] ?? 0) + 1
    const countsChanged = JSON.stringify(counts) !== JSON.stringify(scannerCount)
    scannerCount = counts
    if (countsChanged && stationList.length) loadStations()
    syncRows(
      tbody,
      scanners.map((s) => {
        const state = s.state ?? s.status ?? {}
        const connected = typeof state === 'string' ? state : state.connected === undefined ? null : state.connected ? 'connected' : 'disconnected'
        const lastError = state.lastError ?? s.lastError
        return {
          name: s.name,
          station: s.station,
          uri: s.uri || '',
          owned: s.owned,
          connected,
          lastScan: state.lastScanAt ?? state.lastScan?.at ?? s.lastScanAt ?? null,
          lastError: lastError ? (typeof lastError === 'string' ? lastError : lastError.message ?? JSON.stringify(lastError)) : null,
        }
      }),
      (s) => s.name,
      (s) =>
        el(
          'tr',
          { 'data-scanner': s.name },
          el('td', {}, s.name),
          el('td', {}, s.station),
          el('td', { class: 'opt' }, el('code', {}, s.uri)),
          el(
            'td',
            {},
            s.connected ? badge(s.connected) : s.owned === false ? el('span', { class: 'hint' }, 'at another location') : '',
            s.lastScan ? el('div', { class: 'hint' }, `last scan ${fmtDateTime(s.lastScan)}`) : null,
            s.lastError ? el('div', { class: 'hint error-text' }, s.lastError) : null,
          ),
          el(
            'td',
            { class: 'actions' },
            el(
              'button',
              {
                type: 'button',
                class: 'danger small',
                'aria-label': `Delete scanner ${s.name}`,
                onclick: async (e) => {
                  const yes = await confirmDialog({ title: `Delete scanner ${s.name}?`, message: `${s.name} (${s.uri}) stops sending scans to station ${s.station}.`, confirmLabel: 'Delete scanner', returnFocus: e.currentTarget })
                  if (!yes) return
                  try {
                    await api(`/scanners/${encodeURIComponent(s.name)}`, { method: 'DELETE' })
                    say($('scanners-status'), `Scanner ${s.name} deleted.`, 'ok')
                    await loadScanners()
                    $('scanners-heading').setAttribute('tabindex', '-1')
                    $('scanners-heading').focus()
                  } catch (err) {
                    sayProblem($('scanners-status'), err)
                  }
                },
              },
              'Delete',
            ),
          ),
        ),
      'No scanners yet.',
      5,
    )
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
    sayProblem($('scanners-status'), err)
  }
})

// ------------------------------------------------------------------ Tokens
async function loadTokens() {
  const tbody = $('tokens-table').tBodies[0]
  try {
    const tokens = itemsOf(await api('/tokens'))
    clear(tbody).append(
      ...tokens.map((t) => {
        const what = `token ${t.id}${t.label ? ` (${t.label})` : ''}`
        return el(
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
                    class: 'danger small',
                    'aria-label': `Revoke ${what}`,
                    onclick: async (e) => {
                      const yes = await confirmDialog({ title: `Revoke ${what}?`, message: 'Whoever uses it is signed out at once. This can’t be undone.', confirmLabel: 'Revoke token', returnFocus: e.currentTarget })
                      if (!yes) return
                      try {
                        await api(`/tokens/${t.id}`, { method: 'DELETE' })
                        say($('tokens-status'), `Token ${t.id} revoked.`, 'ok')
                        await loadTokens()
                        $('tokens-heading').setAttribute('tabindex', '-1')
                        $('tokens-heading').focus()
                      } catch (err) {
                        say($('tokens-status'), messageOf(err), 'error')
                      }
                    },
                  },
                  'Revoke',
                ),
          ),
        )
      }),
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
  await Promise.all([loadStudio(), loadBarcoding(), loadTracks(), loadScanners(), loadTokens()])
  await loadStations()
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
