// @ts-check
// Printers, with their live status: add, delete.
import { api, ApiError, messageOf, isMissingRoute, itemsOf } from '../api.js'
import { el, say, badge, byId } from '../dom.js'
import { confirmDialog } from '../confirm.js'
import { sayProblem, syncRows, onAddForm } from './common.js'
import { PRINTER_LANGUAGE_TITLES } from '../vocabulary.js'

/** The printers panel. load() is false when the server has no printing (nothing to refresh). @returns {{ load: () => Promise<boolean> }} */
export function printersPanel() {
  /** @param {any} p @param {HTMLElement} button */
  async function deletePrinter(p, button) {
    const yes = await confirmDialog({
      title: `Delete printer ${p.name}?`,
      message: `${p.name} (${(p.language || '').toUpperCase()}, ${p.uri || 'no address'}) is removed from every printout’s printer list. A printer with waiting, held or printing jobs can’t be deleted.`,
      confirmLabel: 'Delete printer',
      returnFocus: button,
    })
    if (!yes) return
    const status = byId('printers-status')
    try {
      await api(`/printers/${encodeURIComponent(p.name)}`, { method: 'DELETE' })
      say(status, `Printer ${p.name} deleted.`, 'ok')
      await load()
      byId('printers-heading').setAttribute('tabindex', '-1')
      byId('printers-heading').focus()
    } catch (err) {
      const extra = err instanceof ApiError && err.code === 'PRINTER_HAS_ACTIVE_JOBS' ? [el('p', {}, el('a', { href: `/print-jobs?state=active` }, 'Open the print queue'), ' to cancel or finish its jobs, then delete it.')] : []
      sayProblem(status, err, extra)
    }
  }

  async function load() {
    const tbody = byId('printers-table', HTMLTableElement).tBodies[0]
    try {
      const printers = itemsOf(await api('/printers'))
      syncRows(
        tbody,
        printers,
        (p) => p.name,
        (p) => {
          const st = p.status || {}
          const reasons = (st.reasons || []).filter((/** @type {string} */ r) => r !== 'none')
          const del = el('button', { type: 'button', class: 'danger small', 'aria-label': `Delete printer ${p.name}`, onclick: (/** @type {MouseEvent} */ e) => deletePrinter(p, /** @type {HTMLElement} */ (e.currentTarget)) }, 'Delete')
          return /** @type {HTMLTableRowElement} */ (
            el(
              'tr',
              { 'data-printer': p.name },
              el('td', { class: 'nowrap' }, p.name),
              el('td', {}, (p.language || '').toUpperCase(), p.media?.stock ? el('div', { class: 'hint' }, `${p.media.stock}${p.media.dpi ? `, ${p.media.dpi} dpi` : ''}`) : null),
              el('td', { class: 'opt' }, el('code', {}, p.uri || '')),
              el('td', {}, badge(st.state || 'unknown'), reasons.length ? el('div', { class: 'hint' }, reasons.join(', ')) : null),
              el('td', { class: 'actions' }, del),
            )
          )
        },
        'No printers yet.',
        5,
      )
      return true
    } catch (err) {
      say(byId('printers-status'), isMissingRoute(err) ? 'Printing is not available on this server yet.' : messageOf(err), isMissingRoute(err) ? 'warning' : 'error')
      return !isMissingRoute(err)
    }
  }

  // The languages the server speaks, named as its table names them.
  const language = byId('printer-language', HTMLSelectElement)
  language.replaceChildren(...Object.entries(PRINTER_LANGUAGE_TITLES).map(([value, title]) => el('option', { value }, title)))
  onAddForm('printer-form', '/printers', 'printers-status', 'Printer', load)

  return { load }
}
