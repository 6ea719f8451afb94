import { Router } from 'express'
import { z } from 'zod'
import type { Stores } from '../../app/stores.ts'
import { allow } from '../auth.ts'
import { bodyOf, idParam } from './params.ts'
import { actorOf } from './actor.ts'
import { renderDocument } from '../../app/render-document.ts'
import { LABEL_DOCUMENTS, TEMPLATE_FIELDS, TEMPLATE_KINDS, validateTemplate, type LabelDocument, type LabelTemplate, type TemplateKind } from '../../templates/index.ts'
import { importZplTemplate, type ZplConversion } from '../../templates/zpl-import.ts'
import { NotFoundError } from '../../domain/errors.ts'
import { parseInput } from '../../domain/inputs.ts'
import { LABEL_LANGUAGES } from '../../domain/printer-language.ts'

export const upload = z.strictObject({ kind: z.enum(TEMPLATE_KINDS), body: z.unknown(), note: z.string().max(200).optional() })
export const preview = upload.extend({
  recordId: z.number().int().positive(),
  format: z.enum([...LABEL_LANGUAGES, 'png', 'pdf']).default('png'),
  /** The printer's label stock and resolution (as `GET /api/documents` takes them). */
  media: z.enum(['4x6', '2.25x1.25', 'dymo-30252']).optional(),
  dpi: z.union([z.literal(203), z.literal(300)]).optional(),
})
export const activate = z.strictObject({ version: z.number().int().positive().nullable() })

/**
 * A studio's ZPL as a designer exported it, converted where it must be (code pages to UTF-8,
 * ^FH before placeholders; zpl-import.ts), then validated. The conversions are listed.
 */
function importTemplate(document: LabelDocument, input: { kind: TemplateKind; body: unknown }): { template: LabelTemplate; conversions: ZplConversion[] } {
  if (input.kind !== 'zpl' || typeof input.body !== 'string') return { template: validateTemplate({ document, kind: input.kind, body: input.body }), conversions: [] }
  const imported = importZplTemplate(input.body)
  return { template: validateTemplate({ document, kind: 'zpl', body: imported.body }), conversions: imported.conversions }
}

function labelDocument(name: string): LabelDocument {
  if (!(LABEL_DOCUMENTS as readonly string[]).includes(name)) {
    throw new NotFoundError(`Label template document "${name.slice(0, 40)}" (templates exist for ${LABEL_DOCUMENTS.join(', ')}); it`, { document: name }, 'DOCUMENT_NOT_FOUND')
  }
  return name as LabelDocument
}

/** Studio label templates: upload (validated, versioned, made active), list, preview, switch back. */
export function templateRoutes(stores: Stores): Router {
  const r = Router()
  r.get('/templates', allow('client'), async (_req, res) => {
    const items = await Promise.all(
      LABEL_DOCUMENTS.map(async (document) => ({
        document,
        activeVersion: await stores.templates.activeVersion(document),
        fields: TEMPLATE_FIELDS[document],
        versions: (await stores.templates.versions(document)).map(({ template: _t, ...v }) => v),
      })),
    )
    res.json({ items })
  })
  r.get('/templates/:document/versions/:version', allow('client'), async (req, res) => {
    res.json(await stores.templates.get(labelDocument(String(req.params.document)), idParam(req, 'version')))
  })
  r.post('/templates/:document', allow(), async (req, res) => {
    const document = labelDocument(String(req.params.document))
    const input = parseInput(upload, bodyOf(req))
    const { template, conversions } = importTemplate(document, input)
    res.status(201).json({ ...(await stores.templates.add(template, input.note ?? null, actorOf(req).by)), conversions })
  })
  r.put('/templates/:document/active', allow(), async (req, res) => {
    const document = labelDocument(String(req.params.document))
    const { version } = parseInput(activate, bodyOf(req))
    await stores.templates.activate(document, version)
    res.json({ document, activeVersion: version })
  })
  r.post('/templates/:document/preview', allow('client'), async (req, res) => {
    const document = labelDocument(String(req.params.document))
    const input = parseInput(preview, bodyOf(req))
    const { template, conversions } = importTemplate(document, input)
    const result = await renderDocument(stores, document, input.recordId, input.format, { template, media: input.media, dpi: input.dpi })
    // What saving this body would convert (the same list the upload answers with).
    res.setHeader('x-template-conversions', JSON.stringify(conversions))
    res.type(result.contentType).send(Buffer.from(result.bytes))
  })
  return r
}
