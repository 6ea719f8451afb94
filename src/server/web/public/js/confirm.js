// @ts-check
// A confirmation as a real <dialog> (modal, focus kept inside, Escape cancels), not window.confirm:
// it names what goes, says what follows, and is styled and announced like the rest of the page.
import { el } from './dom.js'

/** @type {HTMLDialogElement | null} */
let dialog = null

function build() {
  const title = el('h2', { id: 'confirm-title' })
  const message = el('p', { id: 'confirm-message' })
  const cancel = el('button', { type: 'submit', value: 'cancel', id: 'confirm-cancel', autofocus: true }, 'Cancel')
  const ok = el('button', { type: 'submit', value: 'ok', id: 'confirm-ok', class: 'danger' })
  dialog = el(
    'dialog',
    { id: 'confirm-dialog', class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-message' },
    el('form', { method: 'dialog' }, title, message, el('div', { class: 'row end' }, cancel, ok)),
  )
  document.body.append(dialog)
  return dialog
}

/**
 * Asks before something that can't be undone. Resolves true only when the person chose the
 * confirm button; Cancel, Escape or closing otherwise → false. Focus starts on Cancel and goes
 * back to `returnFocus` (or the element that had it) when the dialog closes.
 * @param {{ title: string, message: string, confirmLabel?: string, returnFocus?: EventTarget | null }} what
 * @returns {Promise<boolean>}
 */
export function confirmDialog({ title, message, confirmLabel = 'Delete', returnFocus = document.activeElement }) {
  const d = dialog ?? build()
  /** @param {string} id */
  const part = (id) => /** @type {HTMLElement} */ (d.querySelector(id))
  part('#confirm-title').textContent = title
  part('#confirm-message').textContent = message
  part('#confirm-ok').textContent = confirmLabel
  d.returnValue = ''
  return new Promise((resolve) => {
    d.addEventListener(
      'close',
      () => {
        const yes = d.returnValue === 'ok'
        if (returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus()
        resolve(yes)
      },
      { once: true },
    )
    d.showModal()
    part('#confirm-cancel').focus()
  })
}
