/** IPP operation ids and status codes (RFC 8011 §5.4.15, §B; PWG 5100.x) that this printer uses. */
export const OPERATIONS = {
  'Print-Job': 0x0002,
  'Validate-Job': 0x0004,
  'Create-Job': 0x0005,
  'Send-Document': 0x0006,
  'Cancel-Job': 0x0008,
  'Get-Job-Attributes': 0x0009,
  'Get-Jobs': 0x000a,
  'Get-Printer-Attributes': 0x000b,
  'Cancel-My-Jobs': 0x0039,
  'Close-Job': 0x003b,
  'Identify-Printer': 0x003c,
} as const
export type OperationName = keyof typeof OPERATIONS

export const STATUS = {
  ok: 0x0000,
  okIgnoredOrSubstituted: 0x0001,
  badRequest: 0x0400,
  forbidden: 0x0401,
  notAuthenticated: 0x0402,
  notPossible: 0x0404,
  notFound: 0x0406,
  requestEntityTooLarge: 0x0409,
  attributesOrValuesNotSupported: 0x040b,
  documentFormatNotSupported: 0x040a,
  compressionNotSupported: 0x040f,
  documentFormatError: 0x0410,
  internalError: 0x0500,
  operationNotSupported: 0x0501,
  serviceUnavailable: 0x0502,
  versionNotSupported: 0x0503,
  busy: 0x0507,
  multipleDocumentJobsNotSupported: 0x0509,
} as const
export type IppStatus = (typeof STATUS)[keyof typeof STATUS]

/** IPP job-state enum values of the queue's states (RFC 8011 §5.3.7). */
export const JOB_STATE_ENUM = { pending: 3, held: 4, processing: 5, canceled: 7, aborted: 8, completed: 9 } as const

/** printer-state enum values. */
export const PRINTER_STATE_ENUM = { idle: 3, processing: 4, stopped: 5 } as const
