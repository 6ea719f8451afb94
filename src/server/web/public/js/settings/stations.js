// @ts-check
// Stations: mode, where a scanned order goes, their scanners, mode cards; the scan batch idle time.
import { api, messageOf, isMissingRoute, itemsOf } from '../api.js'
import { el, clear, say, byId } from '../dom.js'
import { confirmDialog } from '../confirm.js'
import { sayProblem, syncRows, statusNameOf, onAddForm } from './common.js'

/** @typedef {import('./common.js').SettingsState} SettingsState */
/** @typedef {import('./common.js').Station} Station */

/**
 * The stations panel.
 * @param {SettingsState} state reads the saved tracks' statuses and the scanner counts; writes the station list
 * @param {{ reloadScanners: () => Promise<unknown> }} scanners a deleted station takes its scanners with it
 * @returns {{ load: () => Promise<void>, loadScanningPreferences: () => Promise<void> }}
 */
export function stationsPanel(state, { reloadScanners }) {
  /**
   * @param {Station} s
   * @param {Record<string, unknown>} patch
   * @param {(updated: any) => string} done
   */
  async function patchStation(s, patch, done) {
    const status = byId('stations-status')
    try {
      const updated = await api(`/stations/${encodeURIComponent(s.name)}`, { method: 'PATCH', body: patch })
      Object.assign(s, updated)
      say(status, done(updated), 'ok')
    } catch (err) {
      sayProblem(status, err)
    }
    await load()
  }

  /**
   * A station's target serves every order type: a key named differently by two tracks shows each
   * name with its track ("Retouching; yearbook: Yearbook retouch").
   * @param {string} key
   */
  function targetName(key) {
    const base = statusNameOf(state, key)
    const others = Object.entries(state.statusNames).filter(([type, names]) => type !== 'default' && names[key] && names[key] !== base)
    return others.length ? `${base}; ${others.map(([type, names]) => `${type}: ${names[key]}`).join('; ')}` : base
  }

  /** @param {string | null | undefined} key */
  function targetText(key) {
    return key ? targetName(key) : 'its next status'
  }

  /** @param {Station} s */
  function stationRow(s) {
    /** @param {Event} e */
    const valueOf = (e) => /** @type {HTMLSelectElement} */ (e.target).value
    const modeSelect = el(
      'select',
      {
        'aria-label': `Mode of station ${s.name}`,
        onchange: (/** @type {Event} */ e) => patchStation(s, { mode: valueOf(e) }, (u) => `Station ${u.name}: ${u.mode === 'advance' ? 'barcode status update, each scan moves an order' : 'look up records, each scan opens the record'}.`),
      },
      el('option', { value: 'lookup', selected: s.mode === 'lookup' }, 'Look up records'),
      el('option', { value: 'advance', selected: s.mode === 'advance' }, 'Barcode status update'),
    )
    const keys = [...new Set(state.savedTracks.flatMap((t) => t.statuses.map((x) => x.key)))]
    if (s.advanceTo && !keys.includes(s.advanceTo)) keys.push(s.advanceTo)
    const targetSelect = el(
      'select',
      {
        'aria-label': `Where each order scanned at station ${s.name} goes`,
        disabled: s.mode !== 'advance',
        onchange: (/** @type {Event} */ e) => patchStation(s, { advanceTo: valueOf(e) || null }, (u) => `Station ${u.name}: each scanned order goes to ${targetText(u.advanceTo)}.`),
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
        onclick: async (/** @type {MouseEvent} */ e) => {
          const n = state.scannerCount[s.name] ?? 0
          const yes = await confirmDialog({
            title: `Delete station ${s.name}?`,
            message: `Its screen stops taking scans${n ? `, and its ${n} scanner${n === 1 ? ' is' : 's are'} removed with it` : ''}. Its scan log is kept.`,
            confirmLabel: 'Delete station',
            returnFocus: e.currentTarget,
          })
          if (!yes) return
          try {
            await api(`/stations/${encodeURIComponent(s.name)}`, { method: 'DELETE' })
            say(byId('stations-status'), `Station ${s.name} deleted.`, 'ok')
            await Promise.all([load(), reloadScanners()])
            byId('stations-heading').setAttribute('tabindex', '-1')
            byId('stations-heading').focus()
          } catch (err) {
            sayProblem(byId('stations-status'), err)
          }
        },
      },
      'Delete',
    )
    return /** @type {HTMLTableRowElement} */ (
      el(
        'tr',
        { 'data-station': s.name },
        el('td', {}, el('a', { href: `/stations/${encodeURIComponent(s.name)}` }, s.name)),
        el('td', {}, modeSelect),
        el('td', {}, targetSelect),
        el('td', { class: 'num' }, String(state.scannerCount[s.name] ?? 0)),
        el('td', { class: 'actions' }, cards, ' ', del),
      )
    )
  }

  async function load() {
    const tbody = byId('stations-table', HTMLTableElement).tBodies[0]
    const select = byId('scanner-station', HTMLSelectElement)
    try {
      state.stationList = itemsOf(await api('/stations'))
      const chosen = select.value
      clear(select).append(...state.stationList.map((s) => el('option', { value: s.name, selected: s.name === chosen }, s.name)))
      // The signature includes the scanner count and the status names, so a change to either re-renders.
      syncRows(
        tbody,
        state.stationList.map((s) => ({ name: s.name, mode: s.mode, advanceTo: s.advanceTo ?? null, scanners: state.scannerCount[s.name] ?? 0, names: state.statusNames })),
        (s) => s.name,
        (s) => stationRow(/** @type {Station} */ (state.stationList.find((x) => x.name === s.name))),
        'No stations yet.',
        5,
      )
    } catch (err) {
      say(byId('stations-status'), isMissingRoute(err) ? 'Scanner stations are not available on this server yet.' : messageOf(err), isMissingRoute(err) ? 'warning' : 'error')
    }
  }

  // A station's batch of scans ends by itself after this idle time (the server keeps the batch).
  async function loadScanningPreferences() {
    try {
      const prefs = await api('/preferences/scanning')
      byId('batch-idle-minutes', HTMLInputElement).value = String(prefs.batchIdleMinutes)
    } catch (err) {
      if (!isMissingRoute(err)) say(byId('stations-status'), messageOf(err), 'error')
    }
  }
  byId('batch-idle-form', HTMLFormElement).addEventListener('submit', async (e) => {
    e.preventDefault()
    const minutes = byId('batch-idle-minutes', HTMLInputElement)
    try {
      const saved = await api('/preferences/scanning', { method: 'PUT', body: { batchIdleMinutes: Number(minutes.value) } })
      minutes.value = String(saved.batchIdleMinutes)
      say(byId('stations-status'), `A batch now ends after ${saved.batchIdleMinutes} minutes without a scan.`, 'ok')
    } catch (err) {
      sayProblem(byId('stations-status'), err)
    }
  })

  onAddForm('station-form', '/stations', 'stations-status', 'Station', load)

  return { load, loadScanningPreferences }
}
