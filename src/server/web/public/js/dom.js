// @ts-check
// Tiny DOM helpers. Record text always goes in as text (textContent), never as HTML.

/**
 * @typedef {Node | string | number | null | undefined | false} Child
 * @typedef {Child | Child[]} Children
 */

/**
 * el('td', {class: 'num', 'data-x': 1}, 'text', child, …): children are strings (as text nodes)
 * or nodes; null/undefined/false are skipped. Attributes starting with "on" are listeners.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any> | null} [attrs]
 * @param {...Children} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v)
    else if (k === 'class') node.className = v
    else if (k === 'text') node.textContent = String(v)
    else if (v === true) node.setAttribute(k, '')
    else node.setAttribute(k, String(v))
  }
  append(node, children)
  return node
}

/** @template {ParentNode} N @param {N} node @param {Children[]} children @returns {N} */
export function append(node, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue
    node.append(c instanceof Node ? c : document.createTextNode(String(c)))
  }
  return node
}

/** @template {Element} N @param {N} node @returns {N} */
export function clear(node) {
  node.replaceChildren()
  return node
}

/** @param {string} sel @param {ParentNode} [root] */
export const $ = (sel, root = document) => root.querySelector(sel)

/**
 * The element with this id, of the kind the page's markup has (`byId('scan-input', HTMLInputElement)`).
 * A missing element or one of another kind is a bug in the page: it throws, naming the id.
 * @template {Element} [T=HTMLElement]
 * @param {string} id
 * @param {new () => T} [kind] HTMLElement when not given
 * @returns {T}
 */
export function byId(id, kind) {
  const node = document.getElementById(id)
  const want = kind ?? HTMLElement
  if (!(node instanceof want)) throw new Error(`#${id} is not the ${want.name} the page expects`)
  return /** @type {T} */ (/** @type {unknown} */ (node))
}

/**
 * A form's control by name, of the kind the markup has (`fieldOf(form, 'email', HTMLInputElement)`).
 * @template {Element} T
 * @param {HTMLFormElement} form
 * @param {string} name
 * @param {new () => T} kind
 * @returns {T}
 */
export function fieldOf(form, name, kind) {
  const node = form.elements.namedItem(name)
  if (!(node instanceof kind)) throw new Error(`${form.id || 'the form'}'s ${name} is not the ${kind.name} the page expects`)
  return node
}

/** Sets a message element's text and tone ('', 'ok', 'warning', 'error'). @param {HTMLElement} node @param {string} [text] */
export function say(node, text, tone = '') {
  node.textContent = text || ''
  node.className = node.className.replace(/\b(ok|warning|error)\b/g, '').trim()
  if (tone) node.classList.add(tone)
}

/** @param {string} text @param {string} [tone] */
export function badge(text, tone = text) {
  return el('span', { class: `badge ${tone}` }, text)
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })
/** @param {string | null | undefined} iso */
export const fmtDateTime = (iso) => (iso ? dateTime.format(new Date(iso)) : '')
/** @param {string | null} [iso] */
export const fmtTime = (iso) => time.format(iso ? new Date(iso) : new Date())
/** @param {string | null | undefined} ymd */
export const fmtDate = (ymd) => (ymd ? date.format(new Date(ymd + (ymd.length === 10 ? 'T00:00:00Z' : ''))) : '')
/** @param {unknown} cents */
export const fmtMoney = (cents) => (typeof cents === 'number' ? (cents / 100).toLocaleString(undefined, { style: 'currency', currency: 'USD' }) : '')
