/**
 * Render workers are threads with their own modules: they draw text with the fonts the thread
 * that made the pool was configured with (handed over as the worker starts), never with what the
 * environment says.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { RenderPool } from '../../../src/app/render/render-pool.ts'
import { DEFAULT_STUDIO } from '../../../src/domain/preferences.ts'
import { configureFonts, DEFAULT_FONT_SETTINGS } from '../../../src/templates/font-settings.ts'
import { makeClient } from '../../unit/templates/fixtures.ts'

const CONFIG = { workers: 1, timeoutMs: 30_000, memoryMb: 256, maxQueue: 4, recycleHeapMb: 64, tasksPerWorker: 500 }
const greekLabel = {
  kind: 'labels' as const,
  items: [{ subject: { document: 'client-label' as const, client: makeClient({ firstName: 'Ελένη', lastName: 'Παπαδοπούλου' }) }, barcode: null }],
  format: 'zpl' as const,
  studio: DEFAULT_STUDIO,
}

describe('fonts in render workers', () => {
  let pool: RenderPool | null = null
  afterEach(async () => {
    await pool?.close()
    configureFonts(DEFAULT_FONT_SETTINGS)
  })

  it('when the fonts are on, then a worker draws Greek as a graphic field', async () => {
    pool = new RenderPool(CONFIG)
    const [unit] = await pool.run(greekLabel)
    expect(Buffer.from(unit).toString('latin1')).toContain('^GF')
  })

  it('when the fonts were turned off (STUDIO_PRINT_FONTS=none) before the pool started, then a worker prints resident-font text', async () => {
    configureFonts({ ...DEFAULT_FONT_SETTINGS, off: true })
    pool = new RenderPool(CONFIG)
    const [unit] = await pool.run(greekLabel)
    expect(Buffer.from(unit).toString('latin1')).not.toContain('^GF')
  })
})
