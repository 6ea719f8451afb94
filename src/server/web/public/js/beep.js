// @ts-check
// Short tones through Web Audio for scan results (no audio files). Browsers start audio only after a
// user gesture; the first key press or click unlocks it.

let ctx = null
let enabled = localStorage.getItem('sp.sound') !== 'off'

function context() {
  if (!ctx) {
    const AC = window.AudioContext || /** @type {Window & { webkitAudioContext?: typeof AudioContext }} */ (window).webkitAudioContext
    if (!AC) return null
    ctx = new AC()
  }
  if (ctx.state === 'suspended') ctx.resume().catch(() => {})
  return ctx
}

// Making an AudioContext takes a page ~200 ms (the audio device starts). Done inside the first key
// press, it stalled the page between a wedge scanner's first and second key (and done when the page
// is idle, it could land in the middle of a scan). So it is made at the first tone, which follows a
// scan's result — the keys of the scan have all arrived by then, and they count as the user gesture
// that lets audio start. A later gesture resumes a context the browser suspended.
for (const type of ['keydown', 'pointerdown']) {
  addEventListener(type, () => enabled && ctx && ctx.state === 'suspended' && ctx.resume().catch(() => {}), { capture: true, passive: true })
}

export function soundEnabled() {
  return enabled
}

export function setSound(on) {
  enabled = on
  localStorage.setItem('sp.sound', on ? 'on' : 'off')
  if (on) context() // a click on the sound button: a gesture, and no scan under way
}

function tone(freq, start, duration, type = 'square', gain = 0.08) {
  const c = context()
  if (!c) return
  const t0 = c.currentTime + start
  const osc = c.createOscillator()
  const g = c.createGain()
  osc.type = type
  osc.frequency.value = freq
  g.gain.setValueAtTime(gain, t0)
  g.gain.exponentialRampToValueAtTime(0.0001, t0 + duration)
  osc.connect(g).connect(c.destination)
  osc.start(t0)
  osc.stop(t0 + duration + 0.02)
}

/** 'ok' a short high blip, 'warning' two mid tones, 'error' a long low buzz twice. */
export function beep(kind) {
  if (!enabled) return
  if (kind === 'error') {
    tone(220, 0, 0.25, 'sawtooth', 0.12)
    tone(180, 0.3, 0.35, 'sawtooth', 0.12)
  } else if (kind === 'warning') {
    tone(520, 0, 0.12)
    tone(520, 0.18, 0.12)
  } else {
    tone(1320, 0, 0.07, 'sine', 0.1)
  }
  document.documentElement.dataset.lastBeep = kind
}
