/**
 * AIM symbology identifiers (ISO/IEC 15424): `]` + a code character naming the symbology + a
 * modifier character. Pure data and rules, shared by the scanner decoder and barcode parsing.
 */

/** Whether a scanner puts an AIM identifier in front of its data: `on` (always: the first three
 * characters are it), `off` (never: `]` is data), `auto` (strip only a known, valid identifier). */
export const AIM_MODES = ['on', 'off', 'auto'] as const
export type AimMode = (typeof AIM_MODES)[number]

interface AimSymbology {
  readonly name: string
  /** Modifier characters the specification defines. */
  readonly modifiers: string
  /** Modifiers meaning GS1 data (FNC1 in first position), and the GS1 name. */
  readonly gs1?: { readonly modifiers: string; readonly name: string }
  /**
   * Modifiers meaning the data follows the AIM ECI protocol: `\NNNNNN` (six digits) switches the
   * character set of the data after it, and a backslash of the data comes doubled (`\\`).
   */
  readonly eci?: string
}

/**
 * The table, by code character. GS1 forms per the GS1 General Specifications (5.1.2) and the
 * symbology standards (ECI modifiers per the same: QR 2/4/6, DataMatrix 4/5/6, Aztec 3/4/5/9/A/B,
 * PDF417 1, MaxiCode 2/3): `]C1` GS1-128; `]e0`–`]e3` GS1 DataBar (and Composite); `]d2` GS1
 * DataMatrix, `]d5` with ECI; `]Q3` GS1 QR Code, `]Q4` with ECI; `]J1` GS1 DotCode; `]z1` GS1
 * Aztec, `]z4` with ECI, `]z7` / `]zA` as part of a structured append.
 */
export const AIM_SYMBOLOGIES: Readonly<Record<string, AimSymbology>> = {
  A: { name: 'Code 39', modifiers: '01234567' },
  B: { name: 'Telepen', modifiers: '0123' },
  C: { name: 'Code 128', modifiers: '0124', gs1: { modifiers: '1', name: 'GS1-128' } },
  E: { name: 'EAN/UPC', modifiers: '01234' },
  e: { name: 'GS1 DataBar', modifiers: '0123', gs1: { modifiers: '0123', name: 'GS1 DataBar' } },
  F: { name: 'Codabar', modifiers: '01234' },
  G: { name: 'Code 93', modifiers: '0' },
  H: { name: 'Code 11', modifiers: '0123' },
  I: { name: 'ITF', modifiers: '013' },
  J: { name: 'DotCode', modifiers: '0123', gs1: { modifiers: '1', name: 'GS1 DotCode' } },
  L: { name: 'PDF417', modifiers: '012', eci: '1' },
  M: { name: 'MSI', modifiers: '01' },
  Q: { name: 'QR Code', modifiers: '0123456', gs1: { modifiers: '34', name: 'GS1 QR Code' }, eci: '246' },
  U: { name: 'MaxiCode', modifiers: '0123', eci: '23' },
  X: { name: 'unknown', modifiers: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ' },
  d: { name: 'DataMatrix', modifiers: '0123456', gs1: { modifiers: '25', name: 'GS1 DataMatrix' }, eci: '456' },
  z: { name: 'Aztec', modifiers: '0123456789ABC', gs1: { modifiers: '147A', name: 'GS1 Aztec' }, eci: '3459AB' },
}

/** Every symbology name an identifier can give. */
export const AIM_SYMBOLOGY_NAMES: readonly string[] = [...new Set(Object.values(AIM_SYMBOLOGIES).flatMap((s) => (s.gs1 ? [s.name, s.gs1.name] : [s.name])))]

export interface AimId {
  /** The identifier as sent (`]C1`). */
  id: string
  /** Its symbology name ('GS1-128'), 'unknown' for a well-formed one of a code we don't name. */
  symbology: string
  /** Whether it says the data is GS1 element strings (FNC1 in first position). */
  gs1: boolean
  /** Whether it says the data follows the AIM ECI protocol (`]Q2`, `]d4`, `]z3`, `]L1`, `]U2` …). */
  eci: boolean
}

const SHAPE = /^\][A-Za-z][0-9A-Za-z]/

/** The identifier at the start of `text` as `mode` reads it, or null when there is none. */
export function readAimId(text: string, mode: AimMode): AimId | null {
  if (mode === 'off') return null
  const shape = SHAPE.exec(text)
  if (!shape) return null
  const id = shape[0]
  const entry = AIM_SYMBOLOGIES[id[1]]
  const known = entry !== undefined && entry.modifiers.includes(id[2])
  if (mode === 'auto' && !known) return null
  if (!known) return { id, symbology: 'unknown', gs1: false, eci: false }
  const gs1 = entry.gs1 !== undefined && entry.gs1.modifiers.includes(id[2])
  const eci = entry.eci !== undefined && entry.eci.includes(id[2])
  return { id, symbology: gs1 ? entry.gs1!.name : entry.name, gs1, eci }
}
