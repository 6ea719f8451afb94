/**
 * DNS-SD adverts of the IPP printers (`_ipp._tcp`, subtype `_print`, with the IPP Everywhere TXT
 * keys), through avahi's `avahi-publish-service` — one child process per printer, ended at stop.
 * Optional (STUDIO_IPP_DNSSD=1); where avahi is missing or its daemon is not running, a warning
 * is logged and the server carries on without adverts.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import type { Logger } from 'pino'
import { formatsFor } from '../../app/printing/convert-document.ts'
import { printerLanguage, type PrinterLanguage } from '../../domain/printer-language.ts'
import { uuidOf } from './printer-attributes.ts'

export interface DnsSdAdvert {
  stop(): Promise<void>
}

/** The TXT record of one printer (PWG 5100.14 §4.2). */
export function txtRecord(name: string, language: PrinterLanguage, location: string): string[] {
  return [
    'txtvers=1',
    'qtotal=1',
    `rp=ipp/print/${name}`,
    `ty=Studio Print ${language.toUpperCase()}`,
    `note=${location}`,
    `pdl=${formatsFor(language).join(',')}`,
    `UUID=${uuidOf(name).replace('urn:uuid:', '')}`,
    'Color=F',
    'Duplex=F',
    'URF=none',
    'TLS=',
    'air=username,password',
    'mopria-certified=',
    'kind=' + (printerLanguage(language).printout === 'document' ? 'document' : 'labels'),
    'PaperMax=legal-A4',
    'adminurl=',
    'priority=50',
  ].filter((t) => !t.endsWith('='))
}

export async function startDnsSd(opts: { port: number; location: string; printers: () => Promise<Array<{ name: string; language: PrinterLanguage }>>; log: Logger; command?: string }): Promise<DnsSdAdvert> {
  const children: ChildProcess[] = []
  const command = opts.command ?? 'avahi-publish-service'
  for (const p of await opts.printers()) {
    const child = spawn(command, ['--subtype', '_print._sub._ipp._tcp', `${p.name} (Studio Print)`, '_ipp._tcp', String(opts.port), ...txtRecord(p.name, p.language, opts.location)], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-500)))
    child.on('error', (err) => opts.log.warn({ err: err.message, printer: p.name }, 'DNS-SD advert not possible (is avahi-utils installed?); carrying on without it'))
    child.on('exit', (code, signal) => {
      if (signal === null) opts.log.warn({ code, printer: p.name, stderr: stderr.trim() }, 'DNS-SD advert ended (is avahi-daemon running?); carrying on without it')
    })
    children.push(child)
  }
  opts.log.info({ printers: children.length }, 'DNS-SD adverts started')
  return {
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null || c.pid === undefined) return resolve()
              c.once('exit', () => resolve())
              c.kill('SIGTERM')
            }),
        ),
      )
    },
  }
}
