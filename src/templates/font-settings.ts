/**
 * Which fonts text is drawn with, as the composition root hands them in (STUDIO_PRINT_FONTS,
 * STUDIO_PRINT_FONT, STUDIO_PRINT_FONT_BOLD, STUDIO_PRINT_FALLBACK_FONTS, read by the
 * configuration schema). Templates never read the environment: until configureFonts is called
 * (a unit test, a render worker before its first task) the defaults hold — fonts on, the bundled
 * DejaVu Sans, the system's fallbacks.
 */
export interface FontSettings {
  /** STUDIO_PRINT_FONTS=none: no Unicode fonts at all. */
  off: boolean
  /** STUDIO_PRINT_FONT: the first font of the chain (used when the file exists). */
  regular: string | null
  /** STUDIO_PRINT_FONT_BOLD: its bold (the regular one when unset or missing). */
  bold: string | null
  /** STUDIO_PRINT_FALLBACK_FONTS: more fonts, tried before the system's fallbacks. */
  fallbacks: readonly string[]
}

export const DEFAULT_FONT_SETTINGS: FontSettings = Object.freeze({ off: false, regular: null, bold: null, fallbacks: Object.freeze([]) })

let current: FontSettings = DEFAULT_FONT_SETTINGS

/** Sets the fonts of this thread; the font lookups made before are forgotten when they differ (parsing the chain costs ~350 ms). */
export function configureFonts(settings: FontSettings): void {
  const same = settings.off === current.off && settings.regular === current.regular && settings.bold === current.bold && settings.fallbacks.join('\0') === current.fallbacks.join('\0')
  if (same) return
  current = Object.freeze({ off: settings.off, regular: settings.regular, bold: settings.bold, fallbacks: Object.freeze([...settings.fallbacks]) })
}

/** The fonts of this thread (the lookups cache by this object: a new one means look again). */
export function fontSettings(): FontSettings {
  return current
}
