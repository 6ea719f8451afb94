import type { RawFrame } from './scan-framer.ts'

/**
 * Where the fields sit in a HID-POS (usage page 0x8C, "Bar Code Scanner") input report. Offsets
 * vary by vendor: read them from the device's report descriptor. Offsets count from the first
 * byte `transferIn` returns, which is the report ID when the device numbers its reports.
 */
export interface HidPosReportLayout {
  /** Reports with another ID (status, trigger …) are ignored; null when reports are unnumbered. */
  reportId: number | null
  /** Byte giving the number of data bytes in this report. */
  lengthOffset: number
  /** First byte of the symbology identifier, and how many bytes it has (3 for an AIM id `]C0`). */
  symbologyOffset: number
  symbologyLength: number
  /** First data byte. */
  dataOffset: number
  /** Size of the data field: a larger length byte is capped to it. Default: up to the
   * continuation byte when that follows the data, else to the end of the report. */
  dataLength?: number
  /** Byte and bit mask of the continuation flag ("more data follows in the next report"). */
  continuationOffset: number
  continuationMask: number
}

/**
 * The common 64-byte layout (HID-POS scanned-data report as Honeywell, Zebra and Datalogic
 * scanners send it in HID-POS mode):
 *
 * | byte | field |
 * |---|---|
 * | 0 | report ID 0x02 |
 * | 1 | data length in this report (0–56) |
 * | 2–4 | AIM symbology identifier (`]C0`; zeros when none) |
 * | 5–60 | data (56 bytes) |
 * | 61–62 | vendor symbology code (ignored) |
 * | 63 | bit 0: continuation — the data goes on in the next report |
 */
export const DEFAULT_HID_POS_LAYOUT: Readonly<HidPosReportLayout & { dataLength: number }> = {
  reportId: 0x02,
  lengthOffset: 1,
  symbologyOffset: 2,
  symbologyLength: 3,
  dataOffset: 5,
  dataLength: 56,
  continuationOffset: 63,
  continuationMask: 0x01,
}

/** Capacity of the default layout's data field. */
export const DEFAULT_HID_POS_DATA_BYTES = DEFAULT_HID_POS_LAYOUT.dataLength

/**
 * Joins HID-POS reports into frames: data of reports with the continuation flag set is held until
 * a report without it completes the read. The AIM identifier of the first report leads the
 * frame (`decodeScan` reads and strips it). Frames longer than `maxFrameBytes` come out
 * truncated (and are refused as too long).
 */
export class HidPosDecoder {
  private readonly layout: HidPosReportLayout
  private readonly maxFrameBytes: number
  private parts: Buffer[] = []
  private total = 0
  private aimId: Buffer | null = null

  constructor(layout: Partial<HidPosReportLayout> = {}, maxFrameBytes = 4096) {
    // Offsets of another vendor without a data size: the default's 56 does not apply to them.
    const own = layout.dataLength === undefined && (layout.dataOffset !== undefined || layout.continuationOffset !== undefined)
    this.layout = { ...DEFAULT_HID_POS_LAYOUT, ...layout, ...(own ? { dataLength: undefined } : {}) }
    this.maxFrameBytes = maxFrameBytes
  }

  /** The completed frame, or null while the read continues (or for a report of another ID). */
  push(report: Uint8Array): RawFrame | null {
    const l = this.layout
    if (l.reportId !== null && report[0] !== l.reportId) return null
    // The length byte is capped to the data field: a wrong length never pulls the trailer
    // (vendor symbology code, continuation flag) into the data.
    const field = l.dataLength ?? (l.continuationOffset > l.dataOffset ? l.continuationOffset - l.dataOffset : report.length - l.dataOffset)
    const length = Math.min(report[l.lengthOffset] ?? 0, Math.max(0, field))
    const data = Buffer.from(report.subarray(l.dataOffset, Math.min(report.length, l.dataOffset + length)))
    if (this.parts.length === 0 && this.aimId === null) {
      const id = Buffer.from(report.subarray(l.symbologyOffset, l.symbologyOffset + l.symbologyLength))
      const end = id.indexOf(0)
      const trimmed = end >= 0 ? id.subarray(0, end) : id
      // Some scanners send the id without the leading `]`.
      this.aimId = trimmed.length === 0 ? Buffer.alloc(0) : trimmed[0] === 0x5d ? trimmed : Buffer.concat([Buffer.from(']'), trimmed])
    }
    this.total += data.length
    if (this.stored() < this.maxFrameBytes) this.parts.push(data)
    const more = ((report[l.continuationOffset] ?? 0) & l.continuationMask) !== 0
    if (more) return null
    const whole = Buffer.concat([this.aimId ?? Buffer.alloc(0), ...this.parts])
    const aimLength = this.aimId?.length ?? 0
    const frameLength = aimLength + this.total
    this.reset()
    const bytes = whole.subarray(0, this.maxFrameBytes)
    return { bytes, length: frameLength, truncated: frameLength > bytes.length, endedBy: 'terminator', aim: aimLength > 0 ? 'on' : 'off' }
  }

  /** Whether a read is under way (a report with the continuation flag came, its end did not). */
  get pending(): boolean {
    return this.parts.length > 0
  }

  /** Ends a read under way as cut off (`endedBy` 'end': refused as incomplete), or null when
   * there is none; the next report starts a new read. */
  abort(): RawFrame | null {
    if (!this.pending) return null
    const bytes = Buffer.concat([this.aimId ?? Buffer.alloc(0), ...this.parts]).subarray(0, this.maxFrameBytes)
    const length = (this.aimId?.length ?? 0) + this.total
    this.reset()
    return { bytes, length, truncated: length > bytes.length, endedBy: 'end', aim: bytes[0] === 0x5d ? 'on' : 'off' }
  }

  reset(): void {
    this.parts = []
    this.total = 0
    this.aimId = null
  }

  private stored(): number {
    return this.parts.reduce((s, p) => s + p.length, 0)
  }
}
