// Tiny DOM helpers. Record text always goes in as text (textContent), never as HTML.

/**
 * el('td', {class: 'num', 'data-x': 1}, 'text', child, …): children are strings (as text nodes)
 * or nodes; null/undefined/false are skipped. Attributes starting with "on" are listeners.
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

export function append(node, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue
    node.append(c instanceof Node ? c : document.createTextNode(String(c)))
  }
  return node
}

export function clear(node) {
  node.replaceChildren()
  return node
}

export const $ = (sel, root = document) => root.querySelector(sel)

/** Sets a message element's text and tone ('', 'ok', 'warning', 'error'). */
export function say(node, text, tone = '') {
  node.textContent = text || ''
  node.className = node.className.replace(/\b(ok|warning|error)\b/g, '').trim()
  if (tone) node.classList.add(tone)
}

export function badge(text, tone = text) {
  return el('span', { class: `badge ${tone}` }, text)
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })
export const fmtDateTime = (iso) => (iso ? dateTime.format(new Date(iso)) : '')
export const fmtTime = (iso) => time.format(iso ? new Date(iso) : new Date())
export const fmtDate = (ymd) => (ymd ? date.format(new Date(ymd + (ymd.length === 10 ? 'T00:00:00Z' : ''))) : '')
export const fmtMoney = (cents) => (typeof cents === 'number' ? (cents / 100).toLocaleString(undefined, { style: 'currency', currency: 'USD' }) : '')
