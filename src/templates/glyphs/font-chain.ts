/**
 * The fonts text is drawn with, in the order a character looks for its glyph: the document font
 * (fonts.ts: DejaVu Sans — Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic), then the
 * fallbacks — STUDIO_PRINT_FALLBACK_FONTS (paths separated by `:`), DejaVu Sans when
 * STUDIO_PRINT_FONT chose another document font, then the system fonts below
 * when installed (scripts/install-system-deps.sh installs fonts-droid-fallback for Chinese,
 * Japanese and Korean). PDF, PNG preview and the graphic fields of ZPL and EPL labels all draw
 * from this one chain, so a label prints what its preview shows.
 *
 * Fonts are parsed once per process with the fontkit pdfkit depends on (pdf-compiler.ts embeds
 * these very objects). With STUDIO_PRINT_FONTS=none, or when no font exists, the chain is null:
 * PDFs use Helvetica, labels their resident fonts, and `fontNote()` says so.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dejaVuFile, unicodeFont } from '../fonts.ts'
import { fontSettings, type FontSettings } from '../font-settings.ts'

/** A point of a glyph outline command, in font units (y up). */
export interface PathCommand {
  readonly command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath'
  readonly args: readonly number[]
}

export interface ShapedGlyph {
  readonly id: number
  readonly advanceWidth: number
  readonly path: { readonly commands: readonly PathCommand[] }
}

export interface GlyphPosition {
  readonly xAdvance: number
  readonly yAdvance: number
  readonly xOffset: number
  readonly yOffset: number
}

export interface GlyphRun {
  readonly glyphs: readonly ShapedGlyph[]
  readonly positions: readonly GlyphPosition[]
}

/** The slice of a fontkit font that shaping, drawing and pdfkit use. */
export interface ShapingFont {
  readonly unitsPerEm: number
  readonly ascent: number
  readonly descent: number
  readonly characterSet?: number[]
  hasGlyphForCodePoint(codePoint: number): boolean
  glyphForCodePoint(codePoint: number): ShapedGlyph
  layout(text: string, features?: string[], script?: string, language?: string, direction?: 'ltr' | 'rtl'): GlyphRun
}

export interface ChainFont {
  /** The name pdfkit registers it under. */
  readonly name: string
  readonly font: ShapingFont
  readonly source: string
}

export interface FontChain {
  readonly regular: readonly ChainFont[]
  readonly bold: readonly ChainFont[]
}

/** Fallback fonts looked for on the system (Debian paths): the first that exists of each group. */
export const SYSTEM_FALLBACKS: ReadonlyArray<readonly string[]> = [
  // CJK: fonts-droid-fallback (TrueType, 7 MB installed), else fonts-wqy-microhei.
  ['/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'],
  // Hangul: the smaller Droid file of the same package has it, the Full one does not.
  ['/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf'],
]

interface Fontkit {
  create(buffer: Uint8Array, postscriptName?: string): unknown
}

/** fontkit exactly as pdfkit loads it; null when it can't be loaded. */
export function loadFontkit(): Fontkit | null {
  try {
    const fromPdfkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'))
    const fontkit = fromPdfkit('fontkit') as Partial<Fontkit>
    return typeof fontkit.create === 'function' ? (fontkit as Fontkit) : null
  } catch {
    return null
  }
}

function isShapingFont(f: unknown): f is ShapingFont {
  const o = f as Partial<ShapingFont> | null
  return !!o && typeof o.layout === 'function' && typeof o.hasGlyphForCodePoint === 'function' && typeof o.unitsPerEm === 'number'
}

/**
 * fontkit caches a glyph object with the code points of whoever asked for it first, and pdfkit
 * writes the PDF's ToUnicode map from them. Subsetting asks for accent components (the `u` of
 * `ü`) without code points, so on a font shared across documents later documents would lose
 * `u`, `E`… in copied and extracted text. Creating every mapped glyph from its code point first
 * keeps the map complete; a glyph shared by several code points keeps the lowest. Presentation
 * forms are left out: they are what ligatures and Arabic shaping produce, and must keep the code
 * points of the text they replace (`ﬁ` extracts as "fi").
 */
function withCodePoints(font: ShapingFont): void {
  if (!font.characterSet) return
  for (const cp of font.characterSet) {
    if ((cp >= 0xfb00 && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfeff)) continue
    font.glyphForCodePoint(cp)
  }
}

const prepared = new WeakSet<ShapingFont>()

/**
 * Readies the chain's fonts for pdfkit (see withCodePoints; about 350 ms for DejaVu and the CJK
 * fallbacks, once per process). It must come before anything else asks for a glyph: drawing a
 * composite glyph (é, many CJK glyphs) asks for its components without code points too, so the
 * chain is prepared as it is made, not when the first PDF is.
 */
export function prepareForPdf(chain: FontChain): void {
  for (const f of [...chain.regular, ...chain.bold]) {
    if (prepared.has(f.font)) continue
    withCodePoints(f.font)
    prepared.add(f.font)
  }
}

function parse(fontkit: Fontkit, bytes: Buffer): ShapingFont | null {
  try {
    const f = fontkit.create(bytes)
    // A collection (.ttc): its first font.
    const font = isShapingFont(f) ? f : (f as { fonts?: unknown[] }).fonts?.[0]
    return isShapingFont(font) ? font : null
  } catch {
    return null
  }
}

let cached: FontChain | null | undefined
let cachedFor: FontSettings | null = null

/** The fallback font files in use, in order (env first, then the system's). */
function fallbackPaths(): string[] {
  const env = fontSettings().fallbacks
  const system = SYSTEM_FALLBACKS.map((group) => group.find((p) => existsSync(p))).filter((p): p is string => p !== undefined)
  // A custom STUDIO_PRINT_FONT may lack Greek, Cyrillic, Hebrew, Arabic…: DejaVu Sans comes right after it.
  const dejaVu = dejaVuFile()
  const primary = unicodeFont()?.source
  const custom = dejaVu && primary && primary !== dejaVu ? [dejaVu] : []
  return [...env, ...custom, ...system].filter((p, i, all) => all.indexOf(p) === i && existsSync(p) && p !== primary)
}

/**
 * The font files the chain will use, found without parsing them (cheap: for the start-up log).
 * `fallbacks` empty means no CJK font: such text prints as boxes.
 */
export function fontFiles(): { primary: string | null; fallbacks: string[] } {
  if (fontSettings().off) return { primary: null, fallbacks: [] }
  return { primary: unicodeFont()?.source ?? null, fallbacks: fallbackPaths() }
}

/** The process's font chain, or null when text falls back to Helvetica / resident fonts. */
export function fontChain(): FontChain | null {
  const settings = fontSettings()
  if (cached !== undefined && cachedFor === settings) return cached
  cached = null
  cachedFor = settings
  if (settings.off) return null
  const files = unicodeFont()
  const fontkit = loadFontkit()
  if (!files || !fontkit) return null
  const regular = parse(fontkit, files.regular)
  if (!regular) return null
  const bold = files.bold === files.regular ? regular : (parse(fontkit, files.bold) ?? regular)
  const fallbacks: ChainFont[] = []
  for (const path of fallbackPaths()) {
    const font = parse(fontkit, readFileSync(path))
    if (font) fallbacks.push({ name: `Fallback-${fallbacks.length}`, font, source: path })
  }
  const chain: FontChain = {
    regular: [{ name: 'Body', font: regular, source: files.source }, ...fallbacks],
    bold: [{ name: 'Body-Bold', font: bold, source: files.source }, ...fallbacks],
  }
  prepareForPdf(chain)
  cached = chain
  return cached
}

/** Which scripts the chain covers, for the log and the README's check (a sample letter each). */
export const SCRIPT_SAMPLES: Readonly<Record<string, string>> = {
  latin: 'Ž', greek: 'Ω', cyrillic: 'Ж', armenian: 'Ա', georgian: 'ა', hebrew: 'ש', arabic: 'ع', han: '王', kana: 'さ', hangul: '김',
}

/** Scripts no font of the chain can draw (their text is drawn as the font's empty box). */
export function missingScripts(chain: FontChain | null = fontChain()): string[] {
  if (!chain) return Object.keys(SCRIPT_SAMPLES)
  return Object.entries(SCRIPT_SAMPLES)
    .filter(([, ch]) => !chain.regular.some((f) => f.font.hasGlyphForCodePoint(ch.codePointAt(0)!)))
    .map(([script]) => script)
}

/** For tests: forget the chain. */
export function resetFontChain(): void {
  cached = undefined
}
