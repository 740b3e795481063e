import type { Clock } from '../../hal/clock.ts'
import { AsyncLock } from '../../hal/lock.ts'
import type { SerialLine } from '../../hal/serial.ts'
import { DriverError, io, type Sensor } from '../sensor.ts'
import { COMMANDS } from './commands.ts'
import { TfLunaLineListener } from './line-listener.ts'
import { ID } from './protocol.ts'
import { tfLunaReading, type TfLunaReading } from './reading.ts'
import { DEFAULT_TF_LUNA_SETTINGS, maxFrameAgeMsOf, type TfLunaSettings } from './settings.ts'

const CHIP = 'tf-luna'

/**
 * How long a command may take to be answered, ms. The manual gives no figure; at 115200 baud a
 * 7-byte reply takes 0.6 ms on the wire, so this leaves the firmware and the OS ample room.
 */
export const REPLY_TIMEOUT_MS = 100

/**
 * Benewake TF-Luna on a UART (9-byte/cm frames, protocol.ts). The sensor streams frames at
 * `frameRateHz` by itself; the driver keeps only the newest.
 *
 * Contract: the constructor does no I/O and subscribes to nothing. init() listens to the line,
 * asks for the firmware version (no answer within REPLY_TIMEOUT_MS → 'timeout'), sets the frame
 * rate and turns output on, checking each echo ('identity' when the sensor answers otherwise).
 * sample() resolves with the newest good frame received since the previous sample(), if it is at
 * most maxFrameAgeMs old; otherwise it waits up to maxFrameAgeMs for one. Nothing by then →
 * 'timeout', or 'data' when only frames with bad checksums came; a line error meanwhile → 'io'
 * with the line's HalError as cause. An unreliable frame is still a reading, with quality
 * 'fault' (reading.ts). Calls are serialised; an aborted `signal` rejects with its reason.
 */
export class TfLuna implements Sensor<TfLunaReading> {
  readonly #line: SerialLine
  readonly #clock: Clock
  readonly #settings: TfLunaSettings
  readonly #maxFrameAgeMs: number
  readonly #lock = new AsyncLock()
  readonly #heard: TfLunaLineListener
  /** Parser counts when the previous sample() ended: what came after is "new". */
  #seen = { frames: 0, checksumFailures: 0 }
  #firmwareVersion: string | undefined
  #ready = false

  constructor(line: SerialLine, clock: Clock, settings: TfLunaSettings = DEFAULT_TF_LUNA_SETTINGS) {
    this.#line = line
    this.#clock = clock
    this.#settings = settings
    this.#maxFrameAgeMs = maxFrameAgeMsOf(settings)
    this.#heard = new TfLunaLineListener(line, clock)
  }

  /** 'major.minor.patch' as the sensor reported it in init(). */
  get firmwareVersion(): string | undefined {
    return this.#firmwareVersion
  }

  /** Frames whose checksum did not match, since the driver was made. */
  get checksumFailures(): number {
    return this.#heard.checksumFailures
  }

  /** Good frames received since the driver was made. */
  get framesReceived(): number {
    return this.#heard.framesParsed
  }

  init(): Promise<void> {
    return this.#lock.run(() => this.#init())
  }

  sample(signal?: AbortSignal): Promise<TfLunaReading> {
    return this.#lock.run(() => this.#sample(signal))
  }

  /**
   * Stops listening. The sensor keeps streaming: it has no sleep state the driver could leave it
   * in (its low-power mode needs waking with commands, A05 §6.11), and the line is not ours.
   */
  close(): Promise<void> {
    return this.#lock.run(async () => {
      this.#heard.stop()
      this.#ready = false
    })
  }

  async #init(): Promise<void> {
    this.#heard.listen()
    const version = await this.#command(COMMANDS.getVersion(), ID.GET_VERSION, 3)
    this.#firmwareVersion = `${version[2]}.${version[1]}.${version[0]}`
    const { frameRateHz } = this.#settings
    const rate = await this.#command(COMMANDS.setFrameRate(frameRateHz), ID.SAMPLE_FREQ, 2)
    const reportedHz = rate[0]! | (rate[1]! << 8)
    if (reportedHz !== frameRateHz) {
      throw new DriverError(CHIP, 'init', 'identity', `asked for ${frameRateHz} Hz, the sensor reports ${reportedHz} Hz (it takes 500/n Hz: 250, 125, 100, 50 …)`)
    }
    const [output] = await this.#command(COMMANDS.setOutputEnabled(true), ID.OUTPUT_EN, 1)
    if (output !== 1) throw new DriverError(CHIP, 'init', 'identity', `output enable answered ${output}, not 1`)
    this.#markSampled()
    this.#ready = true
  }

  async #sample(signal: AbortSignal | undefined): Promise<TfLunaReading> {
    if (!this.#ready) throw new DriverError(CHIP, 'sample', 'usage', 'init() has not completed')
    const heard = this.#heard
    const deadlineMs = this.#clock.now() + this.#maxFrameAgeMs
    for (;;) {
      signal?.throwIfAborted()
      const nowMs = this.#clock.now()
      const fresh = heard.framesParsed > this.#seen.frames && nowMs - heard.frameAtMs <= this.#maxFrameAgeMs
      const lineError = heard.lineError
      if (fresh || lineError !== undefined || nowMs >= deadlineMs) {
        const badFrames = heard.checksumFailures - this.#seen.checksumFailures
        this.#markSampled()
        if (fresh) return tfLunaReading(heard.distanceCm, heard.signalStrength, heard.temperatureRaw, heard.frameAtMs)
        if (lineError !== undefined) throw new DriverError(CHIP, 'sample', 'io', lineError.message, { cause: lineError })
        if (badFrames > 0) throw new DriverError(CHIP, 'sample', 'data', `${badFrames} frame(s) with a bad checksum and none good in ${this.#maxFrameAgeMs} ms`)
        throw new DriverError(CHIP, 'sample', 'timeout', `no new frame in ${this.#maxFrameAgeMs} ms`)
      }
      await heard.waitForNews(deadlineMs - nowMs, signal)
    }
  }

  /** Sends a command and resolves with its reply's payload (a copy), checked to be `payloadBytes` long. */
  async #command(frame: Uint8Array, id: number, payloadBytes: number): Promise<Uint8Array> {
    let reply: Uint8Array | undefined
    this.#heard.expectReplies((replyId, payload) => {
      if (replyId === id) reply ??= payload.slice()
    })
    try {
      await io(CHIP, 'init', () => this.#line.write(frame))
      const deadlineMs = this.#clock.now() + REPLY_TIMEOUT_MS
      while (reply === undefined) {
        const lineError = this.#heard.lineError
        if (lineError !== undefined) throw new DriverError(CHIP, 'init', 'io', lineError.message, { cause: lineError })
        const remainingMs = deadlineMs - this.#clock.now()
        if (remainingMs <= 0) {
          throw new DriverError(CHIP, 'init', 'timeout', `no reply to command 0x${hex(id)} in ${REPLY_TIMEOUT_MS} ms (a TF-Luna in UART mode, pin 5 open, at the board's baud rate?)`)
        }
        await this.#heard.waitForNews(remainingMs)
      }
    } finally {
      this.#heard.expectReplies(undefined)
    }
    if (reply.length !== payloadBytes) throw new DriverError(CHIP, 'init', 'identity', `reply to 0x${hex(id)} has ${reply.length} payload bytes, not ${payloadBytes}`)
    return reply
  }

  #markSampled(): void {
    this.#seen = { frames: this.#heard.framesParsed, checksumFailures: this.#heard.checksumFailures }
    this.#heard.lineError = undefined
  }
}

function hex(value: number): string {
  return value.toString(16).padStart(2, '0')
}
