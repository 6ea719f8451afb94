/**
 * Finding clients by what the front desk types: names, organization, email, phone and notes.
 * A client is searched through one text of its values (never the names of its fields), kept
 * beside the record and rewritten with it.
 */
import type { Client } from './records.ts'

export type SearchableClient = Pick<Client, 'lastName' | 'firstName' | 'familyMembers' | 'organization' | 'email' | 'notes' | 'phones'>

/** Values are separated by a line break, which no search term contains: a term never spans two values. */
const SEPARATOR = '\n'

/** The fewest digits a term needs before it also matches phone numbers however they are punctuated. */
const PHONE_DIGITS_MIN = 4

/** At most this many words of a search are used. */
export const SEARCH_WORDS_MAX = 8

/**
 * The text a client is found by, lower case: its name and family members, organization, email,
 * notes, and each phone number as typed and as its digits alone.
 */
export function clientSearchText(client: SearchableClient): string {
  const values = [
    client.lastName,
    client.firstName,
    ...client.familyMembers,
    client.organization,
    client.email,
    client.notes,
    ...client.phones.flatMap((p) => [p.number, digitsOf(p.number)]),
  ]
  return values
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => v.toLowerCase().replaceAll(/\s+/g, ' '))
    .join(SEPARATOR)
}

/** One word of a search: found as `text`, or (a phone number typed any way) as its `digits`. */
export interface SearchTerm {
  text: string
  digits: string | null
}

/**
 * The words of a search, lower case; every one must be found. A search that is only a phone
 * number ("(207) 555 0111") is one term, not several words.
 */
export function searchTerms(q: string): SearchTerm[] {
  const text = q.toLowerCase().trim()
  const words = /^[\d\s()+.-]+$/.test(text) ? [text.replaceAll(/\s+/g, '')] : text.split(/\s+/).filter(Boolean).slice(0, SEARCH_WORDS_MAX)
  return words.filter(Boolean).map((word) => {
    const digits = /^[\d()+.-]+$/.test(word) ? digitsOf(word) : ''
    return { text: word, digits: digits.length >= PHONE_DIGITS_MIN ? digits : null }
  })
}

function digitsOf(text: string): string {
  return text.replaceAll(/\D/g, '')
}
