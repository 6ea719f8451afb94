// @ts-check
// What the settings panels share: the state one panel reads from another, and the helpers each uses.
import { api, messageOf, problemLines } from '../api.js'
import { el, clear, say, byId } from '../dom.js'

/**
 * @typedef {{ key: string, name: string, sort: number | null, durationDays: number | null, kind: string }} TrackStatus
 * @typedef {{ orderType: string, statuses: TrackStatus[] }} Track
 * @typedef {{ name: string, mode: string, advanceTo?: string | null }} Station
 */

/**
 * State the panels share, passed to each explicitly: the tracks as saved (the stations panel
 * offers their statuses as targets, by name), and the stations with their scanner counts.
 * @typedef {object} SettingsState
 * @property {Track[]} savedTracks the status tracks as the server has them
 * @property {Record<string, Record<string, string>>} statusNames order type → status key → name
 * @property {Record<string, number>} scannerCount station name → scanners at it
 * @property {Station[]} stationList the stations as last read
 */

/** @returns {SettingsState} */
export function newSettingsState() {
  return { savedTracks: [], statusNames: {}, scannerCount: {}, stationList: [] }
}

/** A form's fields as a plain object (text values). @param {HTMLFormElement} form */
export const formData = (form) => Object.fromEntries(/** @type {Iterable<[string, string]>} */ (new FormData(form).entries()))

/**
 * An "add" form: its fields POSTed to `path`; "<what> NAME added." in the panel's status line, the
 * form cleared and the panel read again; a refusal shown with the server's reasons.
 * @param {string} formId
 * @param {string} path
 * @param {string} statusId
 * @param {string} what
 * @param {() => unknown} reload
 */
export function onAddForm(formId, path, statusId, what, reload) {
  byId(formId, HTMLFormElement).addEventListener('submit', async (e) => {
    e.preventDefault()
    const form = /** @type {HTMLFormElement} */ (e.target)
    try {
      const body = formData(form)
      await api(path, { method: 'POST', body })
      say(byId(statusId), `${what} ${body.name} added.`, 'ok')
      form.reset()
      reload()
    } catch (err) {
      sayProblem(byId(statusId), err)
    }
  })
}

/**
 * A message with the server's own list of what is wrong under it (problem+json `details.problems`),
 * and `extra` nodes (e.g. links to stranded orders). Text only, never markup.
 * @param {HTMLElement} node
 * @param {unknown} err
 * @param {Node[]} [extra]
 */
export function sayProblem(node, err, extra = []) {
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
 * @template T
 * @param {HTMLTableSectionElement} tbody
 * @param {T[]} items
 * @param {(item: T) => string} key
 * @param {(item: T) => HTMLTableRowElement} build
 * @param {string} emptyText
 * @param {number} columns
 */
export function syncRows(tbody, items, key, build, emptyText, columns) {
  if (!items.length) {
    clear(tbody).append(el('tr', {}, el('td', { colspan: String(columns) }, emptyText)))
    return
  }
  const old = new Map([...tbody.rows].filter((r) => r.dataset.key !== undefined).map((r) => [r.dataset.key, r]))
  const focused = document.activeElement
  const focusRow = focused && tbody.contains(focused) ? focused.closest('tr') : null
  const focusLabel = focusRow && focused ? focused.getAttribute('aria-label') || focused.id : null
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
    const again = tbody.querySelector(`tr[data-key="${CSS.escape(focusRow.dataset.key ?? '')}"] [aria-label="${CSS.escape(focusLabel)}"], #${CSS.escape(focusLabel)}`)
    if (again instanceof HTMLElement) again.focus()
  }
}

/** Status names per order type: a key two tracks share may be named differently in each. @param {SettingsState} state */
export function fillStatusNames(state) {
  state.statusNames = {}
  for (const track of state.savedTracks) state.statusNames[track.orderType] = Object.fromEntries(track.statuses.map((s) => [s.key, s.name]))
}

/**
 * A status by the name its order type's track gives it (default: the default track's, else any track's).
 * @param {SettingsState} state
 * @param {string} key
 */
export function statusNameOf(state, key, orderType = 'default') {
  const names = state.statusNames
  const own = names[orderType]?.[key] ?? names.default?.[key]
  if (own) return own
  for (const each of Object.values(names)) if (each[key]) return each[key]
  return key
}
