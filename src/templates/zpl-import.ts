/**
 * A studio's ZPL as label designers export it, made fit to be a template (pure):
 * - `^CI0`, `^CI13` (code page 850) and `^CI27` (Windows-1252) become `^CI28`, with fixed text
 *   re-encoded (zpl-encoding.ts): templates are filled with UTF-8 record text;
 * - field data holding a `{{placeholder}}` without `^FH` gets `^FH` (an `_` already in that
 *   field's fixed text becomes `_5F`, so it still prints as `_`): record text is always escaped.
 * Every change is listed with its line, for the studio to see. Anything else is left to
 * validateTemplate, which refuses what it can't accept.
 */
import { toUtf8Zpl, type ZplConversion } from './zpl-encoding.ts'

export type { ZplConversion } from './zpl-encoding.ts'

/** The `^CI` values converted on import; others (national 7-bit sets, UTF-16 …) are refused by validation. */
export const IMPORTED_CODE_PAGES = [0, 13, 27] as const

const PLACEHOLDER = /\{\{\s*([A-Za-z][\w.]*)\s*\}\}/

export function importZplTemplate(body: string): { body: string; conversions: ZplConversion[] } {
  // Templates refuse ^CC/^CT (validation): the caret is ^ here.
  const encoded = toUtf8Zpl(body, { only: IMPORTED_CODE_PAGES })
  const conversions = [...encoded.conversions]
  let out = ''
  let line = 1
  // Field by field: each segment ends with its ^FS.
  for (const segment of encoded.zpl.split(/(?<=\^FS)/i)) {
    const data = /\^F[DV]/i.exec(segment)
    const name = data ? PLACEHOLDER.exec(segment.slice(data.index))?.[1] : undefined
    if (data && name && !/\^FH/i.test(segment.slice(0, data.index))) {
      // Fixed text between placeholders (odd parts are placeholder names, kept as they are).
      const parts = segment.slice(data.index + 3).split(new RegExp(`(${PLACEHOLDER.source})`, 'g'))
      const hadUnderscore = parts.some((p, i) => i % 3 === 0 && p.includes('_'))
      const fixed = parts.map((p, i) => (i % 3 === 0 ? p.replaceAll('_', '_5F') : i % 3 === 1 ? p : '')).join('')
      out += `${segment.slice(0, data.index)}^FH${segment.slice(data.index, data.index + 3)}${fixed}`
      const at = line + (segment.slice(0, data.index).match(/\n/g) ?? []).length
      conversions.push({ line: at, command: segment.slice(data.index, data.index + 3).toUpperCase(), change: `^FH added before the field data holding {{${name}}}, so record text is escaped${hadUnderscore ? ' (its _ written as _5F)' : ''}` })
    } else out += segment
    line += (segment.match(/\n/g) ?? []).length
  }
  conversions.sort((a, b) => a.line - b.line)
  return { body: out, conversions }
}
