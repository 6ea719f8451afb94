import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { EPL_ATTACKS, ZPL_ATTACKS, ZPL_REAL } from '../../fixtures/security/printer-templates.ts'

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

describe.each(DB_KINDS)('templates that would command the printer, on %s', (kind) => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer(kind)
  })
  afterAll(async () => {
    await s?.close()
  })

  const versions = async () => {
    const list = await json<{ items: Array<{ document: string; versions: unknown[] }> }>(await s.api('/api/templates'))
    return list.items.find((i) => i.document === 'client-label')?.versions.length
  }

  it('when an admin posts one, then 400 TEMPLATE_INVALID names the command and its line, and no version is stored', async () => {
    const attacks = [
      ...ZPL_ATTACKS.map(([body, command, line]) => ({ kind: 'zpl', body, command, line })),
      ...EPL_ATTACKS.map(([body, command, line]) => ({ kind: 'epl', body, command, line })),
    ]
    for (const { kind, body, command, line } of attacks) {
      const res = await s.api('/api/templates/client-label', { method: 'POST', json: { kind, body } })
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      const p = await json<{ status: number; code: string; details: { problems: Array<{ path: string; message: string }> } }>(res)
      expect({ status: p.status, code: p.code }).toEqual({ status: 400, code: 'TEMPLATE_INVALID' })
      expect(p.details.problems.some((x) => x.path === `body line ${line}` && x.message.includes(command))).toBe(true)
    }
    expect(await versions()).toBe(0)
  })

  it('when a template stored by an earlier version holds such commands, then nothing renders or prints from it (400 TEMPLATE_INVALID, no job)', async () => {
    const c = await json<{ id: number }>(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Okafor', firstName: 'Amara' } }))
    // As an older server stored it, before the allow-list: straight into the store.
    await s.running.stores.templates.add({ document: 'client-label', kind: 'zpl', body: ZPL_ATTACKS[0][0] }, 'old', 'test')
    expect(await json(await s.api(`/api/documents/client-label/${c.id}?format=zpl`))).toMatchObject({ status: 400, code: 'TEMPLATE_INVALID' })
    expect((await s.api('/api/printers', { method: 'POST', json: { name: 'desk', language: 'zpl', uri: 'tcp://127.0.0.1:9' } })).status).toBe(201)
    expect(await json(await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: c.id, printer: 'desk' } }))).toMatchObject({ status: 400, code: 'TEMPLATE_INVALID' })
    expect((await json<{ items: unknown[] }>(await s.api('/api/print-jobs'))).items).toEqual([])
    expect((await s.api('/api/templates/client-label/active', { method: 'PUT', json: { version: null } })).status).toBe(200)
  })

  it('when a real label is posted, then it is stored as the next version', async () => {
    for (const body of ZPL_REAL) expect((await s.api('/api/templates/client-label', { method: 'POST', json: { kind: 'zpl', body } })).status).toBe(201)
    expect(await versions()).toBe(ZPL_REAL.length + 1)
  })
})
