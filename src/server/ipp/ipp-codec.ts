/**
 * The IPP/1.1–2.x message encoding (RFC 8010 §3): a decoder that keeps every value's tag and the
 * attribute order, and refuses a malformed message with an IppDecodeError (never a crash), and
 * an encoder for answers. Pure: no I/O.
 *
 * Our own rather than the `ipp` package's (which the IPP printer driver uses as a client): its
 * parser drops value tags (so a wrong syntax can't be told from a right one), logs to the console
 * on unexpected input and reads past the end of a truncated message; its serializer only writes
 * attributes its dictionary knows.
 */

export const GROUP_TAGS = {
  operation: 0x01,
  job: 0x02,
  end: 0x03,
  printer: 0x04,
  unsupported: 0x05,
  subscription: 0x06,
  eventNotification: 0x07,
  resource: 0x08,
  document: 0x09,
  system: 0x0a,
} as const

export const VALUE_TAGS = {
  unsupported: 0x10,
  unknown: 0x12,
  noValue: 0x13,
  integer: 0x21,
  boolean: 0x22,
  enum: 0x23,
  octetString: 0x30,
  dateTime: 0x31,
  resolution: 0x32,
  rangeOfInteger: 0x33,
  begCollection: 0x34,
  textWithLanguage: 0x35,
  nameWithLanguage: 0x36,
  endCollection: 0x37,
  textWithoutLanguage: 0x41,
  nameWithoutLanguage: 0x42,
  keyword: 0x44,
  uri: 0x45,
  uriScheme: 0x46,
  charset: 0x47,
  naturalLanguage: 0x48,
  mimeMediaType: 0x49,
  memberAttrName: 0x4a,
} as const

export type IppValue =
  | { tag: 0x21 | 0x23; value: number }
  | { tag: 0x22; value: boolean }
  | { tag: 0x31; value: Date }
  | { tag: 0x32; value: { x: number; y: number; units: 3 | 4 } }
  | { tag: 0x33; value: { lower: number; upper: number } }
  | { tag: 0x34; value: IppAttribute[] }
  | { tag: 0x35 | 0x36; value: { language: string; text: string } }
  | { tag: number; value: string }

export interface IppAttribute {
  name: string
  values: IppValue[]
}

export interface IppGroup {
  tag: number
  attributes: IppAttribute[]
}

export interface IppMessage {
  /** major * 256 + minor, e.g. 0x0200 */
  version: number
  /** operation-id (request) or status-code (response) */
  code: number
  requestId: number
  groups: IppGroup[]
  /** What follows end-of-attributes: the document data. */
  data: Uint8Array
}

export class IppDecodeError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (at byte ${offset})`)
    this.name = 'IppDecodeError'
  }
}

/** Limits on a request's attribute part (the document after it is limited by the caller). */
export const DECODE_LIMITS = { maxAttributes: 2_000, maxCollectionDepth: 8, maxValueBytes: 32_767 } as const

const STRING_TAGS = new Set<number>([0x30, 0x41, 0x42, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a])

class Reader {
  at = 0
  constructor(readonly buf: Buffer) {}
  need(n: number): void {
    if (this.at + n > this.buf.length) throw new IppDecodeError(`message ends early: ${n} more bytes expected`, this.at)
  }
  u8(): number {
    this.need(1)
    return this.buf[this.at++]
  }
  u16(): number {
    this.need(2)
    const v = this.buf.readUInt16BE(this.at)
    this.at += 2
    return v
  }
  i32(): number {
    this.need(4)
    const v = this.buf.readInt32BE(this.at)
    this.at += 4
    return v
  }
  bytes(n: number): Buffer {
    this.need(n)
    const v = this.buf.subarray(this.at, this.at + n)
    this.at += n
    return v
  }
  peek(): number {
    this.need(1)
    return this.buf[this.at]
  }
}

function decodeValue(r: Reader, tag: number, raw: Buffer, depth: number, counter: { n: number }): IppValue {
  const at = r.at - raw.length
  const exact = (n: number) => {
    if (raw.length !== n) throw new IppDecodeError(`value of tag 0x${tag.toString(16)} has ${raw.length} bytes, not ${n}`, at)
  }
  switch (tag) {
    case 0x21:
    case 0x23:
      exact(4)
      return { tag, value: raw.readInt32BE(0) }
    case 0x22:
      exact(1)
      if (raw[0] > 1) throw new IppDecodeError('boolean value is neither 0 nor 1', at)
      return { tag, value: raw[0] === 1 }
    case 0x31: {
      exact(11)
      const utc = Date.UTC(raw.readUInt16BE(0), raw[2] - 1, raw[3], raw[4], raw[5], raw[6], raw[7] * 100)
      const sign = raw[8] === 0x2d ? -1 : 1
      return { tag, value: new Date(utc - sign * (raw[9] * 60 + raw[10]) * 60_000) }
    }
    case 0x32:
      exact(9)
      return { tag, value: { x: raw.readInt32BE(0), y: raw.readInt32BE(4), units: raw[8] === 4 ? 4 : 3 } }
    case 0x33:
      exact(8)
      return { tag, value: { lower: raw.readInt32BE(0), upper: raw.readInt32BE(4) } }
    case 0x35:
    case 0x36: {
      if (raw.length < 4) throw new IppDecodeError('string with language is too short', at)
      const ll = raw.readUInt16BE(0)
      if (2 + ll + 2 > raw.length) throw new IppDecodeError('language length overruns the value', at)
      const tl = raw.readUInt16BE(2 + ll)
      if (2 + ll + 2 + tl !== raw.length) throw new IppDecodeError('text length does not match the value', at)
      return { tag, value: { language: raw.toString('utf8', 2, 2 + ll), text: raw.toString('utf8', 4 + ll, 4 + ll + tl) } }
    }
    case 0x34:
      return { tag, value: decodeCollection(r, depth + 1, counter) }
    default:
      if (tag === 0x7f) throw new IppDecodeError('extension value tags are not supported', at)
      return { tag, value: STRING_TAGS.has(tag) || tag >= 0x40 ? raw.toString('utf8') : raw.toString('latin1') }
  }
}

function decodeCollection(r: Reader, depth: number, counter: { n: number }): IppAttribute[] {
  if (depth > DECODE_LIMITS.maxCollectionDepth) throw new IppDecodeError('collections nested too deep', r.at)
  const members: IppAttribute[] = []
  for (;;) {
    const tag = r.u8()
    const nameLen = r.u16()
    r.bytes(nameLen)
    const raw = r.bytes(r.u16())
    if (tag === 0x37) return members
    if (tag === 0x4a) {
      if (++counter.n > DECODE_LIMITS.maxAttributes) throw new IppDecodeError('too many attributes', r.at)
      members.push({ name: raw.toString('utf8'), values: [] })
      continue
    }
    const last = members[members.length - 1]
    if (!last || nameLen !== 0) throw new IppDecodeError('collection member value without a memberAttrName', r.at)
    last.values.push(decodeValue(r, tag, raw, depth, counter))
  }
}

/** Decodes a request or response; throws IppDecodeError for anything malformed. */
export function decodeIpp(input: Uint8Array): IppMessage {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  const r = new Reader(buf)
  const version = r.u16()
  const code = r.u16()
  const requestId = r.i32()
  const groups: IppGroup[] = []
  const counter = { n: 0 }
  let group: IppGroup | null = null
  let last: IppAttribute | null = null
  for (;;) {
    const tag = r.u8()
    if (tag === GROUP_TAGS.end) break
    if (tag < 0x10) {
      group = { tag, attributes: [] }
      groups.push(group)
      last = null
      continue
    }
    if (!group) throw new IppDecodeError('attribute before any group tag', r.at - 1)
    const nameLen = r.u16()
    if (nameLen > DECODE_LIMITS.maxValueBytes) throw new IppDecodeError('attribute name too long', r.at)
    const name = r.bytes(nameLen).toString('utf8')
    const valueLen = r.u16()
    const raw = r.bytes(valueLen)
    if (tag === 0x37 || tag === 0x4a) throw new IppDecodeError('collection delimiter outside a collection', r.at)
    const value = decodeValue(r, tag, raw, 0, counter)
    if (nameLen === 0) {
      if (!last) throw new IppDecodeError('additional value without an attribute', r.at)
      last.values.push(value)
    } else {
      if (++counter.n > DECODE_LIMITS.maxAttributes) throw new IppDecodeError('too many attributes', r.at)
      last = { name, values: [value] }
      group.attributes.push(last)
    }
  }
  return { version, code, requestId, groups, data: buf.subarray(r.at) }
}

class Writer {
  private chunks: Buffer[] = []
  u8(v: number): void {
    this.chunks.push(Buffer.of(v & 0xff))
  }
  u16(v: number): void {
    const b = Buffer.alloc(2)
    b.writeUInt16BE(v & 0xffff)
    this.chunks.push(b)
  }
  i32(v: number): void {
    const b = Buffer.alloc(4)
    b.writeInt32BE(v | 0)
    this.chunks.push(b)
  }
  raw(b: Buffer): void {
    this.chunks.push(b)
  }
  /** A length-prefixed field (u16 length, then bytes), cut at 32,767 bytes. */
  field(b: Buffer): void {
    const cut = b.length > DECODE_LIMITS.maxValueBytes ? b.subarray(0, DECODE_LIMITS.maxValueBytes) : b
    this.u16(cut.length)
    this.raw(cut)
  }
  done(): Buffer {
    return Buffer.concat(this.chunks)
  }
}

function valueBytes(v: IppValue): Buffer {
  switch (v.tag) {
    case 0x21:
    case 0x23: {
      const b = Buffer.alloc(4)
      b.writeInt32BE((v.value as number) | 0)
      return b
    }
    case 0x22:
      return Buffer.of(v.value ? 1 : 0)
    case 0x31: {
      const d = v.value as Date
      const b = Buffer.alloc(11)
      b.writeUInt16BE(d.getUTCFullYear(), 0)
      b[2] = d.getUTCMonth() + 1
      b[3] = d.getUTCDate()
      b[4] = d.getUTCHours()
      b[5] = d.getUTCMinutes()
      b[6] = d.getUTCSeconds()
      b[7] = Math.floor(d.getUTCMilliseconds() / 100)
      b[8] = 0x2b // '+'
      return b
    }
    case 0x32: {
      const r = v.value as { x: number; y: number; units: number }
      const b = Buffer.alloc(9)
      b.writeInt32BE(r.x, 0)
      b.writeInt32BE(r.y, 4)
      b[8] = r.units
      return b
    }
    case 0x33: {
      const r = v.value as { lower: number; upper: number }
      const b = Buffer.alloc(8)
      b.writeInt32BE(r.lower, 0)
      b.writeInt32BE(r.upper, 4)
      return b
    }
    case 0x35:
    case 0x36: {
      const t = v.value as { language: string; text: string }
      const lang = Buffer.from(t.language, 'utf8')
      const text = Buffer.from(t.text, 'utf8')
      const b = Buffer.alloc(4 + lang.length + text.length)
      b.writeUInt16BE(lang.length, 0)
      lang.copy(b, 2)
      b.writeUInt16BE(text.length, 2 + lang.length)
      text.copy(b, 4 + lang.length)
      return b
    }
    default:
      return Buffer.from(String(v.value), 'utf8')
  }
}

function writeAttribute(w: Writer, attr: IppAttribute): void {
  attr.values.forEach((v, i) => {
    w.u8(v.tag)
    w.field(Buffer.from(i === 0 ? attr.name : '', 'utf8'))
    if (v.tag === 0x34) {
      w.u16(0)
      for (const member of v.value as IppAttribute[]) {
        w.u8(0x4a)
        w.u16(0)
        w.field(Buffer.from(member.name, 'utf8'))
        for (const mv of member.values) writeAttribute(w, { name: '', values: [mv] })
      }
      w.u8(0x37)
      w.u16(0)
      w.u16(0)
    } else {
      w.field(valueBytes(v))
    }
  })
}

/** Encodes a message (the answer's attribute groups, then `data` when given). */
export function encodeIpp(msg: Omit<IppMessage, 'data'> & { data?: Uint8Array }): Buffer {
  const w = new Writer()
  w.u16(msg.version)
  w.u16(msg.code)
  w.i32(msg.requestId)
  for (const g of msg.groups) {
    w.u8(g.tag)
    for (const a of g.attributes) if (a.values.length > 0) writeAttribute(w, a)
  }
  w.u8(GROUP_TAGS.end)
  if (msg.data) w.raw(Buffer.from(msg.data))
  return w.done()
}
