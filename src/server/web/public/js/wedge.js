// @ts-check
// Keyboard-wedge scanners type the barcode as keystrokes, then Enter. This takes such a burst
// wherever the focus is, and tells it from a person typing by the time between keys: a scanner
// sends its keys a few milliseconds apart; a person needs 60–200 ms between most keys. The
// median gap decides, so that one stalled key event (a busy tablet) does not break a scan.

export const WEDGE_DEFAULTS = Object.freeze({
  /** Median gap between the keys of a scan, at most (ms). Humans: 60 ms and up. */
  maxMedianGap: 35,
  /** A pause longer than this starts a new burst (ms)... */
  breakGap: 250,
  /**
   * ...unless the page itself stalled: a pause of up to this long (ms) between keys that both
   * came at scanner speed (or after the very first key of a burst) is taken as the page being
   * busy, not as a new burst. A tablet waking its audio or a busy machine stalls a page for a few
   * hundred milliseconds, and the scanner's keys wait in the queue; no stall may cost a scan its
   * characters.
   */
  maxStall: 1500,
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
 * Returns the scanned text, or null. The median gap decides, so that one stalled key event
 * does not break a scan.
 */
export function classifyBurst(keys, enterAt, options = {}) {
  const { maxMedianGap, maxStall, minLength } = { ...WEDGE_DEFAULTS, ...options }
  const burst = keys
  if (burst.length < minLength || enterAt - burst[burst.length - 1].t > maxStall) return null
  const gaps = []
  for (let i = 1; i < burst.length; i++) gaps.push(burst[i].t - burst[i - 1].t)
  gaps.push(enterAt - burst[burst.length - 1].t)
  if (median(gaps) > maxMedianGap) return null
  return burst.map((k) => k.key).join('')
}

/** A run of keys at scanner speed: one key alone, or a median gap within the scanner limit. */
function fast(keys, maxMedianGap) {
  if (keys.length < 2) return true
  const gaps = []
  for (let i = 1; i < keys.length; i++) gaps.push(keys[i].t - keys[i - 1].t)
  return median(gaps) <= maxMedianGap
}

/**
 * The keys a scan ending now may be made of: the last run of keys, joined with the runs before it
 * where the pause between was a stall (see `maxStall`) and both sides came at scanner speed.
 * Runs are [{keys, snapshot, hard}]; `hard` marks a run started by focus moving, never joined.
 * Returns {keys, snapshot} of the earliest run joined.
 */
export function joinStalledRuns(runs, options = {}) {
  const { maxMedianGap, maxStall } = { ...WEDGE_DEFAULTS, ...options }
  let i = runs.length - 1
  let keys = runs[i].keys
  while (i > 0 && !runs[i].hard) {
    const before = runs[i - 1].keys
    const gap = runs[i].keys[0].t - before[before.length - 1].t
    if (gap > maxStall || !fast(before, maxMedianGap) || !fast(runs[i].keys, maxMedianGap)) break
    keys = [...before, ...keys]
    i--
  }
  return { keys, snapshot: runs[i].snapshot }
}

/**
 * Calls onScan(text) for each scanner burst, anywhere on the page. The burst's characters are
 * taken back out of a text field they landed in, and its Enter does not submit a form or press
 * a button. Returns a function that stops listening.
 */
export function listenForScans(onScan, options = {}) {
  const { breakGap } = { ...WEDGE_DEFAULTS, ...options }
  /** Runs of keys separated by pauses over breakGap; the last three are kept. */
  let runs = []

  const reset = () => {
    runs = []
  }

  const onKeyDown = (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return reset()
    const now = e.timeStamp
    if (e.key === 'Enter') {
      let text = null
      let snapshot = null
      if (runs.length) {
        const joined = joinStalledRuns(runs, options)
        text = classifyBurst(joined.keys, now, options)
        snapshot = joined.snapshot
        if (text === null && joined.keys.length !== runs[runs.length - 1].keys.length) {
          text = classifyBurst(runs[runs.length - 1].keys, now, options)
          snapshot = runs[runs.length - 1].snapshot
        }
      }
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
    const run = runs[runs.length - 1]
    const last = run ? run.keys[run.keys.length - 1].t : -Infinity
    const focusMoved = run && ((run.snapshot && run.snapshot.el !== e.target) || (!run.snapshot && isEditable(e.target)))
    if (!run || now - last > breakGap || focusMoved) {
      const t = e.target
      runs.push({ keys: [], snapshot: isEditable(t) ? { el: t, value: t.value } : null, hard: Boolean(focusMoved) })
      if (runs.length > 3) runs.shift()
    }
    const current = runs[runs.length - 1]
    current.keys.push({ key: e.key, t: now })
    if (current.keys.length > 256) current.keys.shift()
  }
  document.addEventListener('keydown', onKeyDown, { capture: true })
  return () => document.removeEventListener('keydown', onKeyDown, { capture: true })
}
