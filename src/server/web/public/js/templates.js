// @ts-check
// Label templates: edit a label's layout or the studio's own ZPL/EPL with the fields it may use,
// a live preview beside it for a chosen record and label stock, problems shown at their line,
// versions with who and when, activate one or go back to the built-in label.
import { ApiError, api, itemsOf, messageOf } from './api.js'
import { el, clear, say, badge, fmtDateTime, byId } from './dom.js'
import { fillStationLinks } from './shell.js'
import { DOC_NAMES, LABEL_STOCK } from './documents.js'

const $ = (id) => document.getElementById(id)
const body = byId('tpl-body', HTMLTextAreaElement)
const gutter = $('tpl-lines')

/** What a new template starts from, per kind and label. */
const STARTERS = {
  zpl: (doc) => `^XA\n^CI28\n^FO40,40^A0N,40,40^FH^FD${doc === 'order-label' ? '{{order.number}}' : '{{client.name}}'}^FS\n^FO40,110^BY2^BCN,100,Y,N,N^FH^FD{{barcode.text}}^FS\n^XZ\n`,
  epl: (doc) => `N\nq812\nA40,40,0,4,1,1,N,"${doc === 'order-label' ? '{{order.number}}' : '{{client.name}}'}"\nB40,110,0,1,2,4,100,B,"{{barcode.text}}"\nP1\n`,
  layout: (doc) =>
    JSON.stringify(
      { widthMm: 101.6, heightMm: 50, elements: [{ type: 'text', x: 4, y: 4, width: 93, size: 6, text: doc === 'order-label' ? '{{order.number}}' : '{{client.name}}', bold: true }, { type: 'barcode', x: 4, y: 16, width: 93, height: 30 }] },
      null,
      2,
    ) + '\n',
}

let items = []
let previewUrl = null
let previewSeq = 0
let timer = null
/** Line numbers (1-based) with a problem, and what it is. */
let problemsAt = new Map()

const current = () => items.find((i) => i.document === byId('tpl-document', HTMLSelectElement).value)

function drawGutter() {
  const count = body.value.split('\n').length
  clear(gutter)
  for (let n = 1; n <= count; n++) {
    const problem = problemsAt.get(n)
    gutter.append(el('li', { class: problem ? 'problem' : undefined, title: problem, 'data-line': String(n) }, String(n)))
  }
  gutter.scrollTop = body.scrollTop
}

/** The body to send: a layout's JSON parsed; a JSON syntax error is a problem at its line. */
function bodyToSend() {
  if (byId('tpl-kind', HTMLSelectElement).value !== 'layout') return { ok: true, value: body.value }
  try {
    return { ok: true, value: JSON.parse(body.value) }
  } catch (err) {
    const at = /position (\d+)/.exec(String(err.message))
    const line = at ? body.value.slice(0, Number(at[1])).split('\n').length : 1
    return { ok: false, problems: [{ line, message: `not valid JSON: ${err.message}` }] }
  }
}

/**
 * Where each value of a JSON text starts: path (`elements[3].width`) → offset. A small reader of
 * valid JSON (the text has parsed already), so a layout's problems can be shown at their line.
 */
function jsonOffsets(text) {
  const at = new Map()
  let i = 0
  const ws = () => {
    while (/\s/.test(text[i] ?? '')) i++
  }
  const string = () => {
    const start = i++
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    i++
    return JSON.parse(text.slice(start, i))
  }
  const value = (path) => {
    ws()
    at.set(path, i)
    if (text[i] === '{') {
      i++
      ws()
      while (text[i] !== '}' && i < text.length) {
        ws()
        const key = string()
        ws()
        i++ // :
        value(path ? `${path}.${key}` : key)
        ws()
        if (text[i] === ',') i++
        ws()
      }
      i++
    } else if (text[i] === '[') {
      i++
      ws()
      let n = 0
      while (text[i] !== ']' && i < text.length) {
        value(`${path}[${n++}]`)
        ws()
        if (text[i] === ',') i++
        ws()
      }
      i++
    } else if (text[i] === '"') string()
    else while (i < text.length && !/[,}\]\s]/.test(text[i])) i++
  }
  value('')
  return at
}

/** The line of a layout problem's path (`body.elements[3].width`), or of its nearest parent. */
function layoutLine(path) {
  let offsets
  try {
    offsets = jsonOffsets(body.value)
  } catch {
    return null
  }
  let key = (path || '').replace(/^body\.?/, '')
  while (key && !offsets.has(key)) key = key.replace(/(\.[^.[\]]*|\[\d+\])$/, '')
  const offset = offsets.get(key)
  return offset === undefined || !key ? null : body.value.slice(0, offset).split('\n').length
}

/** Problems of a TEMPLATE_INVALID answer, each with its line: "body line 3", or a layout's path. */
function problemsOf(err) {
  const list = err && err.problem && err.problem.details && Array.isArray(err.problem.details.problems) ? err.problem.details.problems : []
  if (!list.length) return [{ line: null, message: messageOf(err) }]
  return list.map((p) => {
    const m = /^body line (\d+)$/.exec(p.path || '')
    if (m) return { line: Number(m[1]), message: p.message }
    const line = byId('tpl-kind', HTMLSelectElement).value === 'layout' ? layoutLine(p.path) : null
    return { line, message: p.path && p.path !== 'body' ? `${p.path}: ${p.message}` : p.message }
  })
}

function showProblems(problems) {
  const box = $('tpl-problems')
  problemsAt = new Map(problems.filter((p) => p.line).map((p) => [p.line, p.message]))
  drawGutter()
  clear(box)
  box.className = 'msg'
  if (!problems.length) return
  box.classList.add('error')
  box.append(el('p', { class: 'lead' }, 'The template can’t be used yet:'))
  const inOrder = [...problems].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity))
  box.append(
    el(
      'ul',
      { class: 'problems' },
      inOrder.map((p) =>
        el('li', { 'data-line': p.line ? String(p.line) : undefined }, p.line ? el('button', { type: 'button', class: 'link', onclick: () => goToLine(p.line) }, `Line ${p.line}`) : null, p.line ? `: ${p.message}` : p.message),
      ),
    ),
  )
}

function goToLine(n) {
  const lines = body.value.split('\n')
  const start = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0)
  body.focus()
  body.setSelectionRange(start, start + (lines[n - 1] ?? '').length)
}

function showConversions(conversions, lead) {
  const box = $('tpl-conversions')
  clear(box)
  if (!conversions || !conversions.length) return
  box.append(el('p', { class: 'lead' }, lead))
  box.append(el('ul', { class: 'problems' }, conversions.map((c) => el('li', {}, `Line ${c.line} (${c.command}): ${c.change}`))))
}

function schedulePreview() {
  clearTimeout(timer)
  // Marked while a preview waits for typing to pause, so a reader knows a newer one is coming.
  $('tpl-preview-status').dataset.pending = '1'
  timer = setTimeout(preview, 350)
}

async function preview() {
  clearTimeout(timer)
  const seq = ++previewSeq
  const status = $('tpl-preview-status')
  delete status.dataset.pending
  // The latest preview asked for; the image carries the one it shows (data-ready).
  status.dataset.seq = String(seq)
  const img = byId('tpl-preview', HTMLImageElement)
  const doc = byId('tpl-document', HTMLSelectElement).value
  const recordId = Number(byId('tpl-record', HTMLSelectElement).value)
  const sent = bodyToSend()
  if (!sent.ok) return showProblems(sent.problems)
  if (!recordId) return say(status, 'Add a record to preview the label with.', 'warning')
  say(status, 'Rendering…')
  let res
  try {
    res = await fetch(`/api/templates/${doc}/preview`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'studio-print' },
      body: JSON.stringify({ kind: byId('tpl-kind', HTMLSelectElement).value, body: sent.value, recordId, format: 'png', media: byId('tpl-media', HTMLSelectElement).value, dpi: Number(byId('tpl-dpi', HTMLSelectElement).value) }),
    })
  } catch {
    if (seq === previewSeq) say(status, 'The server can’t be reached.', 'error')
    return
  }
  if (seq !== previewSeq) return
  if (!res.ok) {
    const problem = await res.json().catch(() => null)
    const err = new ApiError(res.status, problem)
    img.hidden = true
    delete img.dataset.ready
    if (problem && problem.code === 'TEMPLATE_INVALID') {
      showProblems(problemsOf(err))
      return say(status, '')
    }
    showProblems([])
    return say(status, messageOf(err), 'warning')
  }
  showProblems([])
  let conversions = []
  try {
    conversions = JSON.parse(res.headers.get('x-template-conversions') || '[]')
  } catch {
    conversions = []
  }
  showConversions(conversions, 'Saving converts this ZPL:')
  const blob = await res.blob()
  if (seq !== previewSeq) return
  if (previewUrl) URL.revokeObjectURL(previewUrl)
  previewUrl = URL.createObjectURL(blob)
  img.src = previewUrl
  img.alt = `Preview of the ${DOC_NAMES[doc].toLowerCase()} for ${byId('tpl-record', HTMLSelectElement).selectedOptions[0]?.textContent ?? 'the record'}`
  img.dataset.ready = String(seq)
  img.hidden = false
  say(status, '')
}

function fillFields(item) {
  clear($('tpl-fields')).append(
    ...item.fields.map((f) =>
      el('li', {}, el('button', { type: 'button', class: 'link', 'data-field': f, title: `Insert {{${f}}}`, onclick: () => insertField(f) }, `{{${f}}}`)),
    ),
  )
}

function insertField(name) {
  const text = `{{${name}}}`
  const { selectionStart: a, selectionEnd: b } = body
  body.setRangeText(text, a, b, 'end')
  body.focus()
  drawGutter()
  schedulePreview()
}

function fillVersions(item) {
  const tbody = byId('tpl-versions', HTMLTableElement).tBodies[0]
  $('tpl-active').textContent = item.activeVersion === null ? 'Printing with the built-in label.' : `Printing with version ${item.activeVersion}.`
  byId('tpl-builtin', HTMLButtonElement).disabled = item.activeVersion === null
  const versions = [...item.versions].sort((a, b) => b.version - a.version)
  if (!versions.length) {
    clear(tbody).append(el('tr', {}, el('td', { colspan: '6' }, 'No versions yet: the built-in label prints.')))
    return
  }
  clear(tbody).append(
    ...versions.map((v) => {
      const active = v.version === item.activeVersion
      return el(
        'tr',
        { 'data-version': String(v.version), class: active ? 'active' : undefined },
        el('td', { class: 'num' }, String(v.version), active ? [' ', badge('active', 'ok')] : null),
        el('td', {}, v.kind.toUpperCase()),
        el('td', {}, v.note ?? ''),
        el('td', {}, v.createdBy),
        el('td', {}, fmtDateTime(v.createdAt)),
        el(
          'td',
          { class: 'actions' },
          el('button', { type: 'button', onclick: () => loadVersion(item.document, v.version) }, 'Edit'),
          ' ',
          el('button', { type: 'button', disabled: active, onclick: () => activate(item.document, v.version) }, active ? 'Active' : 'Activate'),
        ),
      )
    }),
  )
}

async function loadVersion(doc, version) {
  try {
    const v = await api(`/templates/${doc}/versions/${version}`)
    byId('tpl-kind', HTMLSelectElement).value = v.template.kind
    body.value = v.template.kind === 'layout' ? JSON.stringify(v.template.body, null, 2) + '\n' : v.template.body
    byId('tpl-note', HTMLInputElement).value = ''
    drawGutter()
    say($('tpl-status'), `Editing a copy of version ${version}: saving makes a new version.`)
    preview()
  } catch (err) {
    say($('tpl-status'), messageOf(err), 'error')
  }
}

async function activate(doc, version) {
  try {
    await api(`/templates/${doc}/active`, { method: 'PUT', body: { version } })
    say($('tpl-status'), version === null ? `The ${DOC_NAMES[doc].toLowerCase()} prints with the built-in label again.` : `Version ${version} prints from now on.`, 'ok')
    await refresh()
  } catch (err) {
    say($('tpl-status'), messageOf(err), 'error')
  }
}

async function save() {
  const doc = byId('tpl-document', HTMLSelectElement).value
  const sent = bodyToSend()
  if (!sent.ok) return showProblems(sent.problems)
  const note = byId('tpl-note', HTMLInputElement).value.trim()
  try {
    const saved = await api(`/templates/${doc}`, { method: 'POST', body: { kind: byId('tpl-kind', HTMLSelectElement).value, body: sent.value, ...(note ? { note } : {}) } })
    if (saved.conversions && saved.conversions.length) {
      body.value = saved.template.body
      drawGutter()
    }
    showProblems([])
    showConversions(saved.conversions, `Saved as version ${saved.version}; converted on import:`)
    say($('tpl-status'), `Saved as version ${saved.version}; it prints from now on.`, 'ok')
    byId('tpl-note', HTMLInputElement).value = ''
    await refresh()
  } catch (err) {
    if (err instanceof ApiError && err.code === 'TEMPLATE_INVALID') {
      showProblems(problemsOf(err))
      say($('tpl-status'), 'Not saved: the template has problems (see the lines marked).', 'error')
    } else say($('tpl-status'), messageOf(err), 'error')
  }
}

async function fillRecords(doc) {
  const select = byId('tpl-record', HTMLSelectElement)
  const path = doc === 'order-label' ? '/production-orders?limit=100' : '/clients?limit=100'
  const records = itemsOf(await api(path))
  clear(select).append(
    ...records.map((r) => {
      const who = r.lastName !== undefined ? `${r.lastName}${r.firstName ? `, ${r.firstName}` : ''}` : r.vendor ?? ''
      return el('option', { value: String(r.id) }, `${r.barcode ?? `order ${r.id}`}${who ? ` — ${who}` : ''}`)
    }),
  )
}

async function refresh() {
  items = itemsOf(await api('/templates'))
  const item = current()
  if (item) fillVersions(item)
}

async function chooseDocument() {
  const item = current()
  if (!item) return
  fillFields(item)
  fillVersions(item)
  say($('tpl-status'), '')
  showConversions([], '')
  await fillRecords(item.document)
  if (item.activeVersion !== null) await loadVersion(item.document, item.activeVersion)
  else {
    body.value = STARTERS[byId('tpl-kind', HTMLSelectElement).value](item.document)
    drawGutter()
    preview()
  }
}

async function start() {
  fillStationLinks()
  for (const [value, stock] of Object.entries(LABEL_STOCK)) byId('tpl-media', HTMLSelectElement).append(el('option', { value }, `${stock.widthIn} × ${stock.heightIn} in`))
  try {
    items = itemsOf(await api('/templates'))
  } catch (err) {
    say($('tpl-status'), messageOf(err), 'error')
    document.body.dataset.ready = '1'
    return
  }
  clear(byId('tpl-document', HTMLSelectElement)).append(...items.map((i) => el('option', { value: i.document }, DOC_NAMES[i.document] ?? i.document)))
  byId('tpl-document', HTMLSelectElement).addEventListener('change', () => chooseDocument().catch((err) => say($('tpl-status'), messageOf(err), 'error')))
  byId('tpl-kind', HTMLSelectElement).addEventListener('change', () => {
    body.value = STARTERS[byId('tpl-kind', HTMLSelectElement).value](byId('tpl-document', HTMLSelectElement).value)
    drawGutter()
    preview()
  })
  body.addEventListener('input', () => {
    drawGutter()
    schedulePreview()
  })
  body.addEventListener('scroll', () => (gutter.scrollTop = body.scrollTop))
  for (const id of ['tpl-record', 'tpl-media', 'tpl-dpi']) $(id).addEventListener('change', preview)
  byId('tpl-save', HTMLButtonElement).addEventListener('click', save)
  byId('tpl-builtin', HTMLButtonElement).addEventListener('click', () => activate(byId('tpl-document', HTMLSelectElement).value, null))
  await chooseDocument().catch((err) => say($('tpl-status'), messageOf(err), 'error'))
  document.body.dataset.ready = '1'
}

start()
