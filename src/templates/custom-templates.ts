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
/** At most this many problems are listed (then how many more there are). */
export const MAX_PROBLEMS = 20

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
  let more = 0
  // A hostile body can hold thousands of faults: the first MAX_PROBLEMS are listed, the rest counted.
  const fail = (path: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ path, message })
    else more++
  }
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
  if (more > 0) problems.push({ path: 'body', message: `… and ${more} more problems` })
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

/** The 1-based line of a position in a raw body. */
function lineAt(body: string, index: number): number {
  let line = 1
  for (let i = 0; i < index; i++) if (body.charCodeAt(i) === 10) line++
  return line
}

/** Placeholders of a raw body checked line by line, so each problem names its line. */
function checkFieldsByLine(body: string, checkFields: (p: string, t: string) => void): void {
  body.split('\n').forEach((text, i) => checkFields(`body line ${i + 1}`, text))
}

// --- raw ZPL ---------------------------------------------------------------------------------

/**
 * `^FH` with its escape character (printers skip CR and LF, so `^FH` on a line of its own still
 * means `_`), `^FB` (a field block), `^FS`, and placeholders.
 */
const ZPL_TOKENS = /\^FH[\r\n]*([^\^~\r\n]?)|\^FB|\^FS|\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g

function validateZpl(body: string, fail: (p: string, m: string) => void, checkFields: (p: string, t: string) => void): void {
  if (!/\^XA/i.test(body) || !/\^XZ/i.test(body)) fail('body', 'ZPL must hold at least one ^XA … ^XZ format')
  if (/[\^~]C[CDT]/i.test(body)) fail('body', 'changing the command prefixes (^CC, ^CD, ^CT) is not supported in templates')
  const ci = [...body.matchAll(/\^CI(\d+)/gi)].map((m) => m[1])
  if (ci.some((c) => c !== '28')) fail('body', 'templates must use UTF-8 (^CI28) or leave ^CI out')
  checkZplCommands(body, fail)
  checkFieldsByLine(body, checkFields)
  let inField = false
  for (const m of body.matchAll(ZPL_TOKENS)) {
    if (m[0].startsWith('^FH')) inField = true
    else if (m[0] === '^FS') inField = false
    else if (m[0] === '^FB') continue
    else if (!inField) fail(`body line ${lineAt(body, m.index ?? 0)}`, `{{${m[2]}}} must sit in field data preceded by ^FH (…^FH^FD{{${m[2]}}}^FS)`)
  }
}

/**
 * The ZPL commands a template may use: the ones that draw one label. Everything else — immediate
 * `~` commands (reset, downloads, status), settings that outlive the label (media, speed,
 * darkness, network, saved configuration), storage (downloads, deletes, stored formats),
 * serialisation and host queries — is refused. An allow-list: a command not named here is refused.
 */
const ZPL_ALLOWED = new Set([
  '^XA', '^XZ', // the one format
  '^FO', '^FT', '^FM', '^FD', '^FS', '^FH', '^FB', '^TB', '^FR', '^FW', '^FP', '^FV', '^FX', // fields
  '^A', '^CF', '^CI', // fonts (^CI28 only, checked above)
  '^BY', // barcode defaults; every ^Bx barcode is allowed below
  '^GB', '^GC', '^GD', '^GE', '^GF', '^GS', // graphics drawn inline
  '^XG', '^IM', // stored images, read only
  '^LH', '^LL', '^LR', '^LS', '^PW', '^PO', '^PM', // where this label draws
  '^PQ', // only as one copy (checked below): copies come from the print job
])

/** Why the commands templates are most often caught with are refused. */
const ZPL_REFUSED_WHY: Readonly<Record<string, string>> = {
  '^JU': 'it saves or resets the printer configuration',
  '^ID': 'it deletes files on the printer',
  '^DF': 'it stores a format on the printer',
  '^NS': 'it changes network settings', '^NC': 'it changes network settings', '^NI': 'it changes network settings',
  '^MM': 'it changes the print mode', '^MN': 'it changes media tracking', '^MT': 'it changes the media type',
  '^HH': 'it sends the configuration to the host',
  '^SN': 'it prints serialised copies', '^SF': 'it prints serialised copies',
  '^KP': 'it sets the printer password',
  '^PR': 'it changes the print speed of every later label', '^MD': 'it changes the darkness of every later label',
  '^XA': 'a template is one ^XA … ^XZ format',
  '^XZ': 'a template is one ^XA … ^XZ format',
}

interface ZplCommand {
  /** `^FO`, `~JR`, `^A` (fonts: the font name is the first parameter). */
  name: string
  params: string
  line: number
}

/** Splits ZPL into its commands (each to the next prefix) and the text before the first one. */
export function zplCommands(body: string): { before: string; commands: ZplCommand[] } {
  const commands: ZplCommand[] = []
  let line = 1
  let i = body.search(/[\^~]/)
  const before = i === -1 ? body : body.slice(0, i)
  for (const ch of before) if (ch === '\n') line++
  while (i !== -1 && i < body.length) {
    const prefix = body[i]
    const first = (body[i + 1] ?? '').toUpperCase()
    const nameLength = prefix === '^' && first === 'A' ? 1 : 2
    const name = prefix + body.slice(i + 1, i + 1 + nameLength).toUpperCase()
    const rest = body.slice(i + 1 + nameLength)
    const next = rest.search(/[\^~]/)
    const params = next === -1 ? rest : rest.slice(0, next)
    commands.push({ name, params, line })
    for (const ch of body.slice(i, i + 1 + nameLength) + params) if (ch === '\n') line++
    i = next === -1 ? -1 : i + 1 + nameLength + next
  }
  return { before, commands }
}

/** ^PQ may only say "one copy" (quantity 1, no pause, no replicates): the job's copies print the rest. */
const ONE_COPY = /^\s*1?\s*(?:,\s*0?\s*(?:,\s*[01]?\s*(?:,\s*[YN]?\s*)?)?)?$/i

function checkZplCommands(body: string, fail: (p: string, m: string) => void): void {
  sgdLines(body, fail)
  const { before, commands } = zplCommands(body)
  if (before.trim() !== '') fail('body line 1', `text before ^XA (${JSON.stringify(before.trim().slice(0, 20))}) is not allowed: a template is one ^XA … ^XZ format`)
  let formats = 0
  let closed = false
  for (const c of commands) {
    const at = `body line ${c.line}`
    const label = c.name === '^A' ? `^A${c.params.slice(0, 1)}` : c.name
    if (closed) {
      fail(at, `${c.name} after ^XZ is not allowed: a template is one ^XA … ^XZ format${ZPL_REFUSED_WHY[c.name] && c.name !== '^XA' ? ` (${ZPL_REFUSED_WHY[c.name]})` : ''}`)
      continue
    }
    if (c.name === '^XA') {
      if (++formats > 1) fail(at, '^XA: a second format is not allowed; a template is one ^XA … ^XZ format')
      continue
    }
    if (c.name === '^XZ') {
      closed = true
      if (c.params.trim() !== '') fail(at, 'text after ^XZ is not allowed')
      continue
    }
    const barcode = /^\^B[0-9A-Z]$/.test(c.name)
    if (!barcode && !ZPL_ALLOWED.has(c.name)) {
      const why = ZPL_REFUSED_WHY[c.name] ?? (c.name.startsWith('~') ? 'immediate ~ commands act on the printer, not the label' : 'only label-formatting commands are allowed')
      fail(at, `${label} is not allowed in a template: ${why}`)
    } else if (c.name === '^PQ' && !ONE_COPY.test(c.params)) {
      fail(at, `^PQ${c.params.trim()} is not allowed: copies come from the print job (a template may say ^PQ1 at most)`)
    }
  }
}

/** Set-Get-Do lines (`! U1 setvar …`, `! U1 do …`) change printer settings: refused in either language. */
function sgdLines(body: string, fail: (p: string, m: string) => void): void {
  body.split('\n').forEach((text, i) => {
    if (/^\s*!/.test(text)) fail(`body line ${i + 1}`, `! U1 (SGD) commands are not allowed in a template: "${text.trim().slice(0, 40)}"`)
  })
}

const BARCODE_FIELD = /\^B[0-9A-XZ]/ // ^BY only sets defaults

/** Fills a raw ZPL template. With `barcode` false, fields drawing a barcode are left out. */
export function renderRawZpl(body: string, values: FieldValues, withBarcode: boolean): string {
  let escapeChar = '_'
  let inField = false
  // In a field block (^FB … ^FS) record text has its backslashes doubled (zplFieldData).
  let inBlock = false
  let out = body.replace(ZPL_TOKENS, (token, esc: string | undefined, name: string | undefined) => {
    if (token.startsWith('^FH')) {
      inField = true
      escapeChar = esc || '_'
      return token
    }
    if (token === '^FB') {
      inBlock = true
      return token
    }
    if (token === '^FS') {
      inField = false
      inBlock = false
      return token
    }
    return inField ? zplFieldData(values[name ?? ''] ?? '', escapeChar, inBlock) : ''
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
  checkFieldsByLine(body, checkFields)
  const lines = body.split('\n')
  if (!lines.some((l) => /^P\d/.test(l.trim()))) fail('body', 'EPL must print at least one label (P1)')
  sgdLines(body, fail)
  checkEplCommands(lines, fail)
  lines.forEach((line, i) => {
    const spans = quotedSpans(line)
    for (const m of line.matchAll(EPL_PLACEHOLDER)) {
      const at = m.index ?? 0
      if (!spans.some(([s, e]) => at >= s && at + m[0].length <= e)) fail(`body line ${i + 1}`, `{{${m[1]}}} must sit inside quoted data ("…")`)
    }
  })
}

/**
 * The EPL2 commands a template may use: the ones that draw one label (N, q, Q, R, ZT/ZB, I8 code
 * page, A text, B/b barcodes, LO/LE/LS/LW lines, X boxes) and one `P1` at the end. Everything else
 * (speed, density, options, serial setup, stored forms and graphics, resets, printouts) is refused.
 */
const EPL_ALLOWED: ReadonlyArray<RegExp> = [
  /^N$/,
  /^q\d{1,5}$/,
  /^Q\d{1,5},B?\d{1,4}(?:,[+-]?\d{1,4})?$/,
  /^R\d{1,5},\d{1,5}$/,
  /^Z[TB]$/,
  /^I8,[A-Za-z0-9],\d{3}$/,
  /^(?:A|B|b|LO|LE|LS|LW|X)\d/,
]

function checkEplCommands(lines: string[], fail: (p: string, m: string) => void): void {
  let printed = false
  lines.forEach((raw, i) => {
    const text = raw.replace(/\r$/, '')
    if (text.trim() === '' || /^\s*!/.test(text)) return
    const at = `body line ${i + 1}`
    const command = /^(\^@|[A-Za-z?]{1,2})/.exec(text)?.[1] ?? text.slice(0, 2)
    if (printed) return fail(at, `${/^P/.test(text) ? text.trim() : command}: nothing may follow P1; a template is one label`)
    if (/^P/.test(text)) {
      if (!/^P1(?:,1)?$/.test(text.trim())) return fail(at, `${text.trim()} is not allowed: copies come from the print job (end the label with P1)`)
      printed = true
      return
    }
    if (!EPL_ALLOWED.some((re) => re.test(text))) fail(at, `${command} is not allowed in a template: only label-formatting commands are (N, q, Q, R, ZT, ZB, I8, A, B, b, LO, LE, LS, LW, X, P1)`)
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
