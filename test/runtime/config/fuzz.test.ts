/**
 * Fuzzing the configuration loader (issue: "each one is either accepted or rejected with
 * path-named errors; never a crash or a stack trace"). Mutated shipped tables and boards, raw
 * text, and tables generated from scratch go through loadConfig; any rejection other than a
 * ConfigError whose issues all name a file, a path and a message fails the property.
 *
 * The regression tests at the end are the crashes found while writing this file; they fail
 * until the loader is fixed.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import { promisify } from 'node:util'
import fc from 'fast-check'
import { BoardDefinition } from '../../../boards/schema.ts'
import { SENSOR_DESCRIPTORS } from '../../../drivers/sensors/registry.ts'
import { ConfigError } from '../../../runtime/config/config-error.ts'
import { loadConfig, resolveBoardFile } from '../../../runtime/config/load.ts'
import { knownKeys } from '../../../runtime/config/zod-issues.ts'
import { TaskTable } from '../../../tasks/schema.ts'
import { ALARM_SEVERITIES, MISS_POLICIES, POLICIES, TECHNICAL_KINDS } from '../../../tasks/vocabulary.ts'
import { applyMutations, mutationsArb, serialize, type Mutation, type Vocabulary } from '../../helpers/json-mutations.ts'
import { tempDir } from '../../helpers/temp-files.ts'

const { dir, write } = tempDir()

const TABLE_FILES = ['tasks/vehicle-braking.json', 'tasks/patient-vitals.json', ...readdirSync('tasks/tables').filter(name => name.endsWith('.json')).map(name => `tasks/tables/${name}`)]
const BOARD_FILES = readdirSync('boards').filter(name => name.endsWith('.json')).map(name => `boards/${name}`)
const TEXT = new Map([...TABLE_FILES, ...BOARD_FILES].map(file => [file, readFileSync(file, 'utf8')]))
const PARSED = new Map([...TEXT].map(([file, text]) => [file, JSON.parse(text) as unknown]))

const SIM = PARSED.get('boards/sim.json') as BoardDefinition
/** The sim board's sampleable devices with their channels, and its outputs (for generated tables). */
const DEVICES = [
  ...Object.entries(SIM.gpio).filter(([, line]) => line.direction === 'in').map(([name]) => ({ name, chip: 'digital-input' })),
  ...Object.values(SIM.i2c).flatMap(bus => Object.entries(bus.devices).map(([name, device]) => ({ name, chip: device.chip }))),
  ...Object.entries(SIM.serial).flatMap(([name, line]) => (line.chip === undefined ? [] : [{ name, chip: line.chip }])),
].map(device => ({ ...device, channels: SENSOR_DESCRIPTORS.get(device.chip)!.channels.map(channel => channel.name) }))
const OUTPUTS = Object.entries(SIM.gpio).filter(([, line]) => line.direction === 'out').map(([name]) => name)
const INPUTS = Object.entries(SIM.gpio).filter(([, line]) => line.direction === 'in').map(([name]) => name)
const CHANNELS = [...new Set(DEVICES.flatMap(device => device.channels))]

const settingsKeys = [...SENSOR_DESCRIPTORS.values()].flatMap(descriptor => [...knownKeys(descriptor.settings)])
const TABLE_WORDS: Vocabulary = {
  keys: [...knownKeys(TaskTable)],
  strings: [...POLICIES, ...MISS_POLICIES, ...ALARM_SEVERITIES, ...TECHNICAL_KINDS, 'sample', 'synthetic', 'refuse', 'warn', 'rising', ...DEVICES.map(d => d.name), ...OUTPUTS, ...CHANNELS, 'lidar.distanceM', 'imu.accelXMps2', 'main', 'median', 'clamp', 'closing-speed'],
}
const BOARD_WORDS: Vocabulary = {
  keys: [...knownKeys(BoardDefinition), ...settingsKeys],
  strings: [...SENSOR_DESCRIPTORS.keys(), '0x76', '0x29', '0x77', '0x03', '0x78', '0xff', 'in', 'out', 'rising', 'falling', 'both', 'linux', 'sim', 'main', 'lidar', 'spo2', 'heart-rate', '/dev/serial0'],
}

/** A frame of a stack trace, or the brief's literal marker of one. */
const STACK = /\n {4}at |^\s*at .+:\d+:\d+\)?$/m

/** How often a property's documents were accepted, and what rejected them (the first issue's path, indices dropped). */
class Tally {
  accepted = 0
  rejected = 0
  slowestMs = 0
  readonly #reasons = new Map<string, number>()
  reject(error: ConfigError): void {
    this.rejected++
    const first = error.issues[0]!
    const reason = first.path === '(file)' ? first.message.slice(0, 40) : first.path.replace(/\[\d+\]/g, '[]')
    this.#reasons.set(reason, (this.#reasons.get(reason) ?? 0) + 1)
  }
  report(t: TestContext, runs: number, loads: number): void {
    const top = [...this.#reasons].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([reason, n]) => `${reason} ×${n}`)
    t.diagnostic(`${runs} runs, ${loads} loads: ${this.accepted} accepted, ${this.rejected} rejected with ConfigError; slowest load ${this.slowestMs.toFixed(0)} ms`)
    t.diagnostic(`most common first issues: ${top.join(', ')}`)
  }
}

/**
 * Loads and checks the outcome: a LoadedConfig, or a ConfigError whose every issue has one of
 * `files`, a non-empty path and message, and no stack trace. Anything else is rethrown with the
 * edits that led to it, which fails the property.
 */
async function settle(tally: Tally, files: readonly string[], load: () => Promise<unknown>, log: readonly string[] = []): Promise<ConfigError | undefined> {
  const started = performance.now()
  try {
    await load()
    tally.accepted++
    return undefined
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      throw new Error(`not a ConfigError but ${what}\n  after: ${log.join('; ') || '(no edits)'}`, { cause: error })
    }
    assert.ok(error.issues.length > 0, 'a ConfigError lists at least one issue')
    for (const issue of error.issues) {
      assert.ok(files.includes(issue.file), `issue file ${JSON.stringify(issue.file)} is not one of ${files.join(', ')}`)
      assert.ok(typeof issue.path === 'string' && issue.path.trim() !== '', `empty path in ${JSON.stringify(issue)}`)
      assert.ok(typeof issue.message === 'string' && issue.message.trim() !== '', `empty message in ${JSON.stringify(issue)}`)
      assert.doesNotMatch(issue.message, STACK)
    }
    assert.doesNotMatch(error.message, STACK)
    tally.reject(error)
    return error
  } finally {
    tally.slowestMs = Math.max(tally.slowestMs, performance.now() - started)
  }
}

const run = promisify(execFile)
const SIM_FILE = await resolveBoardFile('sim')
const PI_FILE = await resolveBoardFile('raspberry-pi-4b')

const mutatedTable = fc.record({ source: fc.constantFrom(...TABLE_FILES), mutations: mutationsArb(TABLE_WORDS) })
const mutatedBoard = fc.record({ source: fc.constantFrom(...BOARD_FILES), mutations: mutationsArb(BOARD_WORDS) })

function mutatedText({ source, mutations }: { source: string; mutations: Mutation[] }): { text: string; log: string[] } {
  const { doc, log } = applyMutations(PARSED.get(source), mutations)
  return { text: serialize(doc), log: [`from ${source}`, ...log] }
}

// ---- raw text --------------------------------------------------------------------------------

const shippedText = fc.constantFrom(...TEXT.values())
const textArb: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }),
  fc.json({ maxDepth: 4 }),
  fc.tuple(shippedText, fc.nat()).map(([text, cut]) => text.slice(0, cut % (text.length + 1))),
  fc.tuple(shippedText, fc.nat(), fc.string({ maxLength: 20 })).map(([text, cut, tail]) => text.slice(0, cut % (text.length + 1)) + tail),
  fc.tuple(shippedText, fc.nat(), fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '\u0000', '\n', '0', '-', 'e', '.', 't', '')).map(([text, at, char]) => {
    const i = at % (text.length + 1)
    return text.slice(0, i) + char + text.slice(i + 1)
  }),
  // Runs of one token; depth stays below what the syntax checker survives today (see the regression tests).
  fc.tuple(fc.constantFrom('[', '{', '{"a":', '"', ',', ']', '[1,', '\\u'), fc.integer({ min: 1, max: 2000 })).map(([unit, n]) => unit.repeat(n)),
)

// ---- tables generated from scratch ---------------------------------------------------------------
// Valid by construction (deadline within the period, chunks within the budget, thresholds in
// order, ids unique…), with each field now and then replaced by an odd value, so that both
// outcomes are common and the binding and admission stages are reached, not only the schema.

/** Mostly `valid`; one time in 40, one of `odd` instead. */
const mostly = <T>(valid: fc.Arbitrary<T>, ...odd: unknown[]): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 40, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(...odd) })
const ODD_MS = [0, -1, '10', null, 1e-12, 1e12, true]
const share = (min: number, max: number): fc.Arbitrary<number> => fc.double({ min, max, noNaN: true })
const PERIODS_MS = [1, 2, 4, 5, 10, 20, 25, 50, 100, 200, 500, 1000]

/** The timing fields every task has, consistent with each other; `minPeriodMs` is the chip's. */
function timingArb(minPeriodMs: number): fc.Arbitrary<Record<string, unknown>> {
  const period = fc.oneof(fc.constantFrom(...PERIODS_MS.filter(p => p >= minPeriodMs)), share(minPeriodMs, 2000))
  return fc
    .record({
      periodMs: period,
      load: share(0.001, 0.3),
      deadline: fc.option(share(0.3, 1)),
      chunk: fc.option(share(0.1, 1)),
      offsetMs: fc.option(fc.constantFrom(0, 1, 5)),
      priority: fc.option(fc.integer({ min: 0, max: 99 })),
      onMiss: fc.option(fc.constantFrom(...MISS_POLICIES)),
      restart: fc.option(fc.tuple(fc.constantFrom(0, 10, 100), fc.constantFrom(0, 50, 1000))),
      resources: fc.subarray(['main', 'lidar']),
      hold: share(0, 1),
      release: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.record({ gpio: fc.constantFrom(...INPUTS), edge: fc.constantFrom('rising', 'falling', 'both') }) }),
    })
    .chain(t => {
      const budgetMs = t.periodMs * t.load
      return fc.record({
        periodMs: mostly(fc.constant(t.periodMs), ...ODD_MS),
        budgetMs: mostly(fc.constant(budgetMs), ...ODD_MS, t.periodMs * 2),
        ...(t.deadline === null ? {} : { deadlineMs: mostly(fc.constant(t.periodMs * t.deadline), ...ODD_MS, t.periodMs * 2) }),
        ...(t.chunk === null ? {} : { nonPreemptiveMs: mostly(fc.constant(budgetMs * t.chunk), ...ODD_MS, budgetMs * 3) }),
        ...(t.offsetMs === null ? {} : { offsetMs: mostly(fc.constant(t.offsetMs), -1, 'soon') }),
        ...(t.priority === null ? {} : { priority: mostly(fc.constant(t.priority), -1, 100, 2.5) }),
        ...(t.onMiss === null ? {} : { onMiss: mostly(fc.constant(t.onMiss), 'explode') }),
        ...(t.restart === null ? {} : { restart: fc.constant({ initialMs: t.restart[0], maxMs: t.restart[0] + t.restart[1] }) }),
        ...(t.resources.length === 0 ? {} : { resources: mostly(fc.constant(t.resources.map(name => ({ name, holdMs: budgetMs * t.hold }))), [{ name: 'spi0', holdMs: 0 }], [{ name: 'main', holdMs: -1 }]) }),
        ...(t.release === null ? {} : { release: mostly(fc.constant(t.release), { gpio: 'brake', edge: 'rising' }, { gpio: 'constructor', edge: 'both' }) }),
      })
    })
}

const syntheticArb = fc
  .tuple(timingArb(0.5), share(0, 1), fc.option(share(0.05, 1)))
  .map(([timing, compute, chunk]) => {
    const budgetMs = typeof timing.budgetMs === 'number' ? timing.budgetMs : 1
    return { kind: 'synthetic', ...timing, computeMs: budgetMs * compute, ...(chunk === null ? {} : { chunkMs: budgetMs * chunk }) }
  })

/** A threshold condition on `channel`: above, below or outside a band, thresholds in order (rarely not). */
function levelArb(channel: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> {
  const value = fc.oneof(fc.integer({ min: -100, max: 300 }), share(-1000, 1000))
  const gap = mostly(share(0, 10), -5)
  return fc.oneof(
    fc.record({ channel, x: value, h: fc.option(gap) }).map(({ channel, x, h }) => ({ channel, setAbove: x, ...(h === null ? {} : { clearAbove: x - (h as number) }) })),
    fc.record({ channel, x: value, h: fc.option(gap) }).map(({ channel, x, h }) => ({ channel, setBelow: x, ...(h === null ? {} : { clearBelow: x + (h as number) }) })),
    fc.record({ channel, x: value, w: mostly(share(0.1, 100), 0, -1) }).map(({ channel, x, w }) => ({ channel, setBelow: x, setAbove: x + (w as number) })),
    fc.record({ channel }),
  ).chain(condition => fc.oneof({ weight: 4, arbitrary: fc.constant(condition) }, { weight: 1, arbitrary: fc.constant({ ...condition, of: 'rate' }) }))
}

/** A condition tree on `channels`: level conditions, or technical ones, under all/any (mixing them is an error, so rare). */
function conditionArb(channels: readonly string[]): fc.Arbitrary<unknown> {
  const channel = mostly(fc.constantFrom(...channels), 'nope', 'other.level', 'Bad Name') as fc.Arbitrary<string>
  const technical = fc.record(
    { technical: mostly(fc.subarray([...TECHNICAL_KINDS], { minLength: 1 }), [], ['broken']), channels: fc.subarray([...channels], { minLength: 1 }), reasons: fc.constant(['probe-off']) },
    { requiredKeys: ['technical'] },
  )
  const tree = (leaf: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
    fc.letrec<{ node: unknown }>(tie => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        { weight: 5, arbitrary: leaf },
        { weight: 1, arbitrary: fc.record({ all: mostly(fc.array(tie('node'), { minLength: 1, maxLength: 3 }), []) }) },
        { weight: 1, arbitrary: fc.record({ any: mostly(fc.array(tie('node'), { minLength: 1, maxLength: 3 }), []) }) },
      ),
    })).node
  return fc.oneof({ weight: 8, arbitrary: tree(levelArb(channel)) }, { weight: 3, arbitrary: tree(technical) }, { weight: 1, arbitrary: tree(fc.oneof(levelArb(channel), technical)) })
}

/** Bounds around each threshold of a single level condition, for `adjustable`. */
function adjustableFor(when: unknown): fc.Arbitrary<unknown> {
  const names = ['setAbove', 'clearAbove', 'setBelow', 'clearBelow'].filter(name => typeof (when as Record<string, unknown>)[name] === 'number')
  if (names.length === 0) return fc.constant(undefined)
  const around = (x: number) => fc.tuple(share(0, 50), share(0, 50)).map(([down, up]) => ({ min: x - down, max: x + up }))
  const bounds = Object.fromEntries(names.map(name => [name, around((when as Record<string, number>)[name]!)]))
  return fc.option(mostly(fc.record(bounds), { setAbove: { min: 10, max: 0 } }, { nope: { min: 0, max: 1 } }), { nil: undefined })
}

function alarmArb(channels: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const delay = fc.option(mostly(fc.oneof(fc.record({ ms: fc.constantFrom(0, 100, 5000) }), fc.record({ samples: fc.integer({ min: 1, max: 5 }) })), { ms: -1 }, { samples: 0 }, { ms: 1, samples: 1 }), { nil: undefined })
  return fc
    .record({
      severity: mostly(fc.constantFrom(...ALARM_SEVERITIES), 'urgent'),
      when: conditionArb(channels),
      onDelay: delay,
      offDelay: delay,
      latch: fc.option(fc.boolean(), { nil: undefined }),
      outputs: fc.subarray(OUTPUTS),
      holdUntil: fc.option(fc.constantFrom('clear', 'acknowledge'), { nil: undefined }),
      failSafe: fc.option(fc.oneof(fc.boolean(), fc.record({ afterSamples: mostly(fc.integer({ min: 1, max: 4 }), 0) })), { nil: undefined }),
      oddAction: fc.oneof({ weight: 30, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom({ output: 'button' }, { output: 'nope' }, { output: 'toString' }, { output: 'brake', level: 0 }) }),
    })
    .chain(({ outputs, holdUntil, oddAction, failSafe, ...alarm }) => {
      const actions = [...outputs.map(output => ({ output, ...(holdUntil === undefined ? {} : { holdUntil }) })), ...(oddAction === undefined ? [] : [oddAction])]
      const safe = actions.length === 0 && failSafe !== undefined ? mostly(fc.constant(false), true) : fc.constant(failSafe)
      return fc.record({ safe, adjustable: adjustableFor(alarm.when) }).map(({ safe, adjustable }) => ({
        ...alarm,
        ...(actions.length === 0 ? {} : { actions }),
        ...(safe === undefined ? {} : { failSafe: safe }),
        ...(adjustable === undefined ? {} : { adjustable }),
      }))
    })
}

const filterArb = fc.oneof(
  fc.record({ type: fc.constant('median'), samples: mostly(fc.integer({ min: 2, max: 101 }), 1, 102) }),
  fc.record({ type: fc.constant('moving-average'), samples: fc.integer({ min: 2, max: 1000 }) }),
  fc.oneof(fc.record({ alpha: share(0.01, 1) }), fc.record({ timeConstantMs: fc.constantFrom(10, 100) })).map(f => ({ type: 'exponential', ...f })),
  fc.oneof(fc.record({ absolute: share(0.01, 5) }), fc.record({ percent: share(0.1, 10) })).map(f => ({ type: 'deadband', ...f })),
  fc.tuple(share(-100, 100), share(0, 100)).map(([min, width]) => ({ type: 'clamp', min, max: min + width })),
  fc.record({ type: fc.constantFrom('throttle', 'heartbeat'), ms: fc.constantFrom(10, 1000) }).map(({ type, ms }) => ({ type, [type === 'throttle' ? 'minIntervalMs' : 'maxIntervalMs']: ms })),
  fc.constantFrom({ type: 'scale', factor: 2 }, { type: 'offset', by: -1 }, { type: 'rate' }),
  fc.constantFrom<unknown>({ type: 'exponential' }, { type: 'clamp' }, { type: 'bogus' }),
)

/** Distance devices can derive a closing speed and a time to collision. */
function derivedArb(channels: readonly string[]): fc.Arbitrary<Record<string, unknown>[]> {
  if (!channels.includes('distanceM')) return fc.constant([])
  const closing = { name: 'closingSpeedMps', op: 'closing-speed', distance: 'distanceM' }
  const ttc = { name: 'timeToCollisionS', op: 'time-to-collision', distance: 'distanceM', closingSpeed: 'closingSpeedMps' }
  return fc.constantFrom([], [closing], [closing, ttc], [ttc], [{ ...closing, name: 'distanceM' }])
}

const sampleArb = fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...DEVICES) }, { weight: 1, arbitrary: fc.constant({ name: 'nope', chip: 'digital-input', channels: ['level'] }) }).chain(device =>
  derivedArb(device.channels).chain(derived => {
    const all = [...device.channels, ...derived.map(d => d.name as string)]
    return fc.record(
      {
        timing: timingArb(SENSOR_DESCRIPTORS.get(device.chip)!.minPeriodMs),
        channels: fc.subarray([...device.channels], { minLength: 1 }),
        maxAgeMs: fc.constantFrom(10, 100, 1000),
        processing: fc.dictionary(mostly(fc.constantFrom(...device.channels), 'nope') as fc.Arbitrary<string>, fc.record({ filters: fc.array(filterArb, { maxLength: 2 }) }), { maxKeys: 2 }),
        alarms: fc.array(alarmArb(all), { maxLength: 3 }),
      },
      { requiredKeys: ['timing'] },
    ).map(({ timing, ...rest }) => ({ kind: 'sample', device: device.name, ...timing, ...rest, ...(derived.length === 0 ? {} : { derived }) }))
  }),
)

/** Ids: `t0`, `t1`… for tasks and `a0`, `a1`… for alarms, and rarely a repeated or badly formed one. */
function withIds(tasks: readonly Record<string, unknown>[], oddId: { at: number; id: string } | undefined): Record<string, unknown>[] {
  let alarm = 0
  return tasks.map((task, index) => {
    const alarms = (task.alarms as Record<string, unknown>[] | undefined)?.map(spec => ({ id: `a${alarm++}`, ...spec }))
    const id = oddId !== undefined && oddId.at % tasks.length === index ? oddId.id : `t${index}`
    return { id, ...task, ...(alarms === undefined ? {} : { alarms }) }
  })
}

const tableArb = fc
  .record({
    version: mostly(fc.constant(1), 2),
    scheduling: fc.record({ policy: mostly(fc.constantFrom(...POLICIES), 'lottery'), quantumMs: mostly(fc.constantFrom(1, 0.5), 0), admission: fc.constantFrom('refuse', 'warn') }, { requiredKeys: ['policy'] }),
    tasks: fc.array(fc.oneof(syntheticArb, sampleArb), { minLength: 1, maxLength: 6 }),
    oddId: fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.record({ at: fc.nat(), id: fc.constantFrom('t0', 'Bad Id', '') }) }),
  })
  .map(({ tasks, oddId, ...table }) => ({ ...table, tasks: withIds(tasks, oddId) }))

describe('loadConfig under fuzzing', () => {
  it('mutated task tables load or are refused with path-named issues, on sim and on a Pi board', async t => {
    const tally = new Tally()
    const file = join(dir, 'mutated-table.json')
    await fc.assert(
      fc.asyncProperty(mutatedTable, async input => {
        const { text, log } = mutatedText(input)
        writeFileSync(file, text)
        await settle(tally, [file, SIM_FILE], () => loadConfig('sim', file), log)
        await settle(tally, [file, PI_FILE], () => loadConfig('raspberry-pi-4b', file), log)
      }),
      { numRuns: 1500 },
    )
    tally.report(t, 1500, 3000)
    assert.ok(tally.accepted > 0 && tally.rejected > 0, 'the mutations reach both outcomes')
  })

  it('mutated boards load or are refused with path-named issues, with two shipped tables', async t => {
    const tally = new Tally()
    const file = join(dir, 'mutated-board.json')
    await fc.assert(
      fc.asyncProperty(mutatedBoard, async input => {
        const { text, log } = mutatedText(input)
        writeFileSync(file, text)
        await settle(tally, [file, 'tasks/tables/sensors.json'], () => loadConfig(file, 'tasks/tables/sensors.json'), log)
        await settle(tally, [file, 'tasks/vehicle-braking.json'], () => loadConfig(file, 'tasks/vehicle-braking.json'), log)
      }),
      { numRuns: 500 },
    )
    tally.report(t, 500, 1000)
    assert.ok(tally.accepted > 0 && tally.rejected > 0, 'the mutations reach both outcomes')
  })

  it('any text as a table or a board file is a ConfigError; a syntax error names its line and column', async t => {
    const tally = new Tally()
    const file = join(dir, 'text.json')
    await fc.assert(
      fc.asyncProperty(textArb, async content => {
        writeFileSync(file, content)
        const text = readFileSync(file, 'utf8') // as the loader reads it (bad UTF-8 becomes U+FFFD)
        for (const [files, load] of [
          [[file, SIM_FILE], () => loadConfig('sim', file)],
          [[file, 'tasks/tables/sensors.json'], () => loadConfig(file, 'tasks/tables/sensors.json')],
        ] as const) {
          const error = await settle(tally, files, load)
          if (isJson(text)) continue
          assert.ok(error !== undefined, 'text that is not JSON is refused')
          const issues = error.issues.filter(issue => issue.file === file)
          assert.equal(issues.length, 1, error.message)
          assert.equal(issues[0]!.path, '(file)')
          const where = /^not valid JSON: [\s\S]+ at line (\d+), column (\d+)$/.exec(issues[0]!.message)
          assert.ok(where, `no line and column in ${JSON.stringify(issues[0]!.message)}`)
          assert.ok(Number(where[1]) >= 1 && Number(where[1]) <= text.split('\n').length && Number(where[2]) >= 1, issues[0]!.message)
        }
      }),
      { numRuns: 500 },
    )
    tally.report(t, 500, 1000)
  })

  it('generated tables on the sim board load or are refused with path-named issues', async t => {
    const tally = new Tally()
    const file = join(dir, 'generated.json')
    await fc.assert(
      fc.asyncProperty(tableArb, async table => {
        writeFileSync(file, JSON.stringify(table, null, 2))
        await settle(tally, [file, SIM_FILE], () => loadConfig('sim', file), [`table ${JSON.stringify(table)}`])
      }),
      { numRuns: 1000 },
    )
    tally.report(t, 1000, 1000)
    assert.ok(tally.accepted > 0 && tally.rejected > 0, 'the generator reaches both outcomes')
  })

  it('edgert validate exits 0 or 2 on mutated tables, as loadConfig decides, and never prints a stack trace', async t => {
    const seed = Date.now() % 2 ** 31
    const cases = await cliCases(seed, 20)
    const results = await inBatches(cases, 2, ({ file }) => validate(file))
    let accepted = 0
    for (const [index, result] of results.entries()) {
      const { file, loads } = cases[index]!
      const context = `seed ${seed}, ${file}: exit ${result.code}\n${result.stderr}`
      assert.ok(result.code === 0 || result.code === 2, context)
      assert.equal(result.code === 0, loads, context)
      assert.doesNotMatch(result.stderr, STACK, context)
      if (result.code === 0) accepted++
      else assert.match(result.stderr, /^edgert: \d+ problems? in the configuration:\n/, context)
    }
    t.diagnostic(`${cases.length} CLI runs (seed ${seed}): ${accepted} exited 0, ${cases.length - accepted} exited 2`)
  })
})

describe('regression: crashes found by fuzzing the loader', () => {
  it('an unterminated table 20000 brackets deep is a ConfigError at (file), not a stack overflow', async () => {
    const file = write('deep-brackets.json', '['.repeat(20_000))
    const error = await settle(new Tally(), [file, SIM_FILE], () => loadConfig('sim', file))
    assert.equal(error?.issues[0]?.path, '(file)')
  })

  it('an alarm condition nested 2000 levels deep is a ConfigError naming where, not a stack overflow', async () => {
    const file = write('deep-condition.json', deepConditionTable(2000))
    const error = await settle(new Tally(), [file, SIM_FILE], () => loadConfig('sim', file))
    assert.ok(error?.issues.some(issue => issue.path.startsWith('tasks[0].alarms[0].when')), error?.message)
  })

  it('edgert validate on that table exits 2 with the problem, not 1 with "Maximum call stack size exceeded"', async () => {
    const result = await validate(write('deep-condition-cli.json', deepConditionTable(2000)))
    assert.equal(result.code, 2, result.stderr)
    assert.doesNotMatch(result.stderr, /Maximum call stack/)
  })
})

/** A valid sample-task table whose one alarm condition is `depth` levels of {"any": [...]}. */
function deepConditionTable(depth: number): string {
  const leaf = '{ "channel": "distanceM", "setBelow": 1 }'
  const when = '{ "any": ['.repeat(depth) + leaf + '] }'.repeat(depth)
  const task = `{ "id": "lidar", "kind": "sample", "device": "lidar", "periodMs": 10, "budgetMs": 1, "alarms": [{ "id": "near", "severity": "low", "when": ${when} }] }`
  return `{ "version": 1, "scheduling": { "policy": "priority", "admission": "warn" }, "tasks": [${task}] }`
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/**
 * `count` mutated tables for the CLI, written to files: about a quarter that loadConfig accepts
 * (mutations rarely leave a table valid, so they are picked out of a larger sample), the rest refused.
 */
async function cliCases(seed: number, count: number): Promise<{ file: string; loads: boolean }[]> {
  const accepted: { file: string; loads: boolean }[] = []
  const refused: { file: string; loads: boolean }[] = []
  for (const [index, input] of fc.sample(mutatedTable, { numRuns: 400, seed }).entries()) {
    const file = write(`cli-${index}.json`, mutatedText(input).text)
    const loads = await loadConfig('sim', file).then(() => true, () => false)
    ;(loads ? accepted : refused).push({ file, loads })
    if (accepted.length >= count / 4 && refused.length >= count) break
  }
  const chosen = accepted.slice(0, Math.floor(count / 4))
  return [...chosen, ...refused.slice(0, count - chosen.length)]
}

/** `edgert validate --board sim --tasks file` in a child process (no EDGERT_DEBUG, so no stack is wanted). */
async function validate(file: string): Promise<{ code: number; stderr: string }> {
  const env = { ...process.env }
  delete env.EDGERT_DEBUG
  try {
    const { stderr } = await run(process.execPath, ['--import', 'tsx', 'runtime/cli/main.ts', 'validate', '--board', 'sim', '--tasks', file], { env, timeout: 30_000 })
    return { code: 0, stderr }
  } catch (error) {
    const failed = error as { code?: number | string; stderr?: string }
    return { code: typeof failed.code === 'number' ? failed.code : -1, stderr: failed.stderr ?? String(error) }
  }
}

/** Runs `work` over `items`, `width` at a time (each CLI start costs about a second of tsx). */
async function inBatches<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(work))))
  return results
}

