// Keyboard-wedge scanners type the barcode as keystrokes, then Enter. This takes such a burst
// wherever the focus is, and tells it from a person typing by the time between keys: a scanner
// sends its keys a few milliseconds apart; a person needs 60–200 ms between most keys. The
// median gap decides, so that one stalled key event (a busy tablet) does not break a scan.

export const WEDGE_DEFAULTS = Object.freeze({
  /** Median gap between the keys of a scan, at most (ms). Humans: 60 ms and up. */
  maxMedianGap: 35,
  /** A pause longer than this starts a new burst (ms). */
  breakGap: 250,
  /** Fewest characters in a scan (our barcodes have at least 6). */
  minLength: 4,
})

const isEditable = (t) => t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement

function median(values) {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * Decides whether keys (each {key, t}) followed by Enter at `enterAt` were a scanner burst.
 * Returns the scanned text, or null. (A pause over `breakGap` has already started a new burst.)
 */
export function classifyBurst(keys, enterAt, options = {}) {
  const { maxMedianGap, breakGap, minLength } = { ...WEDGE_DEFAULTS, ...options }
  const burst = keys
  if (burst.length < minLength || enterAt - burst[burst.length - 1].t > breakGap) return null
  const gaps = []
  for (let i = 1; i < burst.length; i++) gaps.push(burst[i].t - burst[i - 1].t)
  gaps.push(enterAt - burst[burst.length - 1].t)
  if (median(gaps) > maxMedianGap) return null
  return burst.map((k) => k.key).join('')
}

/**
 * Calls onScan(text) for each scanner burst, anywhere on the page. The burst's characters are
 * taken back out of a text field they landed in, and its Enter does not submit a form or press
 * a button. Returns a function that stops listening.
 */
export function listenForScans(onScan, options = {}) {
  const { breakGap } = { ...WEDGE_DEFAULTS, ...options }
  let keys = []
  let snapshot = null

  const reset = () => {
    keys = []
    snapshot = null
  }

  const onKeyDown = (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return reset()
    const now = e.timeStamp
    if (e.key === 'Enter') {
      const text = keys.length ? classifyBurst(keys, now, options) : null
      if (text !== null) {
        e.preventDefault()
        e.stopImmediatePropagation()
        if (snapshot && snapshot.el.isConnected) {
          snapshot.el.value = snapshot.value
          try {
            snapshot.el.setSelectionRange(snapshot.el.value.length, snapshot.el.value.length)
          } catch {}
        }
        reset()
        onScan(text)
        return
      }
      return reset()
    }
    if (e.key.length !== 1) {
      if (e.key === 'Shift' || e.key === 'CapsLock') return // part of typing a capital
      return reset()
    }
    const last = keys.length ? keys[keys.length - 1].t : -Infinity
    if (now - last > breakGap || (snapshot && snapshot.el !== e.target) || (!snapshot && keys.length && isEditable(e.target))) {
      keys = []
      const t = e.target
      snapshot = isEditable(t) ? { el: t, value: t.value } : null
    }
    keys.push({ key: e.key, t: now })
    if (keys.length > 256) keys.shift()
  }
  document.addEventListener('keydown', onKeyDown, { capture: true })
  return () => document.removeEventListener('keydown', onKeyDown, { capture: true })
}
