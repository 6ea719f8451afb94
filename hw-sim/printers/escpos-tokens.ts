/**
 * Tokenizes ESC/POS: the commands our EscPosCompiler emits, and the few common ones a receipt
 * from elsewhere tends to carry (ESC !, ESC -, ESC J, ESC 2/3, GS B, DLE EOT, GS v 0, the
 * NUL-terminated form of GS k). Anything else is reported as `unknown`, one byte at a time.
 * Used by the receipt renderer (render-escpos.ts) and the template tests.
 */
export interface EscPosToken {
  kind: 'command' | 'text' | 'unknown'
  name: string
  bytes: number[]
}

export function readEscPos(bytes: Uint8Array): EscPosToken[] {
  const out: EscPosToken[] = []
  let i = 0
  let text: number[] = []
  const flush = () => {
    if (text.length) out.push({ kind: 'text', name: 'text', bytes: text })
    text = []
  }
  const cmd = (name: string, n: number) => {
    flush()
    out.push({ kind: 'command', name, bytes: [...bytes.subarray(i, i + n)] })
    i += n
  }
  while (i < bytes.length) {
    const b = bytes[i]
    const b1 = bytes[i + 1]
    if (b >= 0x20 && b !== 0x7f) {
      text.push(b)
      i++
    } else if (b === 0x0a) cmd('LF', 1)
    else if (b === 0x1b && b1 === 0x40) cmd('ESC @', 2)
    else if (b === 0x1b && b1 === 0x32) cmd('ESC 2', 2)
    else if (b === 0x1b && [0x74, 0x61, 0x45, 0x64, 0x21, 0x2d, 0x4a, 0x33, 0x4d, 0x47].includes(b1)) cmd(`ESC ${String.fromCharCode(b1)}`, 3)
    else if (b === 0x1d && [0x21, 0x68, 0x77, 0x48, 0x42, 0x66].includes(b1)) cmd(`GS ${String.fromCharCode(b1)}`, 3)
    else if (b === 0x1d && b1 === 0x56) cmd('GS V', bytes[i + 2] >= 65 ? 4 : 3)
    else if (b === 0x1d && b1 === 0x6b && bytes[i + 2] <= 6) {
      // Form A: GS k m d1…dk NUL.
      const nul = bytes.indexOf(0, i + 3)
      cmd('GS k', (nul < 0 ? bytes.length : nul + 1) - i)
    } else if (b === 0x1d && b1 === 0x6b) cmd('GS k', 4 + bytes[i + 3])
    else if (b === 0x1d && b1 === 0x28 && bytes[i + 2] === 0x6b) cmd('GS ( k', 5 + bytes[i + 3] + 256 * bytes[i + 4])
    else if (b === 0x1d && b1 === 0x76 && bytes[i + 2] === 0x30) cmd('GS v 0', 8 + (bytes[i + 4] + 256 * bytes[i + 5]) * (bytes[i + 6] + 256 * bytes[i + 7]))
    else if (b === 0x10 && b1 === 0x04) cmd('DLE EOT', 3)
    else {
      flush()
      out.push({ kind: 'unknown', name: `0x${b.toString(16)}`, bytes: [b] })
      i++
    }
  }
  flush()
  return out
}
