/**
 * The printer description and job template attributes of one IPP printer (RFC 8011 §5.2, §5.4;
 * PWG 5100.14 IPP Everywhere), from the printer's record and its live status.
 */
import { createHash } from 'node:crypto'
import { VALUE_TAGS, type IppAttribute } from './ipp-codec.ts'
import { boolean, charset, collection, dateTime, enumAttr, integer, keyword, mimeMediaType, nameAttr, naturalLanguage, range, resolution, text, uri } from './ipp-values.ts'
import { OPERATIONS, PRINTER_STATE_ENUM } from './ipp-constants.ts'
import type { IppMedia } from './ipp-media.ts'
import { printerLanguage, type PrinterLanguage } from '../../domain/printer-language.ts'

export interface IppPrinterView {
  /** The queue's name under /ipp/print/. */
  name: string
  language: PrinterLanguage
  /** What the studio calls it (printer-info). */
  info: string
  location: string
  /** ipp://HOST:PORT/ipp/print/NAME as the client reached it. */
  uri: string
  /** http://HOST:PORT (printer-more-info, icons). */
  httpBase: string
  /** Loaded media first. */
  mediaReady: IppMedia
  mediaSupported: readonly IppMedia[]
  dpi: number
  /** The resolution PWG raster is taken at (label printers: theirs; PDF printers: 150 dpi, embedded as images). */
  pwgDpi: number
  formats: string[]
  state: 'idle' | 'processing' | 'stopped'
  reasons: string[]
  stateMessage: string
  queuedJobs: number
  upSince: number
  acceptingJobs: boolean
  /** printer-organization: the studio's name. */
  organization: string
  /** Whether Create-Job and Send-Document are offered (not by the route-by-content queue). */
  createJob: boolean
}

export const MAX_COPIES_IPP = 1000
/** Seconds a Create-Job waits for its Send-Document before the job is aborted. */
export const MULTIPLE_OPERATION_TIMEOUT_S = 300
const START_SECONDS = Math.floor(Date.now() / 1000)

function mediaCol(m: IppMedia, withMargins = true): IppAttribute[] {
  return [
    collection('media-size', [integer('x-dimension', m.x), integer('y-dimension', m.y)]),
    ...(withMargins ? [integer('media-bottom-margin', 0), integer('media-left-margin', 0), integer('media-right-margin', 0), integer('media-top-margin', 0)] : []),
    keyword('media-source', 'main'),
    keyword('media-type', m.name.startsWith('na_letter') || m.name.startsWith('iso_a4') ? 'stationery' : 'labels'),
  ]
}

export function uuidOf(name: string): string {
  const h = createHash('sha256').update(`studio-print-ipp:${name}`).digest('hex')
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** Every attribute the printer has, in a stable order. */
export function printerAttributes(p: IppPrinterView): IppAttribute[] {
  const now = Date.now()
  // Labels and receipts: printed in dots, in the printer's own language too.
  const label = printerLanguage(p.language).printout !== 'document'
  const ops = Object.entries(OPERATIONS).filter(([name]) => p.createJob || (name !== 'Create-Job' && name !== 'Send-Document' && name !== 'Close-Job')).map(([, id]) => id)
  const reasons = p.reasons.length > 0 ? p.reasons : ['none']
  const makeModel = label ? `Studio Print ${p.language.toUpperCase()} label printer` : 'Studio Print PDF printer'
  return [
    charset('charset-configured', 'utf-8'),
    charset('charset-supported', 'utf-8'),
    boolean('color-supported', false),
    keyword('compression-supported', 'none'),
    integer('copies-default', 1),
    range('copies-supported', 1, MAX_COPIES_IPP),
    mimeMediaType('document-format-default', 'application/octet-stream'),
    mimeMediaType('document-format-supported', 'application/octet-stream', ...p.formats),
    enumAttr('finishings-default', 3),
    enumAttr('finishings-supported', 3),
    naturalLanguage('generated-natural-language-supported', 'en'),
    keyword('identify-actions-default', 'sound'),
    keyword('identify-actions-supported', 'sound'),
    keyword('ipp-features-supported', 'ipp-everywhere'),
    keyword('ipp-versions-supported', '1.1', '2.0'),
    keyword('job-creation-attributes-supported', 'copies', 'media', 'media-col', 'print-quality', 'sides', 'orientation-requested', 'printer-resolution'),
    boolean('job-ids-supported', true),
    range('job-k-octets-supported', 0, 64 * 1024),
    keyword('job-sheets-default', 'none'),
    keyword('job-sheets-supported', 'none'),
    keyword('media-col-supported', 'media-bottom-margin', 'media-left-margin', 'media-right-margin', 'media-size', 'media-source', 'media-top-margin', 'media-type'),
    collection('media-col-default', mediaCol(p.mediaReady)),
    collection('media-col-ready', mediaCol(p.mediaReady)),
    collection('media-col-database', ...p.mediaSupported.map((m) => mediaCol(m))),
    keyword('media-default', p.mediaReady.name),
    keyword('media-ready', p.mediaReady.name),
    keyword('media-supported', ...p.mediaSupported.map((m) => m.name)),
    integer('media-bottom-margin-supported', 0),
    integer('media-left-margin-supported', 0),
    integer('media-right-margin-supported', 0),
    integer('media-top-margin-supported', 0),
    collection('media-size-supported', ...p.mediaSupported.map((m) => [integer('x-dimension', m.x), integer('y-dimension', m.y)])),
    keyword('media-source-supported', 'main'),
    keyword('media-type-supported', label ? 'labels' : 'stationery'),
    boolean('multiple-document-jobs-supported', false),
    integer('multiple-operation-time-out', MULTIPLE_OPERATION_TIMEOUT_S),
    keyword('multiple-operation-time-out-action', 'abort-job'),
    naturalLanguage('natural-language-configured', 'en'),
    enumAttr('orientation-requested-default', 3),
    enumAttr('orientation-requested-supported', 3, 4, 5, 6),
    keyword('output-bin-default', 'face-up'),
    keyword('output-bin-supported', 'face-up'),
    integer('pages-per-minute', label ? 30 : 20),
    keyword('pdl-override-supported', 'attempted'),
    enumAttr('print-quality-default', 4),
    enumAttr('print-quality-supported', 3, 4, 5),
    text('printer-device-id', `MFG:Studio Print;MDL:${p.language.toUpperCase()} ${label ? 'Label' : 'PDF'};CMD:PDF,JPEG,PWGRaster${label ? `,${p.language.toUpperCase()}` : ''};`),
    text('printer-info', p.info.slice(0, 127)),
    boolean('printer-is-accepting-jobs', p.acceptingJobs),
    text('printer-location', p.location.slice(0, 127)),
    text('printer-make-and-model', makeModel),
    uri('printer-more-info', `${p.httpBase}/print-jobs`),
    nameAttr('printer-name', p.name.slice(0, 127)),
    resolution('printer-resolution-default', p.dpi),
    resolution('printer-resolution-supported', p.dpi),
    enumAttr('printer-state', PRINTER_STATE_ENUM[p.state]),
    text('printer-state-message', p.stateMessage.slice(0, 255)),
    keyword('printer-state-reasons', ...reasons),
    dateTime('printer-current-time', now),
    dateTime('printer-config-change-date-time', START_SECONDS * 1000),
    integer('printer-config-change-time', START_SECONDS),
    dateTime('printer-state-change-date-time', START_SECONDS * 1000),
    integer('printer-state-change-time', START_SECONDS),
    integer('printer-up-time', Math.floor(now / 1000)),
    uri('printer-uri-supported', p.uri),
    uri('printer-uuid', uuidOf(p.name)),
    keyword('printer-kind', label ? 'labels' : 'document'),
    keyword('pwg-raster-document-type-supported', 'black_1', 'sgray_8', 'srgb_8'),
    resolution('pwg-raster-document-resolution-supported', p.pwgDpi),
    keyword('pwg-raster-document-sheet-back', 'normal'),
    integer('queued-job-count', p.queuedJobs),
    keyword('sides-default', 'one-sided'),
    keyword('sides-supported', 'one-sided'),
    keyword('uri-authentication-supported', 'basic'),
    keyword('uri-security-supported', 'none'),
    boolean('preferred-attributes-supported', false),
    keyword('overrides-supported', 'document-number', 'pages'),
    boolean('page-ranges-supported', true),
    keyword('print-color-mode-default', 'monochrome'),
    keyword('print-color-mode-supported', 'monochrome'),
    keyword('print-content-optimize-default', 'auto'),
    keyword('print-content-optimize-supported', 'auto'),
    keyword('print-rendering-intent-default', 'auto'),
    keyword('print-rendering-intent-supported', 'auto'),
    { name: 'printer-geo-location', values: [{ tag: VALUE_TAGS.unknown, value: '' }] },
    uri('printer-icons', `${p.httpBase}/ipp/icon.png`),
    text('printer-organization', p.organization.slice(0, 127)),
    text('printer-organizational-unit', ''),
    { name: 'printer-supply', values: [{ tag: VALUE_TAGS.octetString, value: `index=1;class=supplyThatIsConsumed;type=${label ? 'other' : 'paper'};unit=percent;maxcapacity=100;level=${p.reasons.some((r) => r.startsWith('media-empty')) ? 0 : -3};` }] },
    text('printer-supply-description', label ? 'Labels' : 'Paper'),
    uri('printer-supply-info-uri', `${p.httpBase}/settings`),
    keyword('which-jobs-supported', 'completed', 'not-completed', 'all'),
    keyword('printer-get-attributes-supported', 'document-format'),
    keyword('job-hold-until-supported', 'no-hold'),
    keyword('job-hold-until-default', 'no-hold'),
    enumAttr('operations-supported', ...ops),
  ]
}
