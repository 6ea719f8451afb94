import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { fullClient } from './records-api-fixtures.ts'

/** Clients with their fields filled in; no value contains the name of a field. */
const CLIENTS = [
  fullClient,
  {
    lastName: 'Öztürk',
    firstName: 'Zeynep',
    organization: 'Harbour Dance Academy',
    phones: [
      { label: 'work', number: '+44 20 7946 0958' },
      { label: 'home', number: '555.0199' },
    ],
    email: 'zeynep@harbour.example',
    familyMembers: ['Emre Öztürk'],
    leadSource: 'walk-in',
    notes: 'Wedding in June',
  },
  { lastName: 'Under_Score', firstName: 'Wanda' },
]

describe.each(DB_KINDS)('client search on %s', (kind) => {
  let s: TestServer
  const ids: number[] = []
  beforeAll(async () => {
    s = await startTestServer(kind)
    for (const body of CLIENTS) {
      const res = await s.api('/api/clients', { method: 'POST', json: body })
      expect(res.status).toBe(201)
      ids.push(((await res.json()) as { id: number }).id)
    }
  })
  afterAll(async () => {
    await s?.close()
  })

  async function found(q: string): Promise<number[]> {
    const res = await s.api(`/api/clients?limit=500&q=${encodeURIComponent(q)}`)
    expect(res.status).toBe(200)
    const page = (await res.json()) as { items: Array<{ id: number }> }
    return page.items.map((c) => c.id).sort((a, b) => a - b)
  }

  it('when a field name is searched for, then no client is found', async () => {
    const keys = ['notes', 'leadSource', 'firstName', 'lastName', 'phones', 'label', 'number', 'addresses', 'familyMembers', 'organization', 'email', 'salutation', 'status', 'lines', 'city', 'postalCode', '"', ':', '{', '[', '":"', 'null']
    for (const key of keys) expect(await found(key), key).toEqual([])
  })

  it('when a name, family member, organization, email or notes text is searched for, then its client is found in any case', async () => {
    const [okafor, ozturk] = ids
    expect(await found('okafor')).toEqual([okafor])
    expect(await found('AMARA okafor')).toEqual([okafor])
    expect(await found('chidi')).toEqual([okafor])
    expect(await found('lakeside')).toEqual([okafor])
    expect(await found('AMARA@OKAFOR.EXAMPLE')).toEqual([okafor])
    expect(await found('morning proofs')).toEqual([okafor])
    expect(await found('öztürk')).toEqual([ozturk])
    expect(await found('ÖZTÜRK')).toEqual([ozturk])
    expect(await found('emre')).toEqual([ozturk])
    expect(await found('harbour dance')).toEqual([ozturk])
    expect(await found('wedding')).toEqual([ozturk])
  })

  it('when a phone number is searched for however it is punctuated, then its client is found', async () => {
    const [okafor, ozturk] = ids
    for (const q of ['(207) 555-0111', '2075550111', '207-555-0111', '207.555.0111', '555 0111', '5550111']) expect(await found(q), q).toEqual([okafor])
    for (const q of ['+44 20 7946 0958', '442079460958', '7946 0958', '555-0199', '5550199']) expect(await found(q), q).toEqual([ozturk])
  })

  it('when a search holds % or _, then they are literal characters', async () => {
    const [okafor, , underscore] = ids
    expect(await found('100%')).toEqual([okafor])
    expect(await found('%')).toEqual([okafor])
    expect(await found('under_score')).toEqual([underscore])
    expect(await found('_')).toEqual([underscore])
    expect(await found('under%score')).toEqual([])
    expect(await found('o_afor')).toEqual([])
  })

  it('when a field that is not searched holds the word, then the client is not found by it', async () => {
    expect(await found('referral')).toEqual([])
    expect(await found('portland')).toEqual([])
    expect(await found('mobile')).toEqual([])
  })

  it('when a client is patched, then the search finds it by its new values and no longer by the old', async () => {
    const created = (await (await s.api('/api/clients', { method: 'POST', json: { lastName: 'Quimby', notes: 'studio tour' } })).json()) as { id: number }
    expect(await found('quimby')).toEqual([created.id])
    const res = await s.api(`/api/clients/${created.id}`, { method: 'PATCH', json: { lastName: 'Quennell', phones: [{ label: 'mobile', number: '555-4242' }] } })
    expect(res.status).toBe(200)
    expect(await found('quimby')).toEqual([])
    expect(await found('quennell tour')).toEqual([created.id])
    expect(await found('5554242')).toEqual([created.id])
  })
})
