// @ts-check
// Barcoding: which printouts carry a barcode, and in which symbology.
import { api, messageOf } from '../api.js'
import { say, byId, fieldOf } from '../dom.js'

const PREFS = ['clientPrintouts', 'sessionPrintouts', 'invoicePrintouts', 'productionOrders']

/** The barcoding panel. @returns {{ load: () => Promise<void> }} */
export function barcodingPanel() {
  const bform = byId('barcoding-form', HTMLFormElement)
  /** @param {string} k */
  const box = (k) => fieldOf(bform, k, HTMLInputElement)
  const symbology = fieldOf(bform, 'symbology', HTMLSelectElement)

  bform.addEventListener('submit', async (e) => {
    e.preventDefault()
    /** @type {Record<string, boolean | string>} */
    const body = Object.fromEntries(PREFS.map((k) => [k, box(k).checked]))
    body.symbology = symbology.value
    try {
      await api('/preferences/barcoding', { method: 'PUT', body })
      say(byId('barcoding-status'), 'Barcoding saved. Printouts from now on follow it.', 'ok')
    } catch (err) {
      say(byId('barcoding-status'), messageOf(err), 'error')
    }
  })

  return {
    async load() {
      try {
        const prefs = await api('/preferences/barcoding')
        for (const k of PREFS) box(k).checked = !!prefs[k]
        if (prefs.symbology) symbology.value = prefs.symbology
      } catch (err) {
        say(byId('barcoding-status'), messageOf(err), 'error')
      }
    },
  }
}
