/** The exit codes of `studio-print` (README "Admin command"). */
export const EXIT = {
  ok: 0,
  /** Anything not listed below (a server error, a failed backup). */
  failed: 1,
  /** Wrong command, option or argument. */
  usage: 2,
  /** The server or the database can't be reached. */
  unreachable: 3,
  /** No token, or the token may not do this (401, 403). */
  unauthorized: 4,
  /** The printer, job, token … does not exist (404). */
  notFound: 5,
  /** Refused as the state stands (409, 422; a job that ended held or aborted; readiness failed). */
  refused: 6,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** A failure the command reports and exits with. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly code = 'FAILED',
  ) {
    super(message)
  }
}

/** The exit code of an HTTP status the server answered with. */
export function exitOfStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.unauthorized
  if (status === 404) return EXIT.notFound
  if (status === 409 || status === 422) return EXIT.refused
  if (status === 400 || status === 415) return EXIT.usage
  if (status === 503) return EXIT.unreachable
  return EXIT.failed
}
