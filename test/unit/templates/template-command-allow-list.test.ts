import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/domain/errors.ts'
import { render, validateTemplate } from '../../../src/templates/index.ts'
import { EPL_ATTACKS, EPL_REAL, ZPL_ATTACKS, ZPL_REAL } from '../../fixtures/security/printer-templates.ts'
import { STUDIO, barcodeOf, makeSubject } from './fixtures.ts'

function problems(kind: 'zpl' | 'epl', body: string, document = 'client-label'): string[] {
  try {
    validateTemplate({ document, kind, body })
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    expect((e as AppError).code).toBe('TEMPLATE_INVALID')
    return ((e as AppError).details!.problems as Array<{ path: string; message: string }>).map((p) => `${p.path}: ${p.message}`)
  }
  return []
}

describe('when a custom template holds commands that act on the printer rather than draw the label', () => {
  it.each(ZPL_ATTACKS)('ZPL %j is refused naming %s on line %i', (body, command, line) => {
    const found = problems('zpl', body)
    expect(found.some((p) => p.startsWith(`body line ${line}: `) && p.includes(command))).toBe(true)
  })

  it.each(EPL_ATTACKS)('EPL %j is refused naming %s on line %i', (body, command, line) => {
    const found = problems('epl', body)
    expect(found.some((p) => p.startsWith(`body line ${line}: `) && p.includes(command))).toBe(true)
  })
})

describe('when a real label is used as a template, then it is accepted', () => {
  it.each(ZPL_REAL)('ZPL %j', (body) => {
    expect(problems('zpl', body)).toEqual([])
  })
  it.each(EPL_REAL)('EPL %j', (body) => {
    expect(problems('epl', body)).toEqual([])
  })
  it.each([
    ['client-label', 'zpl'],
    ['client-label', 'epl'],
    ['order-label', 'zpl'],
    ['order-label', 'epl'],
  ] as const)('the built-in %s in %s, as the server prints it', async (document, format) => {
    const r = await render({ subject: makeSubject(document), format, studio: STUDIO, barcode: barcodeOf(document) })
    const body = Buffer.from(r.bytes).toString('latin1')
    expect(problems(format, body, document)).toEqual([])
  })
})

describe('when a 64 KB template is nothing but refused commands', () => {
  it('then the first 20 problems are listed and the rest counted, not thousands of messages', () => {
    const found = problems('zpl', `^XA${'~JR'.repeat(21_000)}^XZ`)
    expect(found).toHaveLength(21)
    expect(found[20]).toBe('body: … and 20980 more problems')
  })
})
