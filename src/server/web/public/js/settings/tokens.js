// @ts-check
// API tokens: list, make (the secret shown once), revoke. Only an admin sees them.
import { api, ApiError, messageOf, itemsOf } from '../api.js'
import { el, clear, say, badge, fmtDateTime, byId } from '../dom.js'
import { confirmDialog } from '../confirm.js'
import { formData } from './common.js'

/** The tokens panel. @returns {{ load: () => Promise<void> }} */
export function tokensPanel() {
  async function load() {
    const tbody = byId('tokens-table', HTMLTableElement).tBodies[0]
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
                      onclick: async (/** @type {MouseEvent} */ e) => {
                        const yes = await confirmDialog({ title: `Revoke ${what}?`, message: 'Whoever uses it is signed out at once. This can’t be undone.', confirmLabel: 'Revoke token', returnFocus: e.currentTarget })
                        if (!yes) return
                        try {
                          await api(`/tokens/${t.id}`, { method: 'DELETE' })
                          say(byId('tokens-status'), `Token ${t.id} revoked.`, 'ok')
                          await load()
                          byId('tokens-heading').setAttribute('tabindex', '-1')
                          byId('tokens-heading').focus()
                        } catch (err) {
                          say(byId('tokens-status'), messageOf(err), 'error')
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
      say(byId('tokens-status'), err instanceof ApiError && err.status === 403 ? 'Only an admin sees the tokens.' : messageOf(err), 'warning')
    }
  }

  byId('token-role', HTMLSelectElement).addEventListener('change', (e) => {
    const role = /** @type {HTMLSelectElement} */ (e.target).value
    byId('token-station-wrap').hidden = role !== 'station'
    byId('token-station', HTMLInputElement).required = role === 'station'
  })
  byId('token-form', HTMLFormElement).addEventListener('submit', async (e) => {
    e.preventDefault()
    const form = /** @type {HTMLFormElement} */ (e.target)
    /** @type {Partial<Record<string, string>>} */
    const body = formData(form)
    if (body.role !== 'station') delete body.station
    if (!body.label) delete body.label
    const out = clear(byId('token-secret'))
    try {
      const { id, token } = await api('/tokens', { method: 'POST', body })
      out.append(el('p', {}, `Token ${id} made. Copy it now: it is not shown again.`), el('p', { class: 'secret' }, token))
      form.reset()
      byId('token-station-wrap').hidden = true
      load()
    } catch (err) {
      say(byId('tokens-status'), messageOf(err), 'error')
    }
  })

  return { load }
}
