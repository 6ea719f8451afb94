import type { Duplex } from 'node:stream'

/** A simulated printer as a test talks to it: in-process connections (hw-sim's `connect()`). */
export interface SimDevice {
  connect(): Duplex
}

/**
 * Writes each chunk to a new in-process connection (waiting for each write), then closes the
 * connection (a FIN) and waits for the device's own FIN. The device reads every byte before it
 * sees the FIN and answers in order before it sends its own, so when this resolves every unit has
 * been received and every answer is in what it returns — no waiting on the clock.
 */
export async function exchange(device: SimDevice, chunks: Iterable<Uint8Array>): Promise<Buffer> {
  const conn = device.connect()
  const answers: Buffer[] = []
  conn.on('data', (c: Buffer) => answers.push(c))
  const ended = new Promise<void>((resolve, reject) => {
    conn.once('end', resolve)
    conn.once('error', reject)
  })
  for (const chunk of chunks) await new Promise<void>((resolve, reject) => conn.write(chunk, (err) => (err ? reject(err) : resolve())))
  conn.end()
  await ended
  return Buffer.concat(answers)
}

/** `bytes` one byte per write: every command split at every point. */
export function bytewise(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (b) => Uint8Array.of(b))
}
