import { describe, expect, it } from 'vitest'
import { txtRecord } from '../../../src/server/ipp/dns-sd.ts'

// The advert itself (avahi-publish-service started and stopped) is in test/integration/ipp/dns-sd-advert.test.ts.
describe('DNS-SD adverts', () => {
  it('when a printer is advertised, then the TXT record carries the IPP Everywhere keys', () => {
    const txt = txtRecord('label-zpl', 'zpl', 'front desk')
    expect(txt).toEqual(expect.arrayContaining(['txtvers=1', 'rp=ipp/print/label-zpl', 'kind=labels', 'Color=F', 'air=username,password']))
    expect(txt.find((t) => t.startsWith('pdl='))).toBe('pdl=application/pdf,image/jpeg,image/pwg-raster,application/vnd.zebra-zpl')
    expect(txt.find((t) => t.startsWith('UUID='))).toMatch(/^UUID=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
