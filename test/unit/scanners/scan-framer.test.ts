import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ScanFramer, type FramingOptions, type RawFrame } from '../../../src/drivers/scanners/scan-framer.ts'
import { splitBytes } from '../../../hw-sim/scanners/scan-bytes.ts'
import { ManualClock } from '../../../hw-sim/scanners/manual-clock.ts'

async function frame(chunks: Array<string | Uint8Array>, options: FramingOptions = {}): Promise<RawFrame[]> {
  const framer = new ScanFramer(options)
  const out: RawFrame[] = []
  framer.on('data', (f: RawFrame) => out.push(f))
  const done = new Promise((resolve) => framer.on('end', resolve))
  for (const c of chunks) framer.write(typeof c === 'string' ? Buffer.from(c, 'latin1') : c)
  framer.end()
  await done
  return out
}

const text = (frames: RawFrame[]) => frames.map((f) => f.bytes.toString('latin1'))
const tick = () => new Promise((r) => setImmediate(r))

describe('ScanFramer', () => {
  for (const [name, terminator] of [
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['Tab', '\t'],
  ] as const) {
    it(`when scans end with ${name}, then each scan is one frame and nothing leaks into the next`, async () => {
      const frames = await frame([`PO-000001${terminator}C-000002${terminator}`])
      expect(text(frames)).toEqual(['PO-000001', 'C-000002'])
      expect(frames.every((f) => f.endedBy === 'terminator' && !f.truncated)).toBe(true)
    })

    it(`when ${name}-terminated scans arrive one byte at a time, then the frames are the same`, async () => {
      const bytes = Buffer.from(`PO-000001${terminator}C-000002${terminator}`)
      expect(text(await frame(splitBytes(bytes, [1])))).toEqual(['PO-000001', 'C-000002'])
    })
  }

  it('when a CRLF is split between two chunks, then the LF does not start an empty or bogus frame', async () => {
    expect(text(await frame(['S-000001\r', '\nS-000002\r', '\n']))).toEqual(['S-000001', 'S-000002'])
  })

  it('when scans are cut at any points, then the frames never change (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.stringMatching(/^[A-Z0-9-]{1,20}$/), fc.constantFrom('\r', '\n', '\r\n', '\t', '#')), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        async (scans, sizes) => {
          const bytes = Buffer.from(scans.map(([d, t]) => d + t).join(''))
          const frames = await frame(splitBytes(bytes, sizes), { suffix: '#' })
          expect(text(frames)).toEqual(scans.map(([d]) => d))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('when a suffix is configured, then it ends the frame and is removed, even split mid-suffix', async () => {
    const frames = await frame(['INV-00', '0042<E', 'N', 'D>PO-1<END>'], { suffix: '<END>' })
    expect(text(frames)).toEqual(['INV-000042', 'PO-1'])
    expect(frames[0].endedBy).toBe('suffix')
  })

  it('when the suffix is followed by CR, then only one frame comes out', async () => {
    expect(text(await frame(['C-1\u0003\r'], { suffix: '\u0003' }))).toEqual(['C-1'])
  })

  it('when the suffix itself ends in CR (ETX CR), then the ETX does not stay in the data', async () => {
    expect(text(await frame(['C-1\u0003', '\rC-2\u0003\r'], { suffix: '\u0003\r' }))).toEqual(['C-1', 'C-2'])
  })

  it('when a prefix is configured, then it is stripped from each frame, split or not', async () => {
    expect(text(await frame(['\u0002', 'ST', 'X-C-1\r\u0002STX-C-2\r'], { prefix: '\u0002STX-' }))).toEqual(['C-1', 'C-2'])
  })

  it('when a frame lacks the configured prefix, then it is passed on whole', async () => {
    expect(text(await frame(['C-1\r'], { prefix: '>' }))).toEqual(['C-1'])
  })

  it('when a scanner sends no terminator, then the inter-byte timeout ends the frame', async () => {
    const clock = new ManualClock()
    const framer = new ScanFramer({ interByteTimeoutMs: 50, timers: clock })
    const out: RawFrame[] = []
    framer.on('data', (f: RawFrame) => out.push(f))
    framer.write(Buffer.from('PO-00'))
    await tick()
    clock.advance(30)
    framer.write(Buffer.from('0007'))
    await tick()
    clock.advance(49)
    await tick()
    expect(out).toEqual([]) // each byte re-arms the timer
    clock.advance(1)
    await tick()
    expect(text(out)).toEqual(['PO-000007'])
    expect(out[0].endedBy).toBe('timeout')
    framer.write(Buffer.from('C-9'))
    await tick()
    clock.advance(50)
    await tick()
    expect(text(out)).toEqual(['PO-000007', 'C-9'])
    expect(clock.timerCount).toBe(0)
  })

  it('when a terminator comes before the timeout, then the timer is cancelled and no empty frame follows', async () => {
    const clock = new ManualClock()
    const framer = new ScanFramer({ interByteTimeoutMs: 50, timers: clock })
    const out: RawFrame[] = []
    framer.on('data', (f: RawFrame) => out.push(f))
    framer.write(Buffer.from('C-1\r'))
    await tick()
    expect(clock.timerCount).toBe(0)
    clock.advance(100)
    await tick()
    expect(text(out)).toEqual(['C-1'])
  })

  it('when a frame is longer than maxFrameBytes, then it comes out once, truncated, with its true length', async () => {
    const long = 'A'.repeat(300)
    const frames = await frame([long.slice(0, 100), long.slice(100) + '\rC-1\r'], { maxFrameBytes: 64 })
    expect(frames).toHaveLength(2)
    expect(frames[0]).toMatchObject({ length: 300, truncated: true })
    expect(frames[0].bytes).toHaveLength(64)
    expect(text(frames)[1]).toBe('C-1')
  })

  it('when the stream ends mid-frame, then the partial frame comes out marked "end"', async () => {
    const frames = await frame(['C-1\rPO-00'])
    expect(frames.map((f) => [f.bytes.toString(), f.endedBy])).toEqual([
      ['C-1', 'terminator'],
      ['PO-00', 'end'],
    ])
  })

  it('when GS (0x1D) is inside the data, then the framer keeps it', async () => {
    expect(text(await frame(['01095011010209171719050810ABCD1234\u001d2110\r']))).toEqual(['01095011010209171719050810ABCD1234\u001d2110'])
  })
})
