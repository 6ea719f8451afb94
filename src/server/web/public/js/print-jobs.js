// @ts-check
// The print queue: states, reasons, progress; cancel, release, reprint. Refreshes every two seconds.
import { api, messageOf, isMissingRoute, itemsOf } from './api.js'
import { el, clear, say, badge, fmtDateTime, byId } from './dom.js'
import { fillStationLinks } from './shell.js'
import { DOC_NAMES } from './documents.js'
import { ACTIVE_STATES, JOB_REASONS } from './vocabulary.js'

const $ = (id) => document.getElementById(id)
const ACTIVE = new Set(ACTIVE_STATES)
const filter = byId('state-filter', HTMLSelectElement)
let timer = null
let lastStates = new Map()
let busy = false

filter.value = new URLSearchParams(location.search).get('state') ?? ''
filter.addEventListener('change', () => {
  const u = new URL(location.href)
  if (filter.value) u.searchParams.set('state', filter.value)
  else u.searchParams.delete('state')
  history.replaceState(null, '', u)
  wanted = PAGE
  refresh()
})

/** How many jobs the table shows (newest first); "Show older jobs" raises it. */
const PAGE = 200
let wanted = PAGE
let hasOlder = false

/** The newest `count` jobs (of one state, when given), newest first, paging backwards with after. */
async function newest(state, count) {
  const out = []
  let after = 0
  while (out.length < count) {
    const limit = Math.min(500, count - out.length)
    const page = await api(`/print-jobs?order=newest&limit=${limit}${after ? `&after=${after}` : ''}${state ? `&state=${state}` : ''}`)
    out.push(...itemsOf(page))
    if (!page?.nextAfter) return { jobs: out, more: false }
    after = page.nextAfter
  }
  return { jobs: out, more: true }
}

/** The jobs to show, newest first: the server sorts and cuts, so only what is shown is read. */
async function allJobs() {
  if (filter.value === 'active') {
    const parts = await Promise.all(ACTIVE_STATES.map((st) => newest(st, wanted)))
    hasOlder = parts.some((p) => p.more)
    return parts
      .flatMap((p) => p.jobs)
      .sort((a, b) => b.id - a.id)
      .slice(0, wanted)
  }
  const { jobs, more } = await newest(filter.value, wanted)
  hasOlder = more
  return jobs
}

byId('older', HTMLButtonElement).addEventListener('click', () => {
  wanted += PAGE
  refresh()
})

function reasonText(reasons, message) {
  const list = (reasons || []).filter((r) => r !== 'none' && r !== 'job-completed-successfully').map((r) => JOB_REASONS[r] ?? r)
  if (message) list.push(message)
  return [...new Set(list)].join('; ')
}

async function act(job, action, done) {
  try {
    const r = await api(`/print-jobs/${job.id}/${action}`, { method: 'POST' })
    say($('queue-status'), done(r), 'ok')
  } catch (err) {
    say($('queue-status'), `Job ${job.id}: ${messageOf(err)}`, 'error')
  }
  refresh()
}

let releaseDialog = null

/**
 * Release of a held job: the server's choices (resume after the last confirmed label, after the
 * last one that may have printed, or print all again), each saying what it will print. Resolves
 * the chosen resumeAt, or null when the person backs out.
 */
function chooseResume(j) {
  const d = (releaseDialog ??= (() => {
    const dlg = el('dialog', { id: 'release-dialog', class: 'confirm', 'aria-labelledby': 'release-title' })
    document.body.append(dlg)
    return dlg
  })())
  const choices = j.release ?? []
  const p = j.progress || {}
  const known = p.uncertainUpTo
    ? `Labels 1–${p.sent} are confirmed; labels ${p.sent + 1}–${p.uncertainUpTo} may have printed. Check the printer's output, then choose.`
    : p.sent
      ? `Labels 1–${p.sent} are confirmed.`
      : 'No label is confirmed yet.'
  const options = choices.map((c, i) =>
    el(
      'label',
      { class: 'choice' },
      el('input', { type: 'radio', name: 'resume', value: String(c.resumeAt), ...(i === 0 ? { checked: true } : {}) }),
      ` ${c.label} `,
      el('span', { class: 'hint' }, `— ${c.prints}`),
    ),
  )
  const release = el('button', { type: 'submit', value: 'ok', class: 'primary' }, 'Release')
  const cancel = el('button', { type: 'submit', value: 'cancel' }, 'Back')
  d.replaceChildren(
    el(
      'form',
      { method: 'dialog' },
      el('h2', { id: 'release-title' }, `Release job ${j.id}`),
      el('p', {}, known),
      el('fieldset', {}, el('legend', {}, 'Where to resume'), ...options),
      el('div', { class: 'row end' }, cancel, release),
    ),
  )
  d.returnValue = ''
  return new Promise((resolve) => {
    d.addEventListener(
      'close',
      () => {
        if (d.returnValue !== 'ok') return resolve(null)
        const picked = d.querySelector('input[name="resume"]:checked')
        resolve(picked ? Number(picked.value) : null)
      },
      { once: true },
    )
    d.showModal()
    release.focus()
  })
}

async function releaseJob(j) {
  const resumeAt = await chooseResume(j)
  if (resumeAt === null) return
  try {
    await api(`/print-jobs/${j.id}/release`, { method: 'POST', body: { resumeAt } })
    const total = j.progress?.total ?? 0
    say($('queue-status'), resumeAt > total ? `Job ${j.id} released: nothing more to print.` : `Job ${j.id} released: printing from label ${resumeAt} of ${total}.`, 'ok')
  } catch (err) {
    say($('queue-status'), `Job ${j.id}: ${messageOf(err)}`, 'error')
  }
  refresh()
}

/** What the job prints: its record number and client, as the server noted them when it took the job. */
function subjectOf(j) {
  if (typeof j.options?.subject === 'string' && j.options.subject) return j.options.subject
  return j.recordIds ? `${j.recordIds.length} records` : `record #${j.recordId}`
}

function row(j) {
  const p = j.progress || {}
  const total = p.total || 0
  const reasons = reasonText(j.reasons, j.message)
  const actions = []
  const label = `${DOC_NAMES[j.document] ?? j.document} job ${j.id}`
  if (ACTIVE.has(j.state)) actions.push(el('button', { type: 'button', class: 'danger', 'aria-label': `Cancel ${label}`, onclick: () => act(j, 'cancel', () => `Job ${j.id} canceled.`) }, 'Cancel'))
  if (j.state === 'held') actions.push(el('button', { type: 'button', class: 'primary', 'aria-label': `Release ${label}`, onclick: () => releaseJob(j) }, 'Release'))
  if (!ACTIVE.has(j.state)) actions.push(el('button', { type: 'button', 'aria-label': `Reprint ${label}`, onclick: () => act(j, 'reprint', (r) => `Reprint of job ${j.id} queued as job ${r.id}.`) }, 'Reprint'))
  return el(
    'tr',
    { 'data-job': j.id, 'data-state': j.state },
    el('td', { class: 'num' }, j.id),
    el('td', {}, DOC_NAMES[j.document] ?? j.document ?? '', el('div', { class: 'hint subject' }, `${subjectOf(j)}${j.copies > 1 ? ` · ${j.copies} copies` : ''}${j.reprintOf ? ` · reprint of ${j.reprintOf}` : ''}`)),
    el('td', {}, j.printer ?? ''),
    el('td', {}, badge(j.state), reasons ? el('div', { class: 'hint' }, reasons) : null),
    el(
      'td',
      {},
      total ? el('progress', { max: String(total), value: String(p.sent ?? 0), 'aria-label': `${label} progress` }) : null,
      ' ',
      total ? `${p.sent ?? 0} of ${total}` : '',
      p.uncertainUpTo ? el('div', { class: 'hint' }, `labels ${p.sent + 1}–${p.uncertainUpTo} may have printed`) : null,
    ),
    el('td', { class: 'num opt' }, j.attempts ?? ''),
    el('td', { class: 'opt' }, fmtDateTime(j.createdAt), j.completedAt ? el('div', { class: 'hint' }, `done ${fmtDateTime(j.completedAt)}`) : null),
    el('td', { class: 'actions' }, actions),
  )
}

async function refresh() {
  if (busy) return
  busy = true
  clearTimeout(timer)
  try {
    const jobs = await allJobs()
    // Keep the focused button's place: re-render only rows that changed.
    const tbody = byId('jobs-table', HTMLTableElement).tBodies[0]
    const focusedId = document.activeElement?.closest?.('tr')?.dataset.job
    const focusedLabel = document.activeElement?.getAttribute?.('aria-label')
    const changed = []
    const next = new Map(jobs.map((j) => [j.id, JSON.stringify(j)]))
    for (const j of jobs) {
      const before = lastStates.get(j.id)
      if (before && JSON.parse(before).state !== j.state) changed.push(`Job ${j.id} ${j.state}`)
    }
    if (jobs.length === 0) clear(tbody).append(el('tr', {}, el('td', { colspan: '8' }, filter.value ? 'No jobs in this state.' : 'No print jobs yet.')))
    else clear(tbody).append(...jobs.map(row))
    byId('older', HTMLButtonElement).hidden = !hasOlder
    if (focusedId && focusedLabel) /** @type {HTMLElement | null} */ (tbody.querySelector(`tr[data-job="${focusedId}"] [aria-label="${CSS.escape(focusedLabel)}"]`))?.focus()
    if (changed.length) say($('queue-status'), changed.join('. ') + '.')
    lastStates = next
    $('live').replaceChildren(badge('live', 'connected'))
    document.body.dataset.ready = '1'
    timer = setTimeout(refresh, 2000)
  } catch (err) {
    if (isMissingRoute(err)) {
      say($('queue-status'), 'Printing is not available on this server yet: there is no queue to show.', 'warning')
      document.body.dataset.ready = '1'
    } else {
      say($('queue-status'), messageOf(err), 'error')
      $('live').replaceChildren(badge('retrying', 'disconnected'))
      timer = setTimeout(refresh, 5000)
    }
  } finally {
    busy = false
  }
}

document.addEventListener('visibilitychange', () => !document.hidden && refresh())
fillStationLinks()
refresh()
