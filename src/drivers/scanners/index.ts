/**
 * Scanner device layer: serial and USB HID scanners, framing, decoding, the hub, debouncing.
 * Routes use `ScannerHub` (events `scan` / `rejected` / `state`) and `ScanDebouncer`.
 */
export { ScannerHub, type ScannerConfig, type ScannerHubEvents, type ScannerHubOptions, type ScannerInfo, type ScannerStateEvent } from './scanner-hub.ts'
export { parseScannerUri, SCANNER_URI_FORMS, type ScannerUri } from './scanner-uri.ts'
export { ScanDebouncer, DEFAULT_DEBOUNCE_MS, type DebounceDecision } from './scan-debounce.ts'
export { decodeScan, printable, symbologyOf, SYMBOLOGIES, type DecodedScan, type Symbology } from './scan-decoder.ts'
export { ScanFramer, type FramingOptions, type RawFrame } from './scan-framer.ts'
export { SerialScanner, type SerialBinding, type SerialScannerOptions } from './serial-scanner.ts'
export { UsbScanner, USB_SCANNER_MODES, type UsbScannerMode, type UsbScannerOptions } from './usb-scanner.ts'
export { SimScanner, type SimScannerDirectory } from './sim-scanner.ts'
export { discoverUsbScanners, listUsbDevices, systemUsbSource, type UsbDeviceSource, type UsbScannerDevice } from './usb-device.ts'
export { BootKeyboardDecoder } from './boot-keyboard-decoder.ts'
export { HidPosDecoder, DEFAULT_HID_POS_LAYOUT, type HidPosReportLayout } from './hid-pos-decoder.ts'
export { KEYBOARD_LAYOUTS, LAYOUTS, type KeyboardLayoutName } from './keyboard-layouts.ts'
export {
  DEFAULT_BACKOFF,
  systemClock,
  systemTimers,
  type Backoff,
  type Clock,
  type RejectedScanEvent,
  type ScanEvent,
  type Scanner,
  type ScannerState,
  type Timers,
} from './scanner.ts'
