import { Router } from 'express'
import { z } from 'zod'
import { allow } from '../auth.ts'
import { bodyOf } from './params.ts'
import { parseInput } from '../../domain/inputs.ts'
import { NotFoundError } from '../../domain/errors.ts'

/** The faults the route may change (hw-sim's printers have these and more). */
interface SimFaults {
  paperOut: boolean
  headOpen: boolean
  ribbonOut: boolean
  paused: boolean
  refuseConnections: boolean
}

/** What the route needs of a simulated printer (the demo wiring hands it hw-sim's printers). */
export interface SimulatedPrinter {
  readonly faults: object
  readonly printed: { length: number }
  readonly pending: { length: number }
  setFaults(change: Partial<SimFaults>): Promise<void>
  clearFaults(): Promise<void>
}

/** What `npm run sim -- printer NAME FAULT` may do to a demo printer, as fault changes. */
export const SIM_FAULTS: Readonly<Record<string, Partial<SimFaults> | 'clear'>> = {
  'paper-out': { paperOut: true },
  'paper-in': { paperOut: false },
  'head-open': { headOpen: true },
  'head-closed': { headOpen: false },
  'ribbon-out': { ribbonOut: true },
  'ribbon-in': { ribbonOut: false },
  pause: { paused: true },
  resume: { paused: false },
  offline: { refuseConnections: true },
  online: { refuseConnections: false },
  clear: 'clear',
}

export const body = z.strictObject({ fault: z.enum(Object.keys(SIM_FAULTS) as [string, ...string[]]) })

/**
 * Demo only (`npm start`): takes a simulated printer out of paper and back, opens its head,
 * takes it offline … so the queue's holds and resumes can be watched by hand.
 */
export function printerSimRoutes(sims: () => ReadonlyMap<string, SimulatedPrinter>): Router {
  const r = Router()
  r.post('/printers/:name/sim', allow(), async (req, res) => {
    const name = String(req.params.name)
    const sim = sims().get(name)
    if (!sim) throw new NotFoundError(`A simulated printer "${name.slice(0, 80)}" (only the demo printers of npm start are simulated); it`, { printer: name }, 'PRINTER_NOT_SIMULATED')
    const { fault } = parseInput(body, bodyOf(req))
    const change = SIM_FAULTS[fault]
    if (change === 'clear') await sim.clearFaults()
    else await sim.setFaults(change)
    res.json({ printer: name, fault, faults: sim.faults, printed: sim.printed.length, pending: sim.pending.length })
  })
  return r
}
