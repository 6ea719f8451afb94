/** The API reference as one HTML page, rendered here from the OpenAPI document (no script, no CDN). */
type Json = Record<string, any>

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
const code = (v: unknown) => `<pre>${esc(JSON.stringify(v, null, 2))}</pre>`

export function renderApiPage(doc: Json): string {
  const byTag = new Map<string, string[]>()
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(methods)) {
      const body = op.requestBody?.content ? Object.entries(op.requestBody.content as Record<string, Json>).map(([type, c]) => `<h4>Body <code>${esc(type)}</code></h4>${c.schema ? code(c.schema) : ''}${c.example !== undefined ? `<h4>Example</h4>${code(c.example)}` : ''}`).join('') : ''
      const params = (op.parameters ?? []).map((p: Json) => `<li><code>${esc(p.name)}</code> (${esc(p.in)}) ${esc(p.description ?? '')}</li>`).join('')
      const responses = Object.entries(op.responses as Record<string, Json>)
        .map(([status, r]) => {
          const examples = r.content?.['application/problem+json']?.examples as Record<string, Json> | undefined
          const schema = r.content?.['application/json']?.schema
          return `<li><b>${esc(status)}</b> ${examples ? Object.keys(examples).map((c) => `<code>${esc(c)}</code>`).join(' ') : esc(r.description)}${schema ? `<details><summary>schema</summary>${code(schema)}</details>` : ''}</li>`
        })
        .join('')
      const html = `<section id="${esc(op.operationId)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3><p>${esc(op.summary)} <i>${esc(op.description ?? '')}</i></p>${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}${body}<h4>Responses</h4><ul>${responses}</ul></section>`
      const tag = op.tags?.[0] ?? 'Other'
      byTag.set(tag, [...(byTag.get(tag) ?? []), html])
    }
  }
  const codes = (doc.components.schemas.ErrorCode.oneOf as Json[]).map((c) => `<tr><td><code>${esc(c.const)}</code></td><td>${esc(c.description)}</td></tr>`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)} API ${esc(doc.info.version)}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}pre{background:#f5f5f5;padding:.5rem;overflow:auto;font-size:12px}section{border-top:1px solid #ddd;padding:.5rem 0}.m{display:inline-block;min-width:4rem;font-family:monospace}.get{color:#06c}.post{color:#080}.put,.patch{color:#a60}.delete{color:#c00}td{padding:.15rem .5rem;vertical-align:top}nav a{margin-right:.75rem}</style></head>
<body><h1>${esc(doc.info.title)} API <small>${esc(doc.info.version)}</small></h1><p>${esc(doc.info.description)} Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${esc(doc.openapi)}).</p>
<nav>${[...byTag.keys()].map((t) => `<a href="#tag-${esc(t.replace(/\W+/g, '-'))}">${esc(t)}</a>`).join('')}<a href="#error-codes">Error codes</a></nav>
${[...byTag].map(([t, ops]) => `<h2 id="tag-${esc(t.replace(/\W+/g, '-'))}">${esc(t)}</h2>${ops.join('')}`).join('')}
<h2 id="error-codes">Error codes</h2><table>${codes}</table></body></html>`
}
