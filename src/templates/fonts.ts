/**
 * The Unicode font documents and previews are drawn with. Looked up once per font settings
 * (font-settings.ts): STUDIO_PRINT_FONT (and STUDIO_PRINT_FONT_BOLD), then the DejaVu Sans shipped in node_modules (dejavu-fonts-ttf),
 * then the usual system places. Where none exists
 * the PDF falls back to the standard Helvetica (Windows-1252 only: other characters are
 * transliterated, see `fontNote`) and the PNG preview to bwip-js's built-in OCR-B.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { missingScripts } from './glyphs/font-chain.ts'
import { fontSettings, type FontSettings } from './font-settings.ts'

export interface FontFiles {
  regular: Buffer
  bold: Buffer
  source: string
}

/** DejaVu shipped with the app (npm dejavu-fonts-ttf), so a fresh machine needs no system fonts. */
function bundledDejaVu(): string[] {
  try {
    return [join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf')]
  } catch {
    return []
  }
}

const CANDIDATES = [
  ...bundledDejaVu(),
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu',
  '/usr/share/fonts/TTF',
  '/usr/local/share/fonts/dejavu',
  '/opt/homebrew/share/fonts',
  '/Library/Fonts',
]

let cached: FontFiles | null | undefined
let cachedFor: FontSettings | null = null

export function unicodeFont(): FontFiles | null {
  const settings = fontSettings()
  if (cached !== undefined && cachedFor === settings) return cached
  cached = null
  cachedFor = settings
  if (settings.off) return null
  const envRegular = settings.regular
  if (envRegular && existsSync(envRegular)) {
    const envBold = settings.bold
    const regular = readFileSync(envRegular)
    cached = { regular, bold: envBold && existsSync(envBold) ? readFileSync(envBold) : regular, source: envRegular }
    return cached
  }
  for (const dir of CANDIDATES) {
    const regular = `${dir}/DejaVuSans.ttf`
    if (existsSync(regular)) {
      const bold = `${dir}/DejaVuSans-Bold.ttf`
      const regularBytes = readFileSync(regular)
      cached = { regular: regularBytes, bold: existsSync(bold) ? readFileSync(bold) : regularBytes, source: regular }
      return cached
    }
  }
  return null
}

/** DejaVu Sans where it is found (npm package first), whatever STUDIO_PRINT_FONT says: the chain's fallback for a custom font. */
export function dejaVuFile(): string | null {
  for (const dir of CANDIDATES) if (existsSync(`${dir}/DejaVuSans.ttf`)) return `${dir}/DejaVuSans.ttf`
  return null
}

/**
 * Why text may not print as written in this process, or null when every script of the font
 * chain's check (glyphs/font-chain.ts) can be drawn.
 */
export function fontNote(): string | null {
  if (fontSettings().off) return 'STUDIO_PRINT_FONTS=none: PDFs use Helvetica and transliterate non-Latin-1 text; ZPL and EPL labels print record text in their resident fonts only (EPL transliterates, ZPL prints boxes beyond Latin-1).'
  if (!unicodeFont()) return 'No Unicode TTF found (set STUDIO_PRINT_FONT or install fonts-dejavu-core): PDFs use Helvetica and transliterate non-Latin-1 text; ZPL and EPL labels print record text in their resident fonts only.'
  const missing = missingScripts()
  return missing.length === 0 ? null : `No font for ${missing.join(', ')} (install fonts-droid-fallback, or list fonts in STUDIO_PRINT_FALLBACK_FONTS): such text prints as empty boxes.`
}

/** For tests: forget the cached lookup. */
export function resetFontCache(): void {
  cached = undefined
}
