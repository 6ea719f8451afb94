/**
 * Studio-defined label templates: validation (pure) and rendering of raw ZPL/EPL bodies with
 * {{field}} placeholders filled by each language's escaper.
 */
import { ValidationError } from '../domain/errors.ts'
import { TEMPLATE_FIELDS, type FieldValues, placeholders } from './fields.ts'
import { LABEL_DOCUMENTS, TEMPLATE_KINDS, type LabelTemplate, type LabelElement } from './template.ts'
import { zplFieldData } from './compilers/zpl-compiler.ts'
import { eplQuoted } from './compilers/epl-compiler.ts'
import { encodeCp1252 } from './compilers/cp1252.ts'

export const MAX_RAW_TEMPLATE_BYTES = 65_536
export const MAX_ELEMENTS = 200

export interface TemplateProblem {
  path: string
  message: string
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isNum = (v: unknown, min = 0, max = 1000): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max

/**
 * Checks a template object (e.g. from JSON) and returns it typed. Throws TEMPLATE_INVALID
 * (kind 'invalid') with `details.problems: [{path, message}]` listing everything wrong,
 * including placeholders naming fields the document does not have.
 */
export function validateTemplate(input: unknown): LabelTemplate {
  const problems: TemplateProblem[] = []
  const fail = (path: string, message: string) => problems.push({ path, message })
  if (!isObj(input)) {
    fail('', 'a template is an object {document, kind, body}')
    throw invalid(problems)
  }
  const { document, kind, body } = input
  if (typeof document !== 'string' || !(LABEL_DOCUMENTS as readonly string[]).includes(document)) {
    fail('document', `must be one of ${LABEL_DOCUMENTS.join(', ')}`)
  }
  if (typeof kind !== 'string' || !(TEMPLATE_KINDS as readonly string[]).includes(kind)) fail('kind', `must be one of ${TEMPLATE_KINDS.join(', ')}`)
  if (problems.length > 0) throw invalid(problems)
  const fields = new Set(TEMPLATE_FIELDS[document as LabelTemplate['document']])
  const checkFields = (path: string, text: string) => {
    for (const name of placeholders(text)) if (!fields.has(name)) fail(path, `unknown field {{${name}}} for ${String(document)}`)
    if (/\{\{(?!\s*[A-Za-z][\w.]*\s*\}\})/.test(text)) fail(path, 'malformed placeholder: write {{field.name}}')
  }
  if (kind === 'layout') validateLayoutBody(body, fail, checkFields)
  else if (typeof body !== 'string' || body.length === 0) fail('body', `a ${String(kind)} template body is the printer code as a string`)
  else if (Buffer.byteLength(body) > MAX_RAW_TEMPLATE_BYTES) fail('body', `longer than ${MAX_RAW_TEMPLATE_BYTES} bytes`)
  else if (kind === 'zpl') validateZpl(body, fail, checkFields)
  else validateEpl(body, fail, checkFields)
  if (problems.length > 0) throw invalid(problems)
  return input as unknown as LabelTemplate
}

function invalid(problems: TemplateProblem[]): ValidationError {
  return new ValidationError(`The template is invalid: ${problems.map((p) => `${p.path || 'template'}: ${p.message}`).join('; ')}`, { problems }, 'TEMPLATE_INVALID')
}

function validateLayoutBody(body: unknown, fail: (p: string, m: string) => void, checkFields: (p: string, t: string) => void): void {
  if (!isObj(body)) return fail('body', 'a layout body is {widthMm, heightMm, elements}')
  const { widthMm, heightMm, elements } = body
  if (!isNum(widthMm, 5, 1000)) fail('body.widthMm', 'a number of millimetres (5–1000)')
  if (!isNum(heightMm, 5, 1000)) fail('body.heightMm', 'a number of millimetres (5–1000)')
  if (!Array.isArray(elements)) return fail('body.elements', 'an array of elements')
  if (elements.length > MAX_ELEMENTS) fail('body.elements', `at most ${MAX_ELEMENTS} elements`)
  const W = isNum(widthMm) ? widthMm : 1000
  const H = isNum(heightMm) ? heightMm : 1000
  elements.forEach((el: unknown, i) => {
    const p = `body.elements[${i}]`
    if (!isObj(el)) return fail(p, 'an element object')
    const inside = (xKey: string, yKey: string, wKey?: string, hKey?: string) => {
      if (!isNum(el[xKey], 0, W)) fail(`${p}.${xKey}`, `within the label width (0–${W} mm)`)
      if (!isNum(el[yKey], 0, H)) fail(`${p}.${yKey}`, `within the label height (0–${H} mm)`)
      if (wKey && (!isNum(el[wKey], 0.1, W) || (isNum(el[xKey]) && (el[xKey] as number) + (el[wKey] as number) > W + 0.01))) fail(`${p}.${wKey}`, 'must keep the element on the label')
      if (hKey && (!isNum(el[hKey], 0.1, H) || (isNum(el[yKey]) && (el[yKey] as number) + (el[hKey] as number) > H + 0.01))) fail(`${p}.${hKey}`, 'must keep the element on the label')
    }
    switch ((el as { type?: unknown }).type as LabelElement['type']) {
      case 'text':
        inside('x', 'y', 'width')
        if (!isNum(el.size, 0.5, 100)) fail(`${p}.size`, 'font height in mm (0.5–100)')
        if (typeof el.text !== 'string' || el.text.length > 2000) fail(`${p}.text`, 'a string of at most 2000 characters')
        else checkFields(`${p}.text`, el.text)
        if (el.maxLines !== undefined && !(Number.isInteger(el.maxLines) && isNum(el.maxLines, 1, 50))) fail(`${p}.maxLines`, 'an integer 1–50')
        if (el.bold !== undefined && typeof el.bold !== 'boolean') fail(`${p}.bold`, 'true or false')
        if (el.align !== undefined && !['left', 'center', 'right'].includes(el.align as string)) fail(`${p}.align`, 'left, center or right')
        break
      case 'barcode':
        inside('x', 'y', 'width', 'height')
        break
      case 'box':
        inside('x', 'y', 'width', 'height')
        if (el.thickness !== undefined && !isNum(el.thickness, 0.05, 50)) fail(`${p}.thickness`, 'mm (0.05–50)')
        break
      case 'line':
        inside('x1', 'y1')
        inside('x2', 'y2')
        if (el.thickness !== undefined && !isNum(el.thickness, 0.05, 50)) fail(`${p}.thickness`, 'mm (0.05–50)')
        break
      default:
        fail(`${p}.type`, 'one of text, barcode, box, line')
    }
  })
}

// --- raw ZPL ---------------------------------------------------------------------------------

const ZPL_TOKENS = /\^FH([^\^~]?)|\^FS|\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g

function validateZpl(body: string, fail: (p: string, m: string) => void, checkFields: (p: string, t: string) => void): void {
  if (!/\^XA/i.test(body) || !/\^XZ/i.test(body)) fail('body', 'ZPL must hold at least one ^XA … ^XZ format')
  if (/[\^~]C[CDT]/i.test(body)) fail('body', 'changing the command prefixes (^CC, ^CD, ^CT) is not supported in templates')
  const ci = [...body.matchAll(/\^CI(\d+)/gi)].map((m) => m[1])
  if (ci.some((c) => c !== '28')) fail('body', 'templates must use UTF-8 (^CI28) or leave ^CI out')
  checkFields('body', body)
  let inField = false
  for (const m of body.matchAll(ZPL_TOKENS)) {
    if (m[0].startsWith('^FH')) inField = true
    else if (m[0] === '^FS') inField = false
    else if (!inField) fail('body', `{{${m[2]}}} must sit in field data preceded by ^FH (…^FH^FD{{${m[2]}}}^FS)`)
  }
}

const BARCODE_FIELD = /\^B[0-9A-XZ]/ // ^BY only sets defaults

/** Fills a raw ZPL template. With `barcode` false, fields drawing a barcode are left out. */
export function renderRawZpl(body: string, values: FieldValues, withBarcode: boolean): string {
  let escapeChar = '_'
  let inField = false
  let out = body.replace(ZPL_TOKENS, (token, esc: string | undefined, name: string | undefined) => {
    if (token.startsWith('^FH')) {
      inField = true
      escapeChar = esc || '_'
      return token
    }
    if (token === '^FS') {
      inField = false
      return token
    }
    return inField ? zplFieldData(values[name ?? ''] ?? '', escapeChar) : ''
  })
  if (!/\^CI28/i.test(out)) out = out.replace(/\^XA/gi, '^XA^CI28')
  if (!withBarcode) {
    // Split into fields at ^FS; drop those holding a barcode command.
    out = out
      .split(/(?<=\^FS)/i)
      .map((f) => {
        const start = f.search(/\^F[OT]/i)
        if (start === -1 || !BARCODE_FIELD.test(f.slice(start).toUpperCase())) return f
        return f.slice(0, start)
      })
      .join('')
  }
  return out
}

// --- raw EPL ---------------------------------------------------------------------------------

/** Positions of quoted spans [start, end) on a line, honouring backslash escapes. */
function quotedSpans(line: string): Array<[number, number]> {
  const spans: Array<[number, number]> = []
  let open = -1
  for (let i = 0; i < line.length; i++) {
    if (open >= 0 && line[i] === '\\') {
      i++
      continue
    }
    if (line[i] === '"') {
      if (open < 0) open = i + 1
      else {
        spans.push([open, i])
        open = -1
      }
    }
  }
  return spans
}

const EPL_PLACEHOLDER = /\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g

function validateEpl(body: string, fail: (p: string, m: string) => void, checkFields: (p: string, t: string) => void): void {
  checkFields('body', body)
  const lines = body.split('\n')
  if (!lines.some((l) => /^P\d/.test(l.trim()))) fail('body', 'EPL must print at least one label (P1)')
  lines.forEach((line, i) => {
    const spans = quotedSpans(line)
    for (const m of line.matchAll(EPL_PLACEHOLDER)) {
      const at = m.index ?? 0
      if (!spans.some(([s, e]) => at >= s && at + m[0].length <= e)) fail(`body line ${i + 1}`, `{{${m[1]}}} must sit inside quoted data ("…")`)
    }
  })
}

/** Fills a raw EPL template; returns Windows-1252 bytes. Without a barcode, B and b lines are left out. */
export function renderRawEpl(body: string, values: FieldValues, withBarcode: boolean): Uint8Array {
  const lines = body.split('\n').filter((line) => withBarcode || !/^[Bb]\d/.test(line.trim()))
  let out = ''
  const encodeStatic = (s: string) => Buffer.from(encodeCp1252(s)).toString('latin1')
  for (const [i, line] of lines.entries()) {
    let last = 0
    for (const m of line.matchAll(EPL_PLACEHOLDER)) {
      const at = m.index ?? 0
      out += encodeStatic(line.slice(last, at)) + eplQuoted(values[m[1]] ?? '').slice(1, -1)
      last = at + m[0].length
    }
    out += encodeStatic(line.slice(last)) + (i < lines.length - 1 ? '\n' : '')
  }
  return new Uint8Array(Buffer.from(out, 'latin1'))
}
