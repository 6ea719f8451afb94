// The types of /assets/js/documents.js, which the server generates from these very tables
// (src/server/web/page-vocabulary.ts): tsconfig.web.json's rootDirs set this file beside the page scripts.
import type { DocumentName, OutputFormat } from '../../../domain/documents.ts'
import type { LABEL_STOCK as STOCK } from '../../../templates/media.ts'

export const FORMATS: Readonly<Record<DocumentName, readonly OutputFormat[]>>
export const DOC_NAMES: Readonly<Record<DocumentName, string>>
export const LABEL_STOCK: typeof STOCK
