/** A queue job as IPP job attributes (RFC 8011 §5.3): the queue's state is the job's state. */
import type { IppAttribute } from './ipp-codec.ts'
import { dateTime, enumAttr, integer, keyword, nameAttr, noValue, text, uri } from './ipp-values.ts'
import { JOB_STATE_ENUM } from './ipp-constants.ts'
import type { PrintJobRow } from '../../store/print-job-store.ts'

/** The IPP user a job belongs to: its IPP user, else who made it over the JSON API. */
export function jobUser(job: PrintJobRow): string {
  return typeof job.options.ippUser === 'string' && job.options.ippUser !== '' ? job.options.ippUser : job.createdBy
}

export function jobUri(printerUri: string, id: number): string {
  return `${printerUri}/jobs/${id}`
}

/** job-state-reasons: the queue's reasons in IPP terms ('none' when there are none). */
function stateReasons(job: PrintJobRow): string[] {
  const r = job.reasons.filter((x) => x !== '').map((x) => (x === 'job-incoming' ? 'job-incoming' : x === 'job-sent-unconfirmed' ? 'job-hold-until-specified' : x))
  if (job.state === 'completed' && !r.includes('job-completed-successfully')) r.push('job-completed-successfully')
  if (job.state === 'canceled' && !r.includes('job-canceled-by-user')) r.push('job-canceled-by-user')
  return r.length > 0 ? r : ['none']
}

const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000))

export function jobAttributes(job: PrintJobRow, printerUri: string, upTime: number): IppAttribute[] {
  const processingAt = job.state === 'pending' || job.state === 'held' ? null : job.updatedAt
  const name = typeof job.options.subject === 'string' && job.options.subject !== '' ? job.options.subject : `${job.document} ${job.id}`
  const message = job.message ?? (job.state === 'pending' ? 'waiting for the printer' : job.state)
  return [
    integer('job-id', job.id),
    uri('job-uri', jobUri(printerUri, job.id)),
    uri('job-printer-uri', printerUri),
    nameAttr('job-name', name.slice(0, 255)),
    nameAttr('job-originating-user-name', jobUser(job).slice(0, 255)),
    enumAttr('job-state', JOB_STATE_ENUM[job.state]),
    keyword('job-state-reasons', ...stateReasons(job)),
    text('job-state-message', message.slice(0, 255)),
    integer('copies', job.copies),
    integer('number-of-documents', job.totalUnits > 0 ? 1 : 0),
    integer('job-impressions', job.totalUnits),
    integer('job-impressions-completed', job.sentUnits),
    integer('time-at-creation', seconds(job.createdAt) ?? 0),
    processingAt === null ? noValue('time-at-processing') : integer('time-at-processing', seconds(processingAt) ?? 0),
    job.completedAt === null ? noValue('time-at-completed') : integer('time-at-completed', seconds(job.completedAt) ?? 0),
    integer('job-printer-up-time', upTime),
    dateTime('date-time-at-creation', job.createdAt),
    dateTime('date-time-at-processing', processingAt),
    dateTime('date-time-at-completed', job.completedAt),
  ]
}
