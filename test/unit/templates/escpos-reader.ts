/** Tokenizes the ESC/POS our compiler may emit; anything else is reported as unknown. */
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
    else if (b === 0x1b && [0x74, 0x61, 0x45, 0x64].includes(b1)) cmd(`ESC ${String.fromCharCode(b1)}`, 3)
    else if (b === 0x1d && [0x21, 0x68, 0x77, 0x48].includes(b1)) cmd(`GS ${String.fromCharCode(b1)}`, 3)
    else if (b === 0x1d && b1 === 0x56) cmd('GS V', bytes[i + 2] >= 65 ? 4 : 3)
    else if (b === 0x1d && b1 === 0x6b) cmd('GS k', 4 + bytes[i + 3])
    else if (b === 0x1d && b1 === 0x28 && bytes[i + 2] === 0x6b) cmd('GS ( k', 5 + bytes[i + 3] + 256 * bytes[i + 4])
    else {
      flush()
      out.push({ kind: 'unknown', name: `0x${b.toString(16)}`, bytes: [b] })
      i++
    }
  }
  flush()
  return out
}
