export { PrinterSim, NO_FAULTS, type PrinterFaults, type ReceivedUnit, type ListenOptions } from './printer-sim.ts'
export { ZplPrinterSim, type ZplPrinterSimOptions } from './zpl-printer-sim.ts'
export { EplPrinterSim } from './epl-printer-sim.ts'
export { EscPosPrinterSim } from './escpos-printer-sim.ts'
