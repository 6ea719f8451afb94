/**
 * The work a render worker does, one task at a time. Everything a request can make slow —
 * document and label rendering, ZPL previews, image decoding — is a task here, so it runs in a
 * worker thread (render-pool.ts) and never on the event loop that answers requests.
 */
import type { StudioInfo } from '../../domain/preferences.ts'
import type { OutputFormat } from '../../domain/documents.ts'
import type { LabelLanguage } from '../../domain/printer-language.ts'
import { ValidationError } from '../../domain/errors.ts'
import { checkPreviewZpl, type PreviewSize } from '../../templates/zpl-preview-limits.ts'
import { toUtf8Zpl, zplFormatCount } from '../../templates/zpl-encoding.ts'
import { normalizeLogo, usableLogo, type NormalizedLogo } from '../../templates/images/studio-logo.ts'
import { convertDocument, type Converted, type ConvertRequest } from '../printing/convert-document.ts'
import { imagesPdf, previewZplLabels, render, renderSheet, renderUnits, AVERY_5160, type LabelItem, type LabelTemplate, type RenderRequest, type RenderResult } from '../../templates/index.ts'

export type RenderTask =
  | { kind: 'render'; req: RenderRequest }
  | { kind: 'labels'; items: LabelItem[]; format: LabelLanguage; studio: StudioInfo; media?: string; dpi?: 203 | 300; template?: LabelTemplate }
  | { kind: 'documents'; items: LabelItem[]; format: OutputFormat; studio: StudioInfo } & Pick<RenderRequest, 'media' | 'dpi' | 'template' | 'startPosition'>
  | { kind: 'sheet'; items: LabelItem[]; studio: StudioInfo; template?: LabelTemplate; startPosition?: number }
  /** The request body as sent: decoded (in the code pages its ^CI commands select), counted and checked here, in the worker. */
  | { kind: 'preview-zpl'; body: Uint8Array; size: PreviewSize & { dpmm: 6 | 8 | 12 | 24 }; index?: number; pdf?: boolean }
  | { kind: 'logo'; png: Uint8Array }
  | { kind: 'ipp-document'; req: ConvertRequest }

/** What each task kind answers. */
export interface RenderAnswers {
  render: RenderResult
  labels: Uint8Array[]
  documents: RenderResult[]
  sheet: { bytes: Uint8Array; pages: number }
  /** The PNG of label `index` (or a PDF of every label, or of that one), and how many labels the stream holds. */
  'preview-zpl': { bytes: Uint8Array; total: number }
  logo: NormalizedLogo
  'ipp-document': Converted
}

export interface TaskOutcome<T> {
  value: T
  /** Things the caller should log (a stored logo left out, and why). */
  notes: string[]
}

/** The studio header with its logo as renders may use it (left out, with a note, when it fails verification). */
function safeStudio(studio: StudioInfo, notes: string[]): StudioInfo {
  if (!studio.logoPng || studio.logoPng.length === 0) return studio
  const logo = usableLogo(studio.logoPng, studio.logoSha256 ?? undefined)
  if ('png' in logo) return { ...studio, logoPng: logo.png }
  notes.push(`the stored studio logo is left out: ${logo.problem}`)
  return { ...studio, logoPng: null }
}

export async function runTask(task: RenderTask): Promise<TaskOutcome<RenderAnswers[RenderTask['kind']]>> {
  const notes: string[] = []
  switch (task.kind) {
    case 'render':
      return { value: await render({ ...task.req, studio: safeStudio(task.req.studio, notes) }), notes }
    case 'labels': {
      const units: Uint8Array[] = []
      const { items, format, media, dpi, template } = task
      for await (const unit of renderUnits({ items, format, studio: safeStudio(task.studio, notes), media, dpi, template })) units.push(unit.bytes)
      return { value: units, notes }
    }
    case 'documents': {
      const { items, format, media, dpi, template, startPosition } = task
      const studio = safeStudio(task.studio, notes)
      const results: RenderResult[] = []
      for (const item of items) results.push(await render({ subject: item.subject, barcode: item.barcode, format, studio, media, dpi, template, startPosition }))
      return { value: results, notes }
    }
    case 'sheet': {
      const chunks: Uint8Array[] = []
      for await (const c of renderSheet({ items: task.items, studio: safeStudio(task.studio, notes), template: task.template, startPosition: task.startPosition })) chunks.push(c)
      const pages = Math.max(1, Math.ceil(((task.startPosition ?? 1) - 1 + task.items.length) / AVERY_5160.perSheet))
      return { value: { bytes: new Uint8Array(Buffer.concat(chunks)), pages }, notes }
    }
    case 'preview-zpl': {
      // The bytes as sent: a ^CI27 or ^CI0 section is read in its code page and drawn as UTF-8.
      const zpl = toUtf8Zpl(task.body).zpl
      if (zplFormatCount(zpl) === 0) throw new ValidationError('Send ZPL (^XA … ^XZ) as the request body.', {}, 'ZPL_INVALID')
      checkPreviewZpl(zpl, task.size)
      const labels = await previewZplLabels(zpl, task.size)
      const chosen = task.index === undefined ? (task.pdf ? labels : labels.slice(0, 1)) : labels.slice(task.index, task.index + 1)
      if (chosen.length === 0) {
        throw new ValidationError(`The ZPL draws ${labels.length} label${labels.length === 1 ? '' : 's'}: index is 0–${labels.length - 1}.`, { index: task.index, total: labels.length }, 'QUERY_INVALID')
      }
      const bytes = task.pdf ? await imagesPdf(chosen, task.size.widthIn * 72, task.size.heightIn * 72, 'ZPL preview') : chosen[0]
      return { value: { bytes, total: labels.length }, notes }
    }
    case 'logo':
      return { value: normalizeLogo(task.png), notes }
    case 'ipp-document':
      return { value: await convertDocument(task.req), notes }
  }
}
