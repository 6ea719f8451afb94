/** How a simulated scanner dresses a scan, as configured on a real one. */
export interface ScanFormat {
  /** AIM symbology identifier sent in front (`]C0`), when the scanner has them enabled. */
  aimId?: string
  prefix?: string
  /** Sent after the data, before the terminator. */
  suffix?: string
  /** '\r' (default), '\n', '\r\n', '\t' or '' (none: for inter-byte-timeout framing). */
  terminator?: string
}

/** The bytes a serial scanner sends for one read. */
export function scanBytes(text: string, format: ScanFormat = {}): Buffer {
  const { aimId = '', prefix = '', suffix = '', terminator = '\r' } = format
  return Buffer.from(prefix + aimId + text + suffix + terminator, 'utf8')
}

/** Cuts bytes into chunks of the given sizes (cycled), e.g. [1] for byte by byte, [3, 5] … */
export function splitBytes(bytes: Uint8Array, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = []
  let offset = 0
  let i = 0
  while (offset < bytes.length) {
    const size = Math.max(1, sizes[i++ % sizes.length])
    chunks.push(Buffer.from(bytes.subarray(offset, offset + size)))
    offset += size
  }
  return chunks
}

/** Line noise: bytes a wrong baud rate or a bad cable produces (invalid UTF-8 and control bytes). */
export function garbageBytes(length = 12, seed = 7): Buffer {
  const out = Buffer.alloc(length)
  let x = seed
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    // Stay clear of CR, LF, Tab so that the noise stays one frame.
    let b = 0x80 | (x >> 16) & 0x7f
    if (i % 3 === 1) b = [0x00, 0x07, 0x1b, 0x7f][x % 4]
    out[i] = b
  }
  return out
}
