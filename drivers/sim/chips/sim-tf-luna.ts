import type { Clock } from '../../hal/clock.ts'
import type { SerialLine } from '../../hal/serial.ts'

/*
 * A Benewake TF-Luna on a serial line, from the product manual (SJ-PM-TF-Luna A05) alone. Its frame
 * encoding is written here from the manual's tables, not shared with the driver's parser, so the
 * two cannot agree for the wrong reason.
 */

/** Appendix I.1: 0x59 0x59, Dist, Amp, Temp (uint16 little-endian each), checksum: 9 bytes. */
const FRAME_BYTES = 9
/** §6.8: below amp_threshold (default 100) the part reports Dist as dummy_dist (default 0). */
const AMP_THRESHOLD = 100
const DUMMY_DIST_CM = 0
/** Appendix II: replies start 0x5A; II.1 shows version bytes 112, 50, 9 meaning 9.50.112. */
const REPLY_HEAD = 0x5a
const DEFAULT_VERSION = [112, 50, 9] as const
/** When frame output is off or in trigger mode, how often run() looks again, ms. */
const IDLE_POLL_MS = 10

interface Configuration {
  frameRateHz: number
  outputEnabled: boolean
  checksumComparison: boolean
}

/** Appendix II defaults: 100 Hz (II.3), output on (II.7), command checksums not compared (II.8). */
const FACTORY: Readonly<Configuration> = { frameRateHz: 100, outputEnabled: true, checksumComparison: false }

/**
 * Emulates a TF-Luna at the far end of `line`: streams 9-byte/cm frames while run() runs, and
 * answers command frames (0x5A …) as Appendix II says: version (II.1), soft reset (II.2: unsaved
 * settings are lost), frame rate (II.3), trigger (II.4: one frame), output on/off (II.7), checksum
 * comparison (II.8), restore defaults (II.10) and save (II.11). Other commands go unanswered.
 * Controls for tests set what it "sees".
 */
export class SimTfLuna {
  readonly #line: SerialLine
  readonly #clock: Clock
  readonly #received: number[] = []
  readonly #commandLog: number[] = []
  #current: Configuration = { ...FACTORY }
  #saved: Configuration = { ...FACTORY }
  #distanceCm = 150
  #amp = 1200
  #temperatureRaw = (35 + 256) * 8
  #corruptFrames = 0

  constructor(line: SerialLine, clock: Clock) {
    this.#line = line
    this.#clock = clock
    line.onData(chunk => this.#receive(chunk))
  }

  /** IDs of the commands received, in order. */
  get commandLog(): readonly number[] {
    return this.#commandLog
  }

  get frameRateHz(): number {
    return this.#current.frameRateHz
  }

  get outputEnabled(): boolean {
    return this.#current.outputEnabled
  }

  setDistance(distanceM: number): void {
    this.#distanceCm = uint16(Math.round(distanceM * 100), 'distance (cm)')
  }

  setSignal(amp: number): void {
    this.#amp = uint16(amp, 'signal strength')
  }

  setTemperature(temperatureC: number): void {
    this.#temperatureRaw = uint16(Math.round((temperatureC + 256) * 8), 'temperature (raw)')
  }

  /** The next `count` frames go out with a wrong checksum. */
  corruptNext(count: number): void {
    this.#corruptFrames += count
  }

  /** Sends frames at the configured rate, timed by the clock, until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const { frameRateHz, outputEnabled } = this.#current
      const streaming = outputEnabled && frameRateHz > 0
      if (streaming) await this.#send(this.#frame())
      try {
        await this.#clock.sleep(streaming ? 1000 / frameRateHz : IDLE_POLL_MS, signal)
      } catch {
        return
      }
    }
  }

  #frame(): Uint8Array {
    const frame = new Uint8Array(FRAME_BYTES)
    const fields = new DataView(frame.buffer)
    fields.setUint8(0, 0x59)
    fields.setUint8(1, 0x59)
    fields.setUint16(2, this.#amp < AMP_THRESHOLD ? DUMMY_DIST_CM : this.#distanceCm, true)
    fields.setUint16(4, this.#amp, true)
    fields.setUint16(6, this.#temperatureRaw, true)
    let sum = 0
    for (const byte of frame.subarray(0, 8)) sum = (sum + byte) % 256
    if (this.#corruptFrames > 0) {
      this.#corruptFrames--
      sum = (sum + 0x55) % 256
    }
    fields.setUint8(8, sum)
    return frame
  }

  /** Gathers command frames: 0x5A, Len (whole frame), ID, payload, checksum (§6.2). */
  #receive(chunk: Uint8Array): void {
    this.#received.push(...chunk)
    for (;;) {
      const start = this.#received.indexOf(REPLY_HEAD)
      if (start < 0) return void this.#received.splice(0)
      this.#received.splice(0, start)
      const length = this.#received[1]
      if (length === undefined || this.#received.length < length) return
      if (length < 4) {
        this.#received.shift()
        continue
      }
      const command = this.#received.splice(0, length)
      const checksumOk = command.slice(0, -1).reduce((sum, byte) => sum + byte, 0) % 256 === command.at(-1)
      if (checksumOk || !this.#current.checksumComparison) this.#execute(command[2]!, command.slice(3, -1))
    }
  }

  #execute(id: number, payload: number[]): void {
    this.#commandLog.push(id)
    const success = [0]
    const flag = payload[0] ?? 0
    switch (id) {
      case 0x01:
        return this.#reply(id, [...DEFAULT_VERSION])
      case 0x02:
        this.#current = { ...this.#saved }
        return this.#reply(id, success)
      case 0x03:
        this.#current.frameRateHz = flag | ((payload[1] ?? 0) << 8)
        return this.#reply(id, [flag, payload[1] ?? 0])
      case 0x04:
        return void this.#send(this.#frame())
      case 0x07:
        this.#current.outputEnabled = flag === 1
        return this.#reply(id, [flag])
      case 0x08:
        this.#current.checksumComparison = flag === 1
        return this.#reply(id, [flag])
      case 0x10:
        this.#current = { ...FACTORY }
        return this.#reply(id, success)
      case 0x11:
        this.#saved = { ...this.#current }
        return this.#reply(id, success)
      default:
        return
    }
  }

  #reply(id: number, payload: readonly number[]): void {
    const bytes = [REPLY_HEAD, payload.length + 4, id, ...payload]
    bytes.push(bytes.reduce((sum, byte) => sum + byte, 0) % 256)
    void this.#send(Uint8Array.from(bytes))
  }

  /** A real sensor keeps talking whether anyone listens: write failures (line pulled or closed) are ignored. */
  async #send(bytes: Uint8Array): Promise<void> {
    await this.#line.write(bytes).catch(() => undefined)
  }
}

function uint16(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`${what} must be an integer 0..65535, got ${value}`)
  return value
}
