/** Database errors that mean the same thing on SQLite and MariaDB. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown } | null
  return !!e && (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'ER_DUP_ENTRY' || e.errno === 1062)
}

/** MariaDB chose this transaction as a deadlock's victim: nothing of it stayed, it may run again. */
export function isDeadlock(err: unknown): boolean {
  const e = err as { errno?: number; code?: string } | null
  return !!e && (e.errno === 1213 || e.code === 'ER_LOCK_DEADLOCK')
}
