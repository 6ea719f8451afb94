/** One `text/event-stream` frame as a browser's EventSource would see it. */
export interface SseFrame {
  event: string
  id: string | null
  data: string
}

/**
 * A minimal EventSource over fetch that a test can drop and resume: it keeps every frame, and
 * `lastEventId` as a browser does (the last `id:` field seen, whichever event carried it).
 */
export class SseClient {
  readonly frames: SseFrame[] = []
  lastEventId: string | null = null
  private abort: AbortController | null = null
  private done: Promise<void> | null = null

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** Opens (or reopens) the stream, sending Last-Event-ID when one is known; resolves on the 200. */
  async connect(): Promise<void> {
    await this.close()
    const abort = new AbortController()
    this.abort = abort
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` }
    if (this.lastEventId !== null) headers['last-event-id'] = this.lastEventId
    const res = await fetch(this.url, { headers, signal: abort.signal })
    if (res.status !== 200) throw new Error(`event stream: ${res.status} ${await res.text()}`)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    this.done = this.read(reader).catch(() => undefined)
  }

  async close(): Promise<void> {
    this.abort?.abort()
    this.abort = null
    await this.done
    this.done = null
  }

  /** Ids of scan events (`message` frames), in arrival order. */
  scanIds(): number[] {
    return this.frames.filter((f) => f.event === 'message' && f.id !== null).map((f) => Number(f.id))
  }

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder()
    let buffer = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      buffer += decoder.decode(value, { stream: true })
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        this.parse(block)
      }
    }
  }

  private parse(block: string): void {
    let event = 'message'
    let id: string | null = null
    const data: string[] = []
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon < 0 ? line : line.slice(0, colon)
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
      if (field === 'event') event = value
      else if (field === 'id') id = value
      else if (field === 'data') data.push(value)
    }
    if (id !== null) this.lastEventId = id
    if (data.length === 0) return
    this.frames.push({ event, id, data: data.join('\n') })
  }
}
