import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { commandFrame, COMMANDS } from '../../drivers/sensors/tf-luna/commands.ts'
import { faultOf, temperatureCOf, tfLunaReading } from '../../drivers/sensors/tf-luna/reading.ts'
import { TfLunaReplyParser } from '../../drivers/sensors/tf-luna/reply-parser.ts'

const hex = (bytes: Uint8Array): string => [...bytes].map(byte => byte.toString(16).padStart(2, '0')).join(' ')

describe('TF-Luna command frames', () => {
  it('match the manual\'s one example with a real checksum: disable checksum comparison [5A 05 08 00 67] (A05 Appendix II.8)', () => {
    assert.equal(hex(commandFrame(0x08, [0x00])), '5a 05 08 00 67')
  })

  // The manual's other sample instructions end in 00: the sensor ignores command checksums by
  // default (A05 §6.2), so its examples leave them out. Everything before the checksum must match;
  // the checksum byte itself is worked out by hand.
  const samples: readonly [string, Uint8Array, string, string][] = [
    ['get version (II.1)', COMMANDS.getVersion(), '5a 04 01', '5f'], // 90+4+1 = 95
    ['soft reset (II.2)', COMMANDS.softReset(), '5a 04 02', '60'], // 90+4+2 = 96
    ['10 Hz (II.3)', COMMANDS.setFrameRate(10), '5a 06 03 0a 00', '6d'], // 90+6+3+10 = 109
    ['250 Hz (II.3)', COMMANDS.setFrameRate(250), '5a 06 03 fa 00', '5d'], // 90+6+3+250 = 349 → 93
    ['enable output (II.7)', COMMANDS.setOutputEnabled(true), '5a 05 07 01', '67'], // 90+5+7+1 = 103
    ['disable output (II.7)', COMMANDS.setOutputEnabled(false), '5a 05 07 00', '66'], // 102
    ['save settings (§6.2)', COMMANDS.saveSettings(), '5a 04 11', '6f'], // 90+4+17 = 111
  ]
  for (const [what, frame, manualBytes, checksum] of samples) {
    it(`encodes ${what} as the manual's [${manualBytes} ..] with checksum 0x${checksum}`, () => {
      assert.equal(hex(frame), `${manualBytes} ${checksum}`)
    })
  }
})

describe('TfLunaReplyParser', () => {
  // A05 Appendix II.1: bytes 3..5 are 112, 50, 9 for version 9.50.112; checksum 90+7+1+112+50+9 = 269 → 0x0D.
  const versionReply = Uint8Array.of(0x5a, 0x07, 0x01, 0x70, 0x32, 0x09, 0x0d)
  // A 9-byte/cm frame for 90 cm: Dist_L is 0x5A, the command head (checksum 89+89+90+0+232+3+64+9 = 576 → 0x40).
  const frame90Cm = Uint8Array.of(0x59, 0x59, 0x5a, 0x00, 0xe8, 0x03, 0x40, 0x09, 0x40)

  function replies(...chunks: Uint8Array[]): [number, number[]][] {
    const found: [number, number[]][] = []
    const parser = new TfLunaReplyParser((id, payload) => found.push([id, [...payload]]))
    for (const chunk of chunks) parser.push(chunk)
    return found
  }

  it('finds a reply between data frames, also when it is cut in pieces', () => {
    const stream = Uint8Array.from([...frame90Cm, ...versionReply, ...frame90Cm])
    for (let cut = 0; cut <= stream.length; cut++) {
      assert.deepEqual(replies(stream.subarray(0, cut), stream.subarray(cut)), [[0x01, [112, 50, 9]]], `cut at ${cut}`)
    }
  })

  it('ignores a reply whose checksum does not match', () => {
    assert.deepEqual(replies(Uint8Array.of(0x5a, 0x07, 0x01, 0x70, 0x32, 0x09, 0x0e)), [])
  })
})

describe('TF-Luna reading conversion', () => {
  it('turns Temp into °C as Temp / 8 − 256 (A05 Appendix I.1)', () => {
    assert.equal(temperatureCOf(2368), 40) // 2368 / 8 = 296
    assert.equal(temperatureCOf(2048), 0)
    assert.equal(temperatureCOf(2393), 43.125) // 299.125 − 256
  })

  it('marks Amp below 100 as signal-low and 0xFFFF or above 32768 as overexposed (A05 §6.4)', () => {
    assert.equal(faultOf(150, 99), 'signal-low')
    assert.equal(faultOf(150, 100), undefined)
    assert.equal(faultOf(150, 32768), undefined)
    assert.equal(faultOf(150, 32769), 'overexposed')
    assert.equal(faultOf(150, 0xffff), 'overexposed')
  })

  it('marks distances outside 0.2–8 m as out-of-range (A05 §3.4, §6.9)', () => {
    assert.equal(faultOf(19, 1000), 'out-of-range')
    assert.equal(faultOf(20, 1000), undefined)
    assert.equal(faultOf(800, 1000), undefined)
    assert.equal(faultOf(801, 1000), 'out-of-range')
  })

  it('builds a frozen reading in metres with the fault reason', () => {
    const reading = tfLunaReading(0, 50, 2400, 12)
    assert.deepEqual(reading, { atMs: 12, quality: 'fault', fault: 'signal-low', distanceM: 0, signalStrength: 50, temperatureC: 44 })
    assert.ok(Object.isFrozen(reading))
    assert.deepEqual(tfLunaReading(123, 1000, 2368, 5), { atMs: 5, quality: 'good', distanceM: 1.23, signalStrength: 1000, temperatureC: 40 })
  })
})
