import { readdirSync, readFileSync } from 'node:fs'

/**
 * The fields of /proc/PID/stat (or of one thread, /proc/PID/task/TID/stat) after the command name,
 * from the state on: [0] is the state, [16] the nice value. Null when there is no such process.
 */
export function procStat(pid: number | 'self', tid?: string): string[] | null {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'latin1')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return null
  }
}

/** Threads of process `pid` running at `nice`. */
export function threadsAtNice(pid: number | 'self', nice: number): number {
  return readdirSync(`/proc/${pid}/task`).filter((tid) => Number(procStat(pid, tid)?.[16]) === nice).length
}

/** True once `pid` has exited: no such process, or a zombie nobody has reaped yet. */
export function processGone(pid: number): boolean {
  const fields = procStat(pid)
  return fields === null || fields[0] === 'Z'
}
