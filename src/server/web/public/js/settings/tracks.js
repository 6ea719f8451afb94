// @ts-check
// Production status tracks, edited here: a draft of every track, saved all at once.
import { api, ApiError, messageOf, itemsOf, problemLines } from '../api.js'
import { el, clear, say, byId } from '../dom.js'
import { confirmDialog } from '../confirm.js'
import { STATUS_KINDS, SEQUENCE_KINDS } from '../vocabulary.js'
import { sayProblem, fillStatusNames, statusNameOf } from './common.js'

/** @typedef {import('./common.js').SettingsState} SettingsState */
/** @typedef {import('./common.js').Track} Track */
/** @typedef {import('./common.js').TrackStatus & { isNew: boolean, keyTouched: boolean }} DraftStatus */
/** @typedef {{ orderType: string, isNew: boolean, statuses: DraftStatus[] }} DraftTrack */

/** What the page calls each kind of status. @type {Record<string, string>} */
const KIND_WORDS = { initial: 'First', normal: 'In between', final: 'Last', hold: 'On hold', terminal: 'Ends the order' }
/** @type {Set<string>} */
const IN_SEQUENCE = new Set(SEQUENCE_KINDS)

/** @param {string} text */
const slug = (text) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')

/** @param {{ orderType: string }} t */
const trackTitle = (t) => (t.orderType === 'default' ? 'Default track' : `Track for ${t.orderType || 'a new order type'}`)
/** @param {{ orderType: string }} t */
const trackShort = (t) => (t.orderType === 'default' ? 'default track' : `${t.orderType || 'new'} track`)

/**
 * Statuses in the order a person reads them: the sequence by sort order, then those outside it.
 * @template {{ sort: number | null }} S
 * @param {S[]} statuses
 * @returns {S[]}
 */
function ordered(statuses) {
  const seq = statuses.filter((s) => s.sort !== null).sort((a, b) => Number(a.sort) - Number(b.sort))
  return [...seq, ...statuses.filter((s) => s.sort === null)]
}

/** @param {Track[]} tracks @returns {DraftTrack[]} */
function toDraft(tracks) {
  return tracks.map((t) => ({ orderType: t.orderType, isNew: false, statuses: ordered(t.statuses).map((s) => ({ ...s, isNew: false, keyTouched: true })) }))
}

/** @param {DraftTrack} track @param {DraftStatus} s @param {number} index */
function rowLabel(track, s, index) {
  return `${s.key || `new status ${index + 1}`}, ${trackShort(track)}`
}

/** @param {DraftTrack} track */
function nextSort(track) {
  const sorts = track.statuses.map((s) => s.sort).filter((n) => typeof n === 'number')
  return sorts.length ? Math.max(...sorts) + 10 : 10
}

/** The value of the input or select an event came from. @param {Event} e */
const valueOf = (e) => /** @type {HTMLInputElement | HTMLSelectElement} */ (e.target).value

/**
 * The status tracks panel.
 * @param {SettingsState} state the saved tracks and their status names are written here
 * @param {{ onSaved: () => void }} then what follows a save (the stations panel names the new statuses)
 * @returns {{ load: () => Promise<void> }}
 */
export function tracksPanel(state, { onSaved }) {
  const tracksForm = byId('tracks-form', HTMLFormElement)
  const box = byId('tracks')
  /** Being edited, in the order shown. @type {DraftTrack[]} */
  let draft = []
  let dirty = false

  /** @param {boolean} on */
  function setDirty(on) {
    dirty = on
    byId('tracks-dirty').hidden = !on
  }

  /** @param {string} selector */
  const focusIn = (selector) => {
    const node = box.querySelector(selector)
    if (node instanceof HTMLElement) node.focus()
  }

  /** @param {DraftTrack} track @param {DraftStatus} s @param {number} index */
  function statusRow(track, s, index) {
    const who = rowLabel(track, s, index)
    const sortInput = /** @type {HTMLInputElement} */ (
      el('input', {
        type: 'number',
        min: '0',
        max: '100000',
        step: '1',
        inputmode: 'numeric',
        class: 'sort',
        value: s.sort ?? '',
        disabled: !IN_SEQUENCE.has(s.kind),
        'aria-label': `Sort order of ${who}`,
        oninput: (/** @type {Event} */ e) => {
          s.sort = valueOf(e) === '' ? null : Number(valueOf(e))
          setDirty(true)
        },
      })
    )
    const keyCell = s.isNew
      ? el('input', {
          class: 'key',
          value: s.key,
          maxlength: '40',
          spellcheck: 'false',
          'aria-label': `Key of ${who}`,
          oninput: (/** @type {Event} */ e) => {
            s.key = valueOf(e).trim()
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
      oninput: (/** @type {Event} */ e) => {
        s.name = valueOf(e)
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
        onchange: (/** @type {Event} */ e) => {
          s.kind = valueOf(e)
          if (!IN_SEQUENCE.has(s.kind)) s.sort = null
          else if (s.sort === null) s.sort = nextSort(track)
          sortInput.value = String(s.sort ?? '')
          sortInput.disabled = !IN_SEQUENCE.has(s.kind)
          setDirty(true)
        },
      },
      STATUS_KINDS.map((value) => el('option', { value, selected: value === s.kind }, KIND_WORDS[value] ?? value)),
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
      oninput: (/** @type {Event} */ e) => {
        s.durationDays = valueOf(e) === '' ? null : Number(valueOf(e))
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
          say(byId('tracks-status'), `${s.name || 'The new status'} removed from the ${trackShort(track)}. Save to keep the change.`)
          // Focus stays in the table: the row that took its place, else the add button.
          const t = draft.indexOf(track)
          const rows = box.querySelectorAll(`[data-track="${t}"] tbody tr`)
          const next = rows[Math.min(i, rows.length - 1)]?.querySelector('input.name') ?? box.querySelector(`[data-track="${t}"] .add-status`)
          if (next instanceof HTMLElement) next.focus()
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

  function renderTracks() {
    clear(box)
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
                  const rows = box.querySelectorAll(`[data-track="${t}"] tbody tr`)
                  const last = rows[rows.length - 1]?.querySelector('input.name')
                  if (last instanceof HTMLElement) last.focus()
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
                    onclick: async (/** @type {MouseEvent} */ e) => {
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
                      say(byId('tracks-status'), `The ${trackShort(track)} is removed from the list. Save to keep the change.`)
                      byId('new-order-type').focus()
                    },
                  },
                  `Remove the ${trackShort(track)}`,
                ),
          ),
        ),
      )
    })
  }

  /**
   * The orders a refused change would strand, as links to open them at the front desk.
   * @param {{ orderType: string, status: string }[]} stranded
   */
  async function strandedOrders(stranded) {
    const list = el('ul', { class: 'problems' })
    for (const { orderType, status } of stranded) {
      const item = el('li', {}, `${statusNameOf(state, status, orderType)} (${status}) still holds orders of type ${orderType}`)
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

  /** Marks the rows a problem names (`status "key"`), so the eye finds them. @param {any} err */
  function markRows(err) {
    for (const row of box.querySelectorAll('tr.invalid')) row.classList.remove('invalid')
    for (const input of box.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid')
    /** @type {Set<string>} */
    const keys = new Set()
    for (const line of problemLines(err)) for (const m of line.matchAll(/"([a-z0-9-]+)"/g)) keys.add(m[1])
    for (const s of err?.problem?.details?.stranded ?? []) keys.add(s.status)
    for (const key of keys) {
      for (const row of box.querySelectorAll(`tr[data-status="${CSS.escape(key)}"]`)) {
        row.classList.add('invalid')
        row.querySelector('input.name')?.setAttribute('aria-invalid', 'true')
      }
    }
  }

  byId('add-track').addEventListener('click', () => {
    const input = byId('new-order-type', HTMLInputElement)
    const type = input.value.trim().toLowerCase()
    const status = byId('tracks-status')
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
    focusIn(`[data-track="${draft.length - 1}"] input.name`)
  })
  byId('new-order-type').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault()
      byId('add-track').click()
    }
  })

  byId('tracks-discard').addEventListener('click', () => {
    draft = toDraft(state.savedTracks)
    setDirty(false)
    renderTracks()
    say(byId('tracks-status'), 'Changes discarded: the tracks are as saved.')
  })

  tracksForm.addEventListener('submit', async (e) => {
    e.preventDefault()
    const status = byId('tracks-status')
    const body = draft.map((t) => ({
      orderType: t.orderType,
      statuses: t.statuses.map((s) => ({ key: s.key, name: s.name.trim(), sort: s.sort, durationDays: s.durationDays, kind: s.kind })),
    }))
    const button = byId('tracks-save', HTMLButtonElement)
    button.disabled = true
    say(status, 'Saving the status tracks…')
    try {
      state.savedTracks = itemsOf(await api('/production-statuses', { method: 'PUT', body }))
      fillStatusNames(state)
      draft = toDraft(state.savedTracks)
      setDirty(false)
      renderTracks()
      say(status, 'Status tracks saved. Stations and the front desk use them from now on.', 'ok')
      onSaved()
    } catch (err) {
      const extra = err instanceof ApiError && err.code === 'STATUS_IN_USE' && Array.isArray(err.problem?.details?.stranded) ? await strandedOrders(err.problem.details.stranded) : []
      sayProblem(status, err, extra)
      markRows(err)
    } finally {
      button.disabled = false
    }
  })
  window.addEventListener('beforeunload', (e) => {
    if (dirty) e.preventDefault()
  })

  return {
    async load() {
      try {
        state.savedTracks = itemsOf(await api('/production-statuses'))
        fillStatusNames(state)
        draft = toDraft(state.savedTracks)
        setDirty(false)
        renderTracks()
      } catch (err) {
        say(byId('tracks-status'), messageOf(err), 'error')
      }
    },
  }
}
