/** A small IPP client for tests: one request over HTTP, the answer decoded (our codec; ipptool checks it independently). */
import { decodeIpp, encodeIpp, GROUP_TAGS, type IppAttribute, type IppMessage } from '../../src/server/ipp/ipp-codec.ts'
import { charset, naturalLanguage, uri } from '../../src/server/ipp/ipp-values.ts'

export function basic(user: string, token: string): string {
  return `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`
}

export interface IppAnswer {
  http: number
  headers: Headers
  message: IppMessage | null
  /** The attribute's values in any group, by name (first occurrence). */
  attr(name: string): unknown[] | undefined
}

export async function ipp(
  printerUrl: string,
  op: number,
  opts: { auth?: string | null; attrs?: IppAttribute[]; job?: IppAttribute[]; data?: Uint8Array; version?: number; raw?: Uint8Array; requestId?: number } = {},
): Promise<IppAnswer> {
  const ippUri = printerUrl.replace(/^http/, 'ipp')
  const body =
    opts.raw ??
    encodeIpp({
      version: opts.version ?? 0x0200,
      code: op,
      requestId: opts.requestId ?? 7,
      groups: [
        { tag: GROUP_TAGS.operation, attributes: [charset('attributes-charset', 'utf-8'), naturalLanguage('attributes-natural-language', 'en'), uri('printer-uri', ippUri), ...(opts.attrs ?? [])] },
        ...(opts.job ? [{ tag: GROUP_TAGS.job, attributes: opts.job }] : []),
      ],
      data: opts.data,
    })
  const headers: Record<string, string> = { 'content-type': 'application/ipp' }
  if (opts.auth) headers.authorization = opts.auth
  const res = await fetch(printerUrl, { method: 'POST', headers, body })
  const bytes = new Uint8Array(await res.arrayBuffer())
  const message = res.headers.get('content-type')?.startsWith('application/ipp') ? decodeIpp(bytes) : null
  return {
    http: res.status,
    headers: res.headers,
    message,
    attr: (name) => {
      for (const g of message?.groups ?? []) {
        const a = g.attributes.find((x) => x.name === name)
        if (a) return a.values.map((v) => v.value)
      }
      return undefined
    },
  }
}
