// @ts-check
// Bits every signed-in page shares: the station links in the navigation.
import { api, itemsOf } from './api.js'
import { el } from './dom.js'

export async function fillStationLinks() {
  const holder = document.getElementById('nav-stations')
  if (!holder) return
  try {
    const stations = itemsOf(await api('/stations'))
    const here = decodeURIComponent(location.pathname.replace(/^\/stations\//, ''))
    for (const s of stations) {
      const current = location.pathname.startsWith('/stations/') && here === s.name
      holder.append(el('a', { href: `/stations/${encodeURIComponent(s.name)}`, 'aria-current': current ? 'page' : null }, `Station: ${s.name}`))
    }
  } catch {
    // Stations not available (yet): the navigation simply has no station links.
  }
}
