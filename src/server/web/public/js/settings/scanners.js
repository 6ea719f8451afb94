// @ts-check
// Scanners: which station each serves, connected or not, last scan, last error; add, delete.
import { api, messageOf, isMissingRoute, itemsOf } from '../api.js'
import { el, say, badge, fmtDateTime, byId } from '../dom.js'
import { confirmDialog } from '../confirm.js'
import { sayProblem, syncRows, onAddForm } from './common.js'

/** @typedef {import('./common.js').SettingsState} SettingsState */

/**
 * The scanners panel.
 * @param {SettingsState} state writes the scanner count per station
 * @param {{ reloadStations: () => unknown }} stations shows a changed count in the stations table
 * @returns {{ load: () => Promise<void> }}
 */
export function scannersPanel(state, { reloadStations }) {
  async function load() {
    const tbody = byId('scanners-table', HTMLTableElement).tBodies[0]
    try {
      const scanners = itemsOf(await api('/scanners'))
      /** @type {Record<string, number>} */
      const counts = {}
      for (const s of scanners) counts[s.station] = (counts[s.station] ?? 0) + 1
      const countsChanged = JSON.stringify(counts) !== JSON.stringify(state.scannerCount)
      state.scannerCount = counts
      if (countsChanged && state.stationList.length) reloadStations()
      syncRows(
        tbody,
        scanners.map((s) => {
          const st = s.state ?? s.status ?? {}
          const connected = typeof st === 'string' ? st : st.connected === undefined ? null : st.connected ? 'connected' : 'disconnected'
          const lastError = st.lastError ?? s.lastError
          return {
            name: s.name,
            station: s.station,
            uri: s.uri || '',
            owned: s.owned,
            connected,
            lastScan: st.lastScanAt ?? st.lastScan?.at ?? s.lastScanAt ?? null,
            lastError: lastError ? (typeof lastError === 'string' ? lastError : (lastError.message ?? JSON.stringify(lastError))) : null,
          }
        }),
        (s) => s.name,
        (s) =>
          /** @type {HTMLTableRowElement} */ (
            el(
              'tr',
              { 'data-scanner': s.name },
              el('td', {}, s.name),
              el('td', {}, s.station),
              el('td', { class: 'opt' }, el('code', {}, s.uri)),
              el(
                'td',
                {},
                s.connected ? badge(s.connected) : '',
                s.owned === false ? el('div', { class: 'hint' }, s.connected ? 'at another location, as its server last reported' : 'at another location') : null,
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
                    onclick: async (/** @type {MouseEvent} */ e) => {
                      const yes = await confirmDialog({ title: `Delete scanner ${s.name}?`, message: `${s.name} (${s.uri}) stops sending scans to station ${s.station}.`, confirmLabel: 'Delete scanner', returnFocus: e.currentTarget })
                      if (!yes) return
                      try {
                        await api(`/scanners/${encodeURIComponent(s.name)}`, { method: 'DELETE' })
                        say(byId('scanners-status'), `Scanner ${s.name} deleted.`, 'ok')
                        await load()
                        byId('scanners-heading').setAttribute('tabindex', '-1')
                        byId('scanners-heading').focus()
                      } catch (err) {
                        sayProblem(byId('scanners-status'), err)
                      }
                    },
                  },
                  'Delete',
                ),
              ),
            )
          ),
        'No scanners yet.',
        5,
      )
    } catch (err) {
      say(byId('scanners-status'), isMissingRoute(err) ? 'Scanners are not available on this server yet.' : messageOf(err), isMissingRoute(err) ? 'warning' : 'error')
    }
  }

  onAddForm('scanner-form', '/scanners', 'scanners-status', 'Scanner', load)

  return { load }
}
