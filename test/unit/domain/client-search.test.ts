import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clientSearchText, searchTerms, SEARCH_WORDS_MAX, type SearchableClient } from '../../../src/domain/client-search.ts'

const client: SearchableClient = {
  lastName: 'Öztürk',
  firstName: 'Zeynep',
  familyMembers: ['Emre Öztürk'],
  organization: 'Harbour\tDance  Academy',
  email: 'Zeynep@Harbour.example',
  notes: 'Wedding\nin June',
  phones: [{ label: 'work', number: '+44 20 7946-0958' }],
}

describe('client search text', () => {
  it('when a client is turned into its search text, then it holds its values in lower case, one a line, and phone digits', () => {
    expect(clientSearchText(client).split('\n')).toEqual([
      'öztürk',
      'zeynep',
      'emre öztürk',
      'harbour dance academy',
      'zeynep@harbour.example',
      'wedding in june',
      '+44 20 7946-0958',
      '442079460958',
    ])
  })

  it('when values are empty or null, then they leave no line', () => {
    expect(clientSearchText({ lastName: 'Solo', firstName: '', familyMembers: [], organization: null, email: null, notes: '  ', phones: [] })).toBe('solo')
  })

  it('when any client is turned into its search text, then no field name appears unless a value holds it', () => {
    const value = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((v) => !/notes|lead|first|phones|label/i.test(v))
    fc.assert(
      fc.property(
        fc.record({
          lastName: value,
          firstName: value,
          familyMembers: fc.array(value, { maxLength: 3 }),
          organization: fc.option(value, { nil: null }),
          email: fc.option(value, { nil: null }),
          notes: fc.option(value, { nil: null }),
          phones: fc.array(fc.record({ label: fc.constantFrom('label', 'mobile'), number: value }), { maxLength: 2 }),
        }),
        (c) => {
          const textOf = clientSearchText(c)
          for (const key of ['notes', 'leadsource', 'firstname', 'phones', 'label']) expect(textOf).not.toContain(key)
        },
      ),
    )
  })
})

describe('search terms', () => {
  it('when a search has several words, then each is a term in lower case, at most eight', () => {
    expect(searchTerms('  Amara  OKAFOR ')).toEqual([
      { text: 'amara', digits: null },
      { text: 'okafor', digits: null },
    ])
    expect(searchTerms('a b c d e f g h i j')).toHaveLength(SEARCH_WORDS_MAX)
  })

  it('when a search is a phone number however typed, then it is one term with its digits', () => {
    for (const q of ['(207) 555-0111', '207 555 0111', '207.555.0111', '207-555-0111']) {
      expect(searchTerms(q)).toEqual([{ text: q.replaceAll(' ', ''), digits: '2075550111' }])
    }
    expect(searchTerms('555')).toEqual([{ text: '555', digits: null }])
  })

  it('when a search is empty or blank, then there is no term', () => {
    expect(searchTerms('')).toEqual([])
    expect(searchTerms('   ')).toEqual([])
  })
})
