import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Clock } from '../../drivers/hal/clock.ts'
import type { Edge, InputPin, Level, OutputPin } from '../../drivers/hal/gpio.ts'

/**
 * One input line and one output line of a GPIO implementation, wired to a "world" the suite
 * can act on: it drives the input line and senses the output line electrically, the way a
 * button and a multimeter would. Each open() gives fresh lines (or fresh state on the same ones).
 */
export interface GpioBench {
  readonly clock: Clock
  /** How long a change takes at most to reach a watcher, ms of the clock (0: synchronously). */
  readonly latencyMs: number
  input(options?: { readonly activeLow?: boolean }): Promise<InputPin>
  output(options?: { readonly activeLow?: boolean; readonly initial?: Level }): Promise<OutputPin>
  /** Sets the input line's electrical level, as the world outside would. */
  drive(level: Level): Promise<void>
  /** The output line's electrical level, as the world sees it. */
  sensed(): Promise<Level>
  /** Lets `ms` of the clock's time pass: virtual time is advanced, real time is waited for. */
  elapse(ms: number): Promise<void>
  /** Releases the lines (pins the test opened are closed by the test). */
  close(): Promise<void>
}

export interface GpioCapabilities {
  /**
   * Whether input()/output() honour `activeLow`. SimGpio has logical levels only (a scenario
   * drives "pressed"), so it has nothing to invert and the active-low cases are not defined for it.
   */
  readonly activeLow: boolean
}

interface Seen {
  readonly level: Level
  readonly atMs: number
}

/** A debounce long enough for a real kernel's edge latency under TCG, short enough to keep the suite quick. */
const DEBOUNCE_MS = 80
const BOUNCE_MS = 5

/**
 * The InputPin / OutputPin contract (drivers/hal/gpio.ts), run against one implementation:
 * the sim in virtual time, the onoff adapter on a real kernel's gpio-mockup in real time.
 */
export function describeGpioContract(name: string, open: () => Promise<GpioBench>, capabilities: GpioCapabilities): void {
  void describe(`GPIO contract: ${name}`, () => {
    /** Runs `body` on a fresh bench and releases it whatever happens. */
    const onBench = (body: (bench: GpioBench) => Promise<void>) => async (): Promise<void> => {
      const bench = await open()
      try {
        await body(bench)
      } finally {
        await bench.close()
      }
    }

    it('an input reads the level the world drives', onBench(async bench => {
      await bench.drive(1)
      const pin = await bench.input()
      assert.equal(await pin.read(), 1)
      await bench.drive(0)
      await until(bench, async () => (await pin.read()) === 0, 'read() to see the line go low')
      await pin.close()
    }))

    it('an output drives the level written, and read() returns it', onBench(async bench => {
      const pin = await bench.output()
      for (const level of [1, 0, 1] as const) {
        await pin.write(level)
        assert.equal(await bench.sensed(), level)
        assert.equal(await pin.read(), level)
      }
      await pin.close()
    }))

    it('writeSync() (the exit path) drives the level before it returns', onBench(async bench => {
      const pin = await bench.output()
      for (const level of [1, 0] as const) {
        pin.writeSync(level)
        assert.equal(await bench.sensed(), level)
        assert.equal(await pin.read(), level)
      }
      await pin.close()
      assert.throws(() => pin.writeSync(1), { name: 'HalError', kind: 'closed' })
    }))

    it('an output opened with initial 1 drives 1 from the start', onBench(async bench => {
      const pin = await bench.output({ initial: 1 })
      assert.equal(await bench.sensed(), 1)
      assert.equal(await pin.read(), 1)
      await pin.close()
    }))

    it('watch("both") reports every edge once, in order, with the new level and the clock time', onBench(async bench => {
      await bench.drive(0)
      const pin = await bench.input()
      const seen: Seen[] = []
      const stop = pin.watch('both', (level, atMs) => seen.push({ level, atMs }))
      const levels = [1, 0, 1, 0] as const
      for (const [index, level] of levels.entries()) {
        const beforeMs = bench.clock.now()
        await bench.drive(level)
        await until(bench, () => seen.length > index, `edge ${index + 1} (to ${level})`)
        const afterMs = bench.clock.now()
        const edge = seen[index]!
        assert.equal(edge.level, level)
        assert.ok(edge.atMs >= beforeMs && edge.atMs <= afterMs, `edge at ${edge.atMs} outside [${beforeMs}, ${afterMs}]`)
        await bench.elapse(2)
      }
      await bench.elapse(bench.latencyMs)
      assert.deepEqual(seen.map(edge => edge.level), [...levels])
      assert.ok(seen.every((edge, i) => i === 0 || edge.atMs > seen[i - 1]!.atMs), 'times increase')
      stop()
      await pin.close()
    }))

    for (const [edge, expected] of [['rising', [1, 1]], ['falling', [0, 0]]] as const) {
      it(`watch("${edge}") reports only ${edge} edges`, onBench(async bench => {
        await bench.drive(0)
        const pin = await bench.input()
        const { seen, observed, stop } = watchWithObserver(pin, edge)
        for (const [index, level] of [1, 0, 1, 0].entries()) {
          await bench.drive(level as Level)
          await until(bench, () => observed.length > index, `edge ${index + 1} reaching the observer`)
        }
        await bench.elapse(bench.latencyMs)
        assert.deepEqual(seen.map(edge => edge.level), [...expected])
        stop()
        await pin.close()
      }))
    }

    it('the function watch() returns stops the reports, and other watchers keep theirs', onBench(async bench => {
      await bench.drive(0)
      const pin = await bench.input()
      const { seen, observed, stop } = watchWithObserver(pin, 'both')
      await bench.drive(1)
      await until(bench, () => seen.length === 1 && observed.length === 1, 'the first edge')
      stop()
      await bench.drive(0)
      await until(bench, () => observed.length === 2, 'the observer to see the second edge')
      await bench.elapse(bench.latencyMs)
      assert.deepEqual(seen.map(edge => edge.level), [1])
      await pin.close()
    }))

    it('with debounceMs, a bounce shorter than debounceMs is not reported, the settled level is', onBench(async bench => {
      await bench.drive(0)
      const pin = await bench.input()
      const seen: Seen[] = []
      pin.watch('both', (level, atMs) => seen.push({ level, atMs }), { debounceMs: DEBOUNCE_MS })
      const lastChangeMs = await bounce(bench, [1, 0, 1])
      await until(bench, () => seen.length > 0, 'the settled level', DEBOUNCE_MS)
      await bench.elapse(DEBOUNCE_MS + bench.latencyMs)
      assert.deepEqual(seen.map(edge => edge.level), [1])
      assert.ok(seen[0]!.atMs >= lastChangeMs + DEBOUNCE_MS, `reported at ${seen[0]!.atMs}, before the line had settled for ${DEBOUNCE_MS} ms (last change at ${lastChangeMs})`)
      await bounce(bench, [0, 1])
      await bench.elapse(2 * DEBOUNCE_MS + bench.latencyMs)
      assert.equal(seen.length, 1, 'a bounce that returns to the settled level is not reported')
      await pin.close()
    }))

    it('after close(), an input rejects read() with kind closed and reports no further edge', onBench(async bench => {
      await bench.drive(0)
      const pin = await bench.input()
      const seen: Level[] = []
      pin.watch('both', level => seen.push(level))
      await pin.close()
      await bench.drive(1)
      await bench.elapse(bench.latencyMs + 10)
      assert.deepEqual(seen, [])
      await assert.rejects(pin.read(), { name: 'HalError', kind: 'closed' })
      assert.throws(() => pin.watch('both', () => undefined), { name: 'HalError', kind: 'closed' })
    }))

    it('after close(), an output rejects write() and read() with kind closed', onBench(async bench => {
      const pin = await bench.output()
      await pin.close()
      await assert.rejects(pin.write(1), { name: 'HalError', kind: 'closed' })
      await assert.rejects(pin.read(), { name: 'HalError', kind: 'closed' })
    }))

    if (capabilities.activeLow) describeActiveLow(open)
  })
}

/** The active-low cases, for implementations that can be configured so. */
function describeActiveLow(open: () => Promise<GpioBench>): void {
  it('an active-low input reads 1 while the line is low, and reports that as rising', async () => {
    const bench = await open()
    try {
      await bench.drive(1)
      const pin = await bench.input({ activeLow: true })
      assert.equal(await pin.read(), 0)
      const seen: Level[] = []
      pin.watch('rising', level => seen.push(level))
      await bench.drive(0)
      await until(bench, () => seen.length === 1, 'the (logical) rising edge')
      assert.deepEqual(seen, [1])
      assert.equal(await pin.read(), 1)
      await pin.close()
    } finally {
      await bench.close()
    }
  })

  it('an active-low output drives the line low for write(1)', async () => {
    const bench = await open()
    try {
      const pin = await bench.output({ activeLow: true })
      await pin.write(1)
      assert.equal(await bench.sensed(), 0)
      assert.equal(await pin.read(), 1)
      await pin.write(0)
      assert.equal(await bench.sensed(), 1)
      await pin.close()
    } finally {
      await bench.close()
    }
  })
}

/** Watches `edge`, plus a 'both' observer that tells the suite when the pin has seen each change. */
function watchWithObserver(pin: InputPin, edge: Edge): { seen: Seen[]; observed: Level[]; stop: () => void } {
  const seen: Seen[] = []
  const observed: Level[] = []
  pin.watch('both', level => observed.push(level))
  const stop = pin.watch(edge, (level, atMs) => seen.push({ level, atMs }))
  return { seen, observed, stop }
}

/** Drives `levels` BOUNCE_MS apart; resolves with the clock time of the last change. */
async function bounce(bench: GpioBench, levels: readonly Level[]): Promise<number> {
  let lastMs = bench.clock.now()
  for (const [index, level] of levels.entries()) {
    if (index > 0) await bench.elapse(BOUNCE_MS)
    lastMs = bench.clock.now()
    await bench.drive(level)
  }
  return lastMs
}

/**
 * Waits until `condition` holds: at once on a synchronous implementation, within the bench's
 * latency (plus `extraMs`) on a real one; fails naming what it waited for.
 */
async function until(bench: GpioBench, condition: () => boolean | Promise<boolean>, what: string, extraMs = 0): Promise<void> {
  const stepMs = 2
  const limitMs = bench.latencyMs + extraMs
  for (let waitedMs = 0; ; waitedMs += stepMs) {
    if (await condition()) return
    if (waitedMs > limitMs) assert.fail(`waited ${limitMs} ms for ${what}`)
    await bench.elapse(stepMs)
  }
}
