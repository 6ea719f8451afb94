/**
 * Render threads yield the CPU to the thread that answers requests: on Linux each render worker
 * thread runs at this nice value (the thread only, not the process). Set by the worker's boot
 * (render-pool.ts) before it loads any module.
 */
export const RENDER_NICE = 10
