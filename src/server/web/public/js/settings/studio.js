// @ts-check
// The studio header every printout shows at the top, and the studio logo.
import { api, messageOf, isMissingRoute } from '../api.js'
import { say, byId, fieldOf } from '../dom.js'
import { confirmDialog } from '../confirm.js'
import { sayProblem } from './common.js'

const STUDIO_FIELDS = { name: 'studio-name', addressLines: 'studio-address', phone: 'studio-phone', email: 'studio-email', paper: 'studio-paper', timeZone: 'studio-tz', currency: 'studio-currency', photographerFees: 'studio-fees' }
const MAX_LOGO = 1024 * 1024

/**
 * Marks the fields a problem names (`details.problems[].path`), and focuses the first.
 * @param {HTMLFormElement} form
 * @param {Record<string, string>} fieldIds
 * @param {any} err
 */
function markInvalid(form, fieldIds, err) {
  for (const id of Object.values(fieldIds)) byId(id).removeAttribute('aria-invalid')
  const problems = err?.problem?.details?.problems
  for (const p of Array.isArray(problems) ? problems : []) {
    const field = p && typeof p === 'object' && typeof p.path === 'string' ? p.path.split('.')[0] : null
    if (field && fieldIds[field]) byId(fieldIds[field]).setAttribute('aria-invalid', 'true')
  }
  const first = form.querySelector('[aria-invalid="true"]')
  if (first instanceof HTMLElement) first.focus()
}

/** The studio panel: its form and the logo. @returns {{ load: () => Promise<void> }} */
export function studioPanel() {
  const sform = byId('studio-form', HTMLFormElement)
  const f = {
    name: fieldOf(sform, 'name', HTMLInputElement),
    addressLines: fieldOf(sform, 'addressLines', HTMLTextAreaElement),
    phone: fieldOf(sform, 'phone', HTMLInputElement),
    email: fieldOf(sform, 'email', HTMLInputElement),
    paper: fieldOf(sform, 'paper', HTMLSelectElement),
    timeZone: fieldOf(sform, 'timeZone', HTMLInputElement),
    currency: fieldOf(sform, 'currency', HTMLInputElement),
    photographerFees: fieldOf(sform, 'photographerFees', HTMLInputElement),
  }
  const logoFile = byId('logo-file', HTMLInputElement)
  const logoUpload = byId('logo-upload', HTMLButtonElement)
  const logoRemove = byId('logo-remove', HTMLButtonElement)
  let hasLogo = false

  /** @param {boolean} present */
  function showLogo(present) {
    hasLogo = present
    const img = byId('logo-img', HTMLImageElement)
    logoRemove.disabled = !present
    byId('logo-none').hidden = present
    if (present) {
      img.src = `/api/preferences/studio/logo?v=${Date.now()}`
      img.alt = 'The studio logo as printouts show it'
      img.hidden = false
    } else {
      img.hidden = true
      img.removeAttribute('src')
    }
  }

  /** @param {any} studio */
  function fillStudio(studio) {
    f.name.value = studio.name ?? ''
    f.addressLines.value = (studio.addressLines ?? []).join('\n')
    f.phone.value = studio.phone ?? ''
    f.email.value = studio.email ?? ''
    f.paper.value = studio.paper ?? 'letter'
    f.timeZone.value = studio.timeZone ?? ''
    f.currency.value = studio.currency ?? 'USD'
    f.photographerFees.checked = !!studio.photographerFees
    // Until the studio chooses its zone, printouts use the server's: ask, with that zone filled in.
    const ask = byId('tz-ask')
    ask.hidden = studio.timeZoneSet !== false
    ask.textContent = studio.timeZoneSet === false ? `No time zone is chosen yet: printouts show session times in the server’s zone, ${studio.timeZone}. Check it is the studio’s, then save.` : ''
    if (studio.timeZoneSet === false) byId('studio-tz').setAttribute('aria-describedby', 'tz-ask studio-tz-hint')
    else byId('studio-tz').setAttribute('aria-describedby', 'studio-tz-hint')
    showLogo(!!studio.hasLogo)
  }

  sform.addEventListener('submit', async (e) => {
    e.preventDefault()
    const body = {
      name: f.name.value.trim(),
      addressLines: f.addressLines.value.split('\n').map((l) => l.trim()).filter(Boolean),
      phone: f.phone.value.trim(),
      email: f.email.value.trim() || null,
      paper: f.paper.value,
      photographerFees: f.photographerFees.checked,
      timeZone: f.timeZone.value.trim(),
      currency: f.currency.value.trim(),
    }
    const button = /** @type {HTMLButtonElement} */ (sform.querySelector('button[type=submit]'))
    button.disabled = true
    try {
      const saved = await api('/preferences/studio', { method: 'PUT', body })
      fillStudio(saved)
      markInvalid(sform, STUDIO_FIELDS, null)
      say(byId('studio-status'), `Studio header saved (time zone ${saved.timeZone}, currency ${saved.currency}). Printouts from now on show it.`, 'ok')
    } catch (err) {
      sayProblem(byId('studio-status'), err)
      markInvalid(sform, STUDIO_FIELDS, err)
    } finally {
      button.disabled = false
    }
  })

  logoFile.addEventListener('change', () => {
    const file = logoFile.files?.[0]
    logoUpload.disabled = !file
    if (!file) return say(byId('logo-status'), '')
    if (file.size > MAX_LOGO) return say(byId('logo-status'), `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the logo may be at most 1 MB.`, 'error')
    say(byId('logo-status'), `${file.name} (${Math.ceil(file.size / 1024)} KB) is ready: press Upload logo.`)
  })

  logoUpload.addEventListener('click', async () => {
    const file = logoFile.files?.[0]
    const status = byId('logo-status')
    if (!file) return say(status, 'Choose a PNG image first.', 'warning')
    if (file.size > MAX_LOGO) return say(status, `${file.name} is larger than 1 MB; choose a smaller image.`, 'error')
    const head = new Uint8Array(await file.slice(0, 8).arrayBuffer())
    if (![0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => head[i] === b)) return say(status, `${file.name} is not a PNG image.`, 'error')
    logoUpload.disabled = true
    say(status, `Uploading ${file.name}…`)
    try {
      await api('/preferences/studio/logo', { method: 'PUT', raw: file, contentType: 'image/png' })
      showLogo(true)
      logoFile.value = ''
      say(status, 'Logo saved. Printouts from now on carry it.', 'ok')
    } catch (err) {
      logoUpload.disabled = false
      if (isMissingRoute(err)) say(status, 'This server can’t store a logo yet.', 'warning')
      else sayProblem(status, err)
    }
  })

  logoRemove.addEventListener('click', async (e) => {
    if (!hasLogo) return
    const yes = await confirmDialog({ title: 'Remove the logo?', message: 'Printouts from now on show the studio name without a logo. You can upload it again later.', confirmLabel: 'Remove logo', returnFocus: e.currentTarget })
    if (!yes) return
    try {
      await api('/preferences/studio/logo', { method: 'DELETE' })
      showLogo(false)
      say(byId('logo-status'), 'Logo removed.', 'ok')
      logoFile.focus()
    } catch (err) {
      sayProblem(byId('logo-status'), err)
    }
  })

  return {
    async load() {
      try {
        fillStudio(await api('/preferences/studio'))
      } catch (err) {
        say(byId('studio-status'), messageOf(err), 'error')
      }
    },
  }
}
