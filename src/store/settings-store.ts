import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema.ts'
import { DEFAULT_BARCODING, DEFAULT_STUDIO, type BarcodingPreferences, type StudioInfo } from '../domain/preferences.ts'
import { DEFAULT_TRACK, type StatusTrack } from '../domain/status-track.ts'
import { isDeadlock, isUniqueViolation } from './sql-errors.ts'
import type { Clock } from './records-store.ts'
import { preparedQuery } from './prepared-query.ts'

const settingByName = preparedQuery((db, p: { name: string }) => db.selectFrom('settings').select('value').where('name', '=', p.name))

/**
 * The 'studio' row: the header, and the logo's hash; the logo's bytes (base64) are the
 * 'studio-logo' row, written in the same transaction. Versions before it kept the bytes in this
 * row (`logoPngBase64`), which is still read.
 */
type StoredStudio = Omit<StudioInfo, 'logoPng' | 'logoSha256' | 'timeZoneSet' | 'currency'> & { logoPngBase64?: string | null; logoSha256?: string | null; timeZoneSet?: boolean; currency?: string }
const STUDIO_LOGO_ROW = 'studio-logo'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

let zone: { tz: string | undefined; value: string } | null = null

/** The zone this server runs in (TZ, else the system's): a studio's until it chooses one. Looked up once per TZ value (making an Intl.DateTimeFormat costs ~1 ms, and every render asks). */
export function serverTimeZone(): string {
  if (zone?.tz !== process.env.TZ || !zone) zone = { tz: process.env.TZ, value: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' }
  return zone.value
}

/** Studio-wide settings (barcoding preferences, studio header) and the status tracks. */
export class SettingsStore {
  /**
   * Tracks are read on every advance and scan but change rarely: this server keeps them for
   * TRACKS_TTL_MS, and drops them at once when it writes them. Another server sharing the
   * database sees a change within that time.
   */
  static readonly TRACKS_TTL_MS = 2_000
  private tracksCache: { value: StatusTrack[]; until: number } | null = null

  constructor(private readonly db: Kysely<Database>, private readonly clock: Clock = () => new Date()) {}

  /**
   * The last logo read, by its hash: every print job and document reads the studio header, and a
   * 512 px logo is a few hundred KB of base64 to read, parse and decode each time (measured: a
   * 400 KB logo cut queue intake from ~700 to ~200 jobs/s). The header row holds the hash, so a
   * logo changed by any server is read anew.
   */
  private logoCache: { sha256: string; png: Uint8Array } | null = null

  async read<T>(name: string): Promise<T | undefined> {
    const row = (await settingByName(this.db, { name })).rows[0]
    return row ? (JSON.parse(row.value) as T) : undefined
  }

  async write(name: string, value: unknown): Promise<void> {
    await this.writeWith(this.db, name, value)
  }

  /** Writes one row on `db` (the database, or a transaction that writes several). */
  private async writeWith(db: Kysely<Database> | Transaction<Database>, name: string, value: unknown): Promise<void> {
    const now = this.clock().getTime()
    const text = JSON.stringify(value)
    const updated = await db.updateTable('settings').set({ value: text, updated_at: now }).where('name', '=', name).executeTakeFirst()
    if (Number(updated.numUpdatedRows) > 0) return
    try {
      await db.insertInto('settings').values({ name, value: text, updated_at: now }).execute()
    } catch (err) {
      // Another server wrote it first: ours is the later write, apply it.
      if (!isUniqueViolation(err)) throw err
      await db.updateTable('settings').set({ value: text, updated_at: now }).where('name', '=', name).execute()
    }
  }

  async barcoding(): Promise<BarcodingPreferences> {
    return { ...DEFAULT_BARCODING, ...(await this.read<Partial<BarcodingPreferences>>('barcoding')) }
  }

  async setBarcoding(prefs: BarcodingPreferences): Promise<BarcodingPreferences> {
    await this.write('barcoding', prefs)
    return this.barcoding()
  }

  /**
   * The studio header and document settings. A studio that has not chosen its time zone prints
   * in the server's (`timeZoneSet: false`, which settings show as a question). A header saved
   * before the flag existed counts as chosen.
   */
  async studio(): Promise<StudioInfo> {
    const stored = await this.read<StoredStudio>('studio')
    if (!stored) return { ...DEFAULT_STUDIO, timeZone: serverTimeZone() }
    const { logoPngBase64, logoSha256, ...rest } = stored
    const timeZoneSet = rest.timeZoneSet ?? typeof rest.timeZone === 'string'
    // A header with the old key was written by an earlier version (during an upgrade, say): its
    // logo — or its null, a logo that server deleted — is the word, whatever hash it carried along.
    const logo = 'logoPngBase64' in stored ? (logoPngBase64 ? this.cacheLogo(Uint8Array.from(Buffer.from(logoPngBase64, 'base64'))) : null) : logoSha256 ? await this.logo(logoSha256) : null
    return {
      ...DEFAULT_STUDIO,
      ...rest,
      timeZone: timeZoneSet && rest.timeZone ? rest.timeZone : serverTimeZone(),
      timeZoneSet,
      logoPng: logo?.png ?? null,
      logoSha256: logo?.sha256 ?? null,
    }
  }

  /** The logo whose hash the header row names: from the cache, else its row (when the row holds another logo — written since the header was read — that one). */
  private async logo(sha: string): Promise<{ sha256: string; png: Uint8Array } | null> {
    if (this.logoCache?.sha256 === sha) return this.logoCache
    const base64 = await this.read<string>(STUDIO_LOGO_ROW)
    return typeof base64 === 'string' && base64 !== '' ? this.cacheLogo(Uint8Array.from(Buffer.from(base64, 'base64'))) : null
  }

  /**
   * Keeps the logo in shared memory: every render task carries the studio header to a worker
   * thread, and a SharedArrayBuffer crosses without being copied (a few hundred KB a task else).
   */
  private cacheLogo(bytes: Uint8Array): { sha256: string; png: Uint8Array } {
    const sha = sha256(bytes)
    if (this.logoCache?.sha256 === sha) return this.logoCache
    const png = new Uint8Array(new SharedArrayBuffer(bytes.byteLength))
    png.set(bytes)
    this.logoCache = { sha256: sha, png }
    return this.logoCache
  }

  /** Saves the header and its logo (in one transaction: a reader never sees a hash without its logo). `logoSha256` is computed here. */
  async setStudio(studio: StudioInfo): Promise<StudioInfo> {
    const { logoPng, logoSha256: _ignored, ...rest } = studio
    const stored: StoredStudio = { ...rest, logoSha256: logoPng && logoPng.length > 0 ? sha256(logoPng) : null }
    // MariaDB: two first saves at once (neither row there yet) can deadlock on the rows' gap
    // locks; the loser's transaction was rolled back whole, and runs again.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.transaction().execute(async (trx) => {
          await this.writeWith(trx, STUDIO_LOGO_ROW, logoPng && logoPng.length > 0 ? Buffer.from(logoPng).toString('base64') : '')
          await this.writeWith(trx, 'studio', stored)
        })
        break
      } catch (err) {
        if (attempt >= 4 || !isDeadlock(err)) throw err
      }
    }
    return this.studio()
  }

  async tracks(): Promise<StatusTrack[]> {
    const now = Date.now()
    if (this.tracksCache && this.tracksCache.until > now) return this.tracksCache.value
    const value = await this.readTracks()
    this.tracksCache = { value, until: now + SettingsStore.TRACKS_TTL_MS }
    return value
  }

  private async readTracks(): Promise<StatusTrack[]> {
    const rows = await this.db.selectFrom('status_tracks').selectAll().orderBy('order_type').execute()
    if (rows.length === 0) return [DEFAULT_TRACK]
    return rows.map((r) => ({ orderType: r.order_type, statuses: JSON.parse(r.statuses) as StatusTrack['statuses'] }))
  }

  /** Replaces all tracks at once (they are edited as one page). */
  async setTracks(tracks: StatusTrack[]): Promise<StatusTrack[]> {
    const now = this.clock().getTime()
    this.tracksCache = null
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('status_tracks').execute()
      await trx
        .insertInto('status_tracks')
        .values(tracks.map((t) => ({ order_type: t.orderType, statuses: JSON.stringify(t.statuses), updated_at: now })))
        .execute()
    })
    this.tracksCache = null
    return this.tracks()
  }

  /** Writes the default track once, so that a studio sees (and edits) what it runs on. */
  async seedDefaults(): Promise<void> {
    const any = await this.db.selectFrom('status_tracks').select('order_type').executeTakeFirst()
    if (any) return
    try {
      await this.db.insertInto('status_tracks').values({ order_type: DEFAULT_TRACK.orderType, statuses: JSON.stringify(DEFAULT_TRACK.statuses), updated_at: this.clock().getTime() }).execute()
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
    }
  }
}
