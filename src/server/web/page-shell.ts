import { readFileSync } from 'node:fs'
import type { Principal } from '../../store/token-store.ts'

/** The pages the shell can wrap: each has a fragment in ./pages/NAME.html and a module in ./public/js/NAME.js. */
export const PAGES = {
  'front-desk': { title: 'Front desk', nav: '/' },
  station: { title: 'Station', nav: null },
  'print-jobs': { title: 'Print queue', nav: '/print-jobs' },
  production: { title: 'Production', nav: '/production' },
  settings: { title: 'Settings', nav: '/settings' },
  templates: { title: 'Label templates', nav: '/settings' },
} as const
export type PageName = keyof typeof PAGES

const NAV: ReadonlyArray<{ href: string; label: string }> = [
  { href: '/', label: 'Front desk' },
  { href: '/production', label: 'Production' },
  { href: '/print-jobs', label: 'Print queue' },
  { href: '/settings', label: 'Settings' },
]

const fragments = new Map<string, string>()
let keepFragments = false

/** NODE_ENV=production (the web section of the configuration): page fragments are read once and kept; otherwise on every request. */
export function cachePageFragments(on: boolean): void {
  keepFragments = on
  if (!on) fragments.clear()
}

function fragment(name: string): string {
  let html = fragments.get(name)
  if (html === undefined) {
    html = readFileSync(new URL(`./pages/${name}.html`, import.meta.url), 'utf8')
    if (keepFragments) fragments.set(name, html)
  }
  return html
}

/** Escapes text for HTML text and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function head(title: string, script: string | null): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Studio Print</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
${script ? `<script type="module" src="/assets/js/${script}.js"></script>` : ''}
</head>`
}

/** The label the first start gave the admin token it made, before it was called "Administrator". */
export const FIRST_START_LABEL_BEFORE = 'first start'

const ROLE_NAMES: Readonly<Record<string, string>> = { admin: 'administrator', client: 'front desk', station: 'station' }

/** Who the header names: the token's label; a token without one by its number. */
export function signedInAs(principal: Pick<Principal, 'name' | 'tokenId'>): string {
  if (principal.name === FIRST_START_LABEL_BEFORE) return 'Administrator'
  return /^token:\d+$/.test(principal.name) ? `token ${principal.tokenId} (no label)` : principal.name
}

/** A signed-in page: header with navigation and sign-out, the page's fragment in <main>. */
export function renderPage(name: PageName, principal: Principal, data: Record<string, string> = {}): string {
  const page = PAGES[name]
  const title = name === 'station' && data.station ? `Station ${data.station}` : page.title
  const attrs = Object.entries({ role: principal.role, ...data })
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('')
  const nav =
    principal.role === 'station'
      ? `<a href="/stations/${encodeURIComponent(principal.station ?? '')}" aria-current="page">Station ${escapeHtml(principal.station ?? '')}</a>`
      : NAV.map((n) => `<a href="${n.href}"${n.href === page.nav ? ' aria-current="page"' : ''}>${escapeHtml(n.label)}</a>`).join('') +
        `<span class="station-links" id="nav-stations"></span>`
  return `${head(title, name)}
<body${attrs}>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <span class="brand">Studio Print</span>
  <nav aria-label="Main">${nav}</nav>
  <div class="who">
    <span>Signed in as <strong>${escapeHtml(signedInAs(principal))}</strong> <span class="role">(${escapeHtml(ROLE_NAMES[principal.role] ?? principal.role)})</span></span>
    <form method="post" action="/logout"><button type="submit" class="link">Sign out</button></form>
  </div>
</header>
<main id="main" tabindex="-1">
${fragment(name)}
</main>
</body>
</html>`
}

export type LoginMessage = 'invalid' | 'revoked' | 'signed-out' | 'missing' | 'throttled' | null

const LOGIN_MESSAGES: Record<Exclude<LoginMessage, null>, { text: string; error: boolean }> = {
  invalid: { text: 'That token is unknown or has been revoked. Check it and try again.', error: true },
  revoked: { text: 'Your session ended (it expired, was signed out, or its token was revoked). Sign in again.', error: true },
  missing: { text: 'Enter your token to sign in.', error: true },
  throttled: { text: 'Too many failed sign-ins from this computer. Wait a little, then try again.', error: true },
  'signed-out': { text: 'You are signed out.', error: false },
}

/** The sign-in form; works without JavaScript. */
export function renderLogin(next: string, message: LoginMessage): string {
  const m = message ? LOGIN_MESSAGES[message] : null
  return `${head('Sign in', null)}
<body class="login-page">
<main id="main" class="login">
  <h1>Studio Print</h1>
  <form method="post" action="/login" class="card">
    <h2>Sign in</h2>
    ${m ? `<p class="${m.error ? 'msg error' : 'msg'}" role="${m.error ? 'alert' : 'status'}" id="login-message">${escapeHtml(m.text)}</p>` : ''}
    <input type="hidden" name="next" value="${escapeHtml(next)}">
    <label for="token">API token</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required autofocus spellcheck="false"${m?.error ? ' aria-describedby="login-message" aria-invalid="true"' : ''}>
    <p class="hint">Use the token your administrator gave you (it starts with <code>sp_</code>). It stays on this device until you sign out.</p>
    <button type="submit" class="primary">Sign in</button>
  </form>
</main>
</body>
</html>`
}
