/** The ESC/POS tokenizer lives in hw-sim (the receipt renderer uses it too). */
export { readEscPos, type EscPosToken } from '../../../hw-sim/printers/escpos-tokens.ts'
