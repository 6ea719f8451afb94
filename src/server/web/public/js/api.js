// @ts-check
// Calls the Studio Print API from the pages: same-origin, the session cookie, and the header the
// server requires of cookie-signed requests that change something (CSRF defence).

export class ApiError extends Error {
  /** @param {number} status @param {any} problem the problem+json body (or whatever the server sent) */
  constructor(status, problem) {
    super(problem && typeof problem === 'object' && problem.detail ? problem.detail : `HTTP ${status}`)
    this.status = status
    this.code = problem && typeof problem === 'object' ? problem.code : undefined
    this.problem = problem
  }
}

/**
 * fetch('/api' + path) → parsed JSON (null for 204); throws ApiError with the problem's detail and code.
 * `body` goes as JSON; `raw` (a Blob or bytes) goes as it is, with its `contentType`.
 * @param {string} path
 * @param {{ method?: string, body?: unknown, raw?: Blob, contentType?: string, headers?: Record<string, string>, signal?: AbortSignal }} [options]
 * @returns {Promise<any>} the parsed JSON, as the API documents it
 */
export async function api(path, { method = 'GET', body, raw, contentType, headers = {}, signal } = {}) {
  /** @type {Record<string, string>} */
  const h = { 'x-requested-with': 'studio-print', accept: 'application/json', ...headers }
  if (body !== undefined) h['content-type'] = 'application/json'
  if (raw !== undefined) h['content-type'] = contentType || (raw instanceof Blob ? raw.type : '') || 'application/octet-stream'
  let res
  try {
    const sent = raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body)
    res = await fetch('/api' + path, { method, headers: h, body: sent, credentials: 'same-origin', signal })
  } catch (err) {
    if (err && /** @type {{ name?: unknown }} */ (err).name === 'AbortError') throw err
    throw new ApiError(0, { detail: 'The server can’t be reached. Check the network and try again.', code: 'NETWORK' })
  }
  if (res.status === 401) {
    location.assign('/login?m=revoked&next=' + encodeURIComponent(location.pathname + location.search))
    throw new ApiError(401, { detail: 'Signed out.', code: 'UNAUTHORIZED' })
  }
  if (res.status === 204) return null
  const type = res.headers.get('content-type') || ''
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text()
  if (!res.ok) throw new ApiError(res.status, data)
  return data
}

/** A short human message for an error (its problem detail, or why it failed). @param {any} err @returns {string} */
export function messageOf(err) {
  if (err instanceof ApiError) {
    if (err.status === 404 && err.code === 'ROUTE_NOT_FOUND') return 'This part of the server is not available yet.'
    return err.message
  }
  return err && err.message ? err.message : String(err)
}

/**
 * The problem's own list of what is wrong, as lines of text: `details.problems` (strings, or
 * {path, message} from request validation) and the orders a track change would strand.
 * @param {any} err
 * @returns {string[]}
 */
export function problemLines(err) {
  const details = err && err.problem && typeof err.problem === 'object' ? err.problem.details : null
  if (!details || typeof details !== 'object') return []
  const lines = []
  for (const p of Array.isArray(details.problems) ? details.problems : []) {
    if (typeof p === 'string') lines.push(p)
    else if (p && typeof p === 'object') lines.push(p.path && p.path !== '(root)' ? `${p.path}: ${p.message}` : String(p.message ?? JSON.stringify(p)))
  }
  return lines
}

/** Is this endpoint missing on the server (the feature not installed)? @param {unknown} err */
export function isMissingRoute(err) {
  return err instanceof ApiError && err.status === 404 && err.code === 'ROUTE_NOT_FOUND'
}

/** A fresh idempotency key, so a double click or a retried request never prints twice. */
export function newKey() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID()
  return Date.now().toString(36) + Math.random().toString(36).slice(2)
}

/** Lists come as {items} (paginated) or as a bare array. @param {any} data @returns {any[]} */
export function itemsOf(data) {
  if (Array.isArray(data)) return data
  if (data && Array.isArray(data.items)) return data.items
  return []
}
