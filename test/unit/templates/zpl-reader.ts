/**
 * A small ZPL reader for tests, independent of the compiler: splits formats, reads fields and
 * undoes `^FH` hex escapes (with the escape character each ^FH names).
 */
export interface ZplField {
  /** Commands of the field before ^FD (e.g. ['FO48,144', 'A0N,72,76']). */
  commands: string[]
  hex: boolean
  data: string
}
export interface ZplFormat {
  fields: ZplField[]
  commands: string[]
}
export interface ZplDocument {
  formats: ZplFormat[]
  /** Tilde (immediate) commands anywhere in the stream. */
  immediate: string[]
  /** Commands outside ^XA … ^XZ. */
  outside: string[]
}

function unescape(data: string, esc: string): string {
  const bytes: number[] = []
  for (let i = 0; i < data.length; i++) {
    if (data[i] === esc && /^[0-9A-Fa-f]{2}$/.test(data.slice(i + 1, i + 3))) {
      bytes.push(parseInt(data.slice(i + 1, i + 3), 16))
      i += 2
    } else bytes.push(...new TextEncoder().encode(data[i]))
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes))
}

export function readZpl(input: string | Uint8Array): ZplDocument {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input)
  const doc: ZplDocument = { formats: [], immediate: [], outside: [] }
  let format: ZplFormat | null = null
  let pending: string[] = []
  let hex: string | null = null
  const re = /([\^~])([A-Z@][A-Z0-9@]?)([^\^~]*)/g
  for (const m of text.matchAll(re)) {
    const [, prefix, name, rawArgs] = m
    const args = name === 'FD' ? rawArgs : rawArgs.replace(/\s+$/, '')
    if (prefix === '~') {
      doc.immediate.push(name + args)
      continue
    }
    if (name === 'XA') {
      format = { fields: [], commands: [] }
      continue
    }
    if (!format) {
      doc.outside.push(name + args)
      continue
    }
    if (name === 'XZ') {
      doc.formats.push(format)
      format = null
      continue
    }
    if (name === 'FH') {
      hex = args.length > 0 ? args[0] : '_'
      continue
    }
    if (name === 'FD') {
      format.fields.push({ commands: pending, hex: hex !== null, data: hex !== null ? unescape(args, hex) : args })
      pending = []
      hex = null
      continue
    }
    if (name === 'FS') continue
    if (/^(FO|FT|A0|A[A-Z0-9]|B[A-Z0-9]|FB|GB|GD)/.test(name)) pending.push(name + args)
    format.commands.push(name + args)
  }
  return doc
}
