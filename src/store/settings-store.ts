import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'
import { DEFAULT_BARCODING, DEFAULT_STUDIO, type BarcodingPreferences, type StudioInfo } from '../domain/preferences.ts'
import { DEFAULT_TRACK, type StatusTrack } from '../domain/status-track.ts'
import { isUniqueViolation } from './sql-errors.ts'
import type { Clock } from './records-store.ts'
import { preparedQuery } from './prepared-query.ts'

const settingByName = preparedQuery((db, p: { name: string }) => db.selectFrom('settings').select('value').where('name', '=', p.name))

type StoredStudio = Omit<StudioInfo, 'logoPng' | 'timeZoneSet' | 'currency'> & { logoPngBase64: string | null; timeZoneSet?: boolean; currency?: string }

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

  async read<T>(name: string): Promise<T | undefined> {
    const row = (await settingByName(this.db, { name })).rows[0]
    return row ? (JSON.parse(row.value) as T) : undefined
  }

  async write(name: string, value: unknown): Promise<void> {
    const now = this.clock().getTime()
    const text = JSON.stringify(value)
    const updated = await this.db.updateTable('settings').set({ value: text, updated_at: now }).where('name', '=', name).executeTakeFirst()
    if (Number(updated.numUpdatedRows) > 0) return
    try {
      await this.db.insertInto('settings').values({ name, value: text, updated_at: now }).execute()
    } catch (err) {
      // Another server wrote it first: ours is the later write, apply it.
      if (!isUniqueViolation(err)) throw err
      await this.db.updateTable('settings').set({ value: text, updated_at: now }).where('name', '=', name).execute()
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
    const { logoPngBase64, ...rest } = stored
    const timeZoneSet = rest.timeZoneSet ?? typeof rest.timeZone === 'string'
    return {
      ...DEFAULT_STUDIO,
      ...rest,
      timeZone: timeZoneSet && rest.timeZone ? rest.timeZone : serverTimeZone(),
      timeZoneSet,
      logoPng: logoPngBase64 ? Uint8Array.from(Buffer.from(logoPngBase64, 'base64')) : null,
    }
  }

  async setStudio(studio: StudioInfo): Promise<StudioInfo> {
    const { logoPng, ...rest } = studio
    const stored: StoredStudio = { ...rest, logoPngBase64: logoPng ? Buffer.from(logoPng).toString('base64') : null }
    await this.write('studio', stored)
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
