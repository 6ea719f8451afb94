import { VALUE_TAGS as T, type IppAttribute, type IppGroup, type IppValue } from './ipp-codec.ts'

/** Builders for the attributes of answers: `keyword('sides-supported', 'one-sided')`. */
const strings = (tag: number) => (name: string, ...values: string[]): IppAttribute => ({ name, values: values.map((value) => ({ tag, value })) })
const numbers = (tag: 0x21 | 0x23) => (name: string, ...values: number[]): IppAttribute => ({ name, values: values.map((value) => ({ tag, value })) })

export const keyword = strings(T.keyword)
export const uri = strings(T.uri)
export const uriScheme = strings(T.uriScheme)
export const charset = strings(T.charset)
export const naturalLanguage = strings(T.naturalLanguage)
export const mimeMediaType = strings(T.mimeMediaType)
export const text = strings(T.textWithoutLanguage)
export const nameAttr = strings(T.nameWithoutLanguage)
export const integer = numbers(T.integer)
export const enumAttr = numbers(T.enum)

export function boolean(name: string, value: boolean): IppAttribute {
  return { name, values: [{ tag: T.boolean, value }] }
}
export function range(name: string, lower: number, upper: number): IppAttribute {
  return { name, values: [{ tag: T.rangeOfInteger, value: { lower, upper } }] }
}
export function resolution(name: string, ...dpis: number[]): IppAttribute {
  return { name, values: dpis.map((d) => ({ tag: T.resolution, value: { x: d, y: d, units: 3 as const } })) }
}
export function dateTime(name: string, at: number | null): IppAttribute {
  return at === null ? noValue(name) : { name, values: [{ tag: T.dateTime, value: new Date(at) }] }
}
export function noValue(name: string): IppAttribute {
  return { name, values: [{ tag: T.noValue, value: '' }] }
}
export function collection(name: string, ...members: IppAttribute[][]): IppAttribute {
  return { name, values: members.map((value) => ({ tag: T.begCollection, value })) }
}

/** The first value of an attribute in a group, or undefined. */
export function attributeOf(group: IppGroup | undefined, name: string): IppAttribute | undefined {
  return group?.attributes.find((a) => a.name === name)
}

export function stringValue(v: IppValue | undefined): string | undefined {
  return v && typeof v.value === 'string' ? v.value : v && (v.tag === T.nameWithLanguage || v.tag === T.textWithLanguage) ? (v.value as { text: string }).text : undefined
}

export function numberValue(v: IppValue | undefined): number | undefined {
  return v && typeof v.value === 'number' ? v.value : undefined
}
