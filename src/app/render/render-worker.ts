/**
 * Entry of a render worker thread: runs one task per message (render-tasks.ts) and answers with
 * the value, or with the error as plain data (an AppError keeps its code, kind and details).
 */
import { getHeapStatistics } from 'node:v8'
import { parentPort, workerData } from 'node:worker_threads'
import { AppError, type ErrorCode, type ErrorKind } from '../../domain/errors.ts'
import { runTask, type RenderTask } from './render-tasks.ts'
import { configureFonts, type FontSettings } from '../../templates/font-settings.ts'

export interface TaskMessage {
  id: number
  task: RenderTask
}

export type ReplyMessage =
  | { id: number; ok: true; value: unknown; notes: string[]; heapBytes: number }
  | { id: number; ok: false; error: { name: string; message: string; code?: ErrorCode; kind?: ErrorKind; details?: Record<string, unknown>; stack?: string } }

/** What the pool hands a worker as it starts it: the fonts of the thread that made the pool. */
export interface RenderWorkerData {
  fonts: FontSettings
}

const port = parentPort
if (!port) throw new Error('render-worker.ts runs as a worker thread')
configureFonts((workerData as RenderWorkerData).fonts)

port.on('message', (msg: TaskMessage) => {
  runTask(msg.task).then(
    (outcome) => port.postMessage({ id: msg.id, ok: true, value: outcome.value, notes: outcome.notes, heapBytes: getHeapStatistics().used_heap_size } satisfies ReplyMessage),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err))
      const app = err instanceof AppError ? { code: err.code, kind: err.kind, details: err.details } : {}
      port.postMessage({ id: msg.id, ok: false, error: { name: e.name, message: e.message, stack: e.stack, ...app } } satisfies ReplyMessage)
    },
  )
})
port.postMessage({ ready: true })
