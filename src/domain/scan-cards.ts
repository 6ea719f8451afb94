/**
 * Mode cards: printed barcodes that, scanned at a station, switch its mode or target status, or
 * close / undo. Payloads are Code 39- and Code 128-safe (uppercase letters, digits, `-`) and can
 * never be mistaken for a record payload (C-, S-, INV-, PO-).
 *   MODE-LOOKUP        lookup mode
 *   MODE-ADVANCE       advance mode, next status
 *   TO-SENT-TO-LAB     advance mode, target status `sent-to-lab`
 *   STATION-CLOSE      close the record open at a lookup station
 *   STATION-UNDO       undo the station's last advance
 *   STATION-NEW-BATCH  start a new batch (duplicate checks and undo start afresh)
 */
export type ScanCard =
  | { kind: 'mode'; mode: 'lookup' | 'advance' }
  | { kind: 'target'; status: string }
  | { kind: 'close' }
  | { kind: 'undo' }
  | { kind: 'batch' }

const TARGET = /^TO-([A-Z0-9][A-Z0-9-]{0,39})$/

/** The card a scan stands for, or null when it is not a card. Case-insensitive. */
export function parseScanCard(data: string): ScanCard | null {
  const text = data.trim().toUpperCase()
  switch (text) {
    case 'MODE-LOOKUP':
      return { kind: 'mode', mode: 'lookup' }
    case 'MODE-ADVANCE':
      return { kind: 'mode', mode: 'advance' }
    case 'STATION-CLOSE':
      return { kind: 'close' }
    case 'STATION-UNDO':
      return { kind: 'undo' }
    case 'STATION-NEW-BATCH':
      return { kind: 'batch' }
  }
  const target = TARGET.exec(text)
  return target ? { kind: 'target', status: target[1].toLowerCase() } : null
}

export function scanCardPayload(card: ScanCard): string {
  switch (card.kind) {
    case 'mode':
      return `MODE-${card.mode.toUpperCase()}`
    case 'target':
      return `TO-${card.status.toUpperCase()}`
    case 'close':
      return 'STATION-CLOSE'
    case 'undo':
      return 'STATION-UNDO'
    case 'batch':
      return 'STATION-NEW-BATCH'
  }
}

export interface ScanCardEntry {
  payload: string
  label: string
  card: ScanCard
}

/** Every card a station can use, given the statuses that can be targets (every status of every track, the first one too, by key and name). */
export function scanCardsFor(statuses: ReadonlyArray<{ key: string; name: string }>): ScanCardEntry[] {
  const cards: ScanCardEntry[] = [
    { card: { kind: 'mode', mode: 'lookup' }, label: 'Lookup mode: a scan opens the record' },
    { card: { kind: 'mode', mode: 'advance' }, label: 'Advance mode: each scan moves the order to its next status' },
  ].map((c) => ({ ...c, card: c.card as ScanCard, payload: scanCardPayload(c.card as ScanCard) }))
  const seen = new Set<string>()
  for (const s of statuses) {
    if (seen.has(s.key)) continue
    seen.add(s.key)
    const card: ScanCard = { kind: 'target', status: s.key }
    cards.push({ card, label: `Set status: ${s.name}`, payload: scanCardPayload(card) })
  }
  cards.push({ card: { kind: 'close' }, label: 'Close the open record', payload: 'STATION-CLOSE' })
  cards.push({ card: { kind: 'undo' }, label: 'Undo the last status change', payload: 'STATION-UNDO' })
  cards.push({ card: { kind: 'batch' }, label: 'Start a new batch', payload: 'STATION-NEW-BATCH' })
  return cards
}
