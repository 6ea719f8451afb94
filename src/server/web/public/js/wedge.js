// Keyboard-wedge scanners type the barcode as keystrokes, then Enter. This takes such a burst
// wherever the focus is, and tells it from a person typing by the time between keys: a scanner
// sends every key within a few milliseconds; a person needs 100 ms or more between most keys.

export const WEDGE_DEFAULTS = Object.freeze({
  /** Largest gap between two keys of one scan (ms). */
  maxGap: 50,
  /** Fewest characters in a scan (our barcodes have at least 6). */
  minLength: 4,
  /** Largest gap between the last character and Enter (ms). */
  maxEnterGap: 100,
})

const isEditable = (t) => t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement

/**
 * Calls onScan(text) for each scanner burst, anywhere on the page. The burst's characters are
 * taken back out of a text field they landed in, and its Enter does not submit a form.
 * Returns a function that stops listening.
 */
export function listenForScans(onScan, options = {}) {
  const { maxGap, minLength, maxEnterGap } = { ...WEDGE_DEFAULTS, ...options }
  let chars = []
  let last = -Infinity
  let snapshot = null

  const reset = () => {
    chars = []
    last = -Infinity
    snapshot = null
  }

  const onKeyDown = (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return reset()
    const now = e.timeStamp
    if (e.key === 'Enter') {
      const isScan = chars.length >= minLength && now - last <= maxEnterGap
      if (isScan) {
        e.preventDefault()
        e.stopImmediatePropagation()
        if (snapshot && snapshot.el.isConnected && snapshot.el.value !== snapshot.value) {
          snapshot.el.value = snapshot.value
          try {
            snapshot.el.setSelectionRange(snapshot.start, snapshot.end)
          } catch {}
        }
        const text = chars.join('')
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
    if (now - last > maxGap) {
      // A new burst starts here (what came before was a person, or nothing).
      chars = []
      const t = e.target
      snapshot = isEditable(t) ? { el: t, value: t.value, start: t.selectionStart, end: t.selectionEnd } : null
    }
    chars.push(e.key)
    last = now
  }
  document.addEventListener('keydown', onKeyDown, { capture: true })
  return () => document.removeEventListener('keydown', onKeyDown, { capture: true })
}
