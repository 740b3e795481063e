import { Bench } from 'tinybench'
import { Alarm } from '../runtime/alarms/alarm.ts'
import { channelCell, type ChannelCell } from '../runtime/alarms/channel-cell.ts'
import { compileCondition } from '../runtime/alarms/condition.ts'
import { FilterChain } from '../runtime/filters/chain.ts'
import type { FilterSample } from '../runtime/filters/filter.ts'
import { AlarmSpec, FilterSpec } from '../tasks/alarm-schema.ts'
import { openDecisionHarness } from './decision-harness.ts'

export interface MicroResult {
  /** Key for --json: `alarms.<key>.…`. */
  readonly key: string
  readonly name: string
  /** Mean cost of one operation, ns (a tinybench sample is a batch of BATCH operations). */
  readonly nsPerOp: number
  /** p99 over the batches, per operation, ns. */
  readonly p99NsPerOp: number
  readonly opsPerS: number
  readonly samples: number
}

/**
 * Operations per tinybench sample. One operation takes tens of ns, less than a clock read
 * (~80 ns, reference R.7), so each sample times a batch and the figures are divided by it.
 */
const BATCH = 1000
/** Values the cells and readings cycle through (precomputed: nothing is computed or allocated per operation). */
const CYCLE = 1024

/**
 * Micro-benchmarks of the reading stages, one operation each:
 * - level alarm: Alarm + level condition with hysteresis (set above 100, clear below 90) on a
 *   cell following a triangle wave 80 ↔ 110 (step 1: two transitions every 60 evaluations);
 * - composite any: an alarm on `any` of that leaf and a below-leaf (set below 1, clear above 1.5)
 *   on a second cell following 0.5 ↔ 2;
 * - filter chain: median 5 → moving-average 5 → deadband 0.05, on a noisy value;
 * - pipeline: TaskPipeline.onReading of a lidar reading with the vehicle table's processing
 *   (faultAs, median 3) and derived channels (closing speed over 4, time to collision), the
 *   distance drifting 4-5 m in whole cm as the TF-Luna reports it;
 * - decision: the same reading through the pipeline, the lidar's two alarms and the arbiter
 *   (AlarmEngine.evaluateTask), nothing crossing a threshold (no write).
 */
export async function runAlarmMicroBench(options: { timeMs: number }): Promise<MicroResult[]> {
  const bench = new Bench({ name: 'alarms', time: options.timeMs, warmupTime: Math.min(200, options.timeMs / 5), throws: true })
  const names = new Map<string, string>()
  // Cases that share state (the harness's lidar) share the position in their wave too: tinybench
  // warms every case up before measuring any, and a jump in distance would look like an obstacle.
  const add = (key: string, name: string, op: (i: number) => void, at = { i: 0 }): void => {
    names.set(name, key)
    bench.add(name, () => {
      for (let n = 0; n < BATCH; n++) op(at.i++ & (CYCLE - 1))
    })
  }
  const triangle = wave(CYCLE, i => 80 + Math.abs((i % 60) - 30))
  const low = wave(CYCLE, i => 0.5 + Math.abs((i % 40) - 20) * 0.075)
  const noisy = wave(CYCLE, i => 20 + Math.sin(i / 50) + (((i * 7919) % 13) - 6) * 0.01)
  const distanceM = wave(CYCLE, i => (400 + Math.abs((i % 200) - 100)) / 100)

  const level = alarmOn({ channel: 'x', setAbove: 100, clearAbove: 90 })
  add('level-hysteresis', 'alarm: level + hysteresis, changing cell', i => level.evaluate(triangle[i]!, 0))
  const any = alarmOn({ any: [{ channel: 'x', setAbove: 100, clearAbove: 90 }, { channel: 'y', setBelow: 1, clearBelow: 1.5 }] })
  add('composite-any', 'alarm: any of two level leaves', i => any.evaluate(triangle[i]!, low[i]!))

  const chain = new FilterChain([{ type: 'median', samples: 5 }, { type: 'moving-average', samples: 5 }, { type: 'deadband', absolute: 0.05 }].map(spec => FilterSpec.parse(spec)))
  const sample: FilterSample = { value: 0, atMs: 0, report: true }
  add('filter-chain', 'filters: median 5 + moving-average 5 + deadband', i => {
    sample.value = noisy[i]!
    sample.atMs += 10
    sample.report = true
    chain.apply(sample)
  })

  const harness = await openDecisionHarness()
  try {
    const lidarAt = { i: 0 }
    add('pipeline', 'TaskPipeline.onReading (vehicle lidar)', i => harness.step(distanceM[i]!), lidarAt)
    add(
      'decision',
      'pipeline + alarms + arbiter (no write)',
      i => {
        if (harness.decide(distanceM[i]!) !== undefined) throw new Error('alarm micro: a drifting far reading wrote an output')
      },
      lidarAt,
    )
    await bench.run()
  } finally {
    await harness.close()
  }
  return bench.tasks.map(task => {
    if (task.result.state !== 'completed') throw new Error(`alarm micro ${task.name}: ${task.result.state}`)
    const { mean, p99, samplesCount } = task.result.latency
    const nsPerOp = (mean * 1e6) / BATCH
    return { key: names.get(task.name)!, name: task.name, nsPerOp, p99NsPerOp: (p99 * 1e6) / BATCH, opsPerS: 1e9 / nsPerOp, samples: samplesCount }
  })
}

function good(cell: ChannelCell, value: number, atMs: number): void {
  cell.value = value
  cell.atMs = atMs
  cell.quality = 'good'
  cell.reason = undefined
}

function wave(length: number, at: (i: number) => number): Float64Array {
  return Float64Array.from({ length }, (_, i) => at(i))
}

/** An alarm on cells 'plant.x' and 'plant.y', parsed as a table entry; evaluate() writes both cells 10 ms later and evaluates. */
function alarmOn(when: unknown): { evaluate(x: number, y: number): void } {
  const cells = new Map<string, ChannelCell>([
    ['x', channelCell('plant.x', 1000)],
    ['y', channelCell('plant.y', 1000)],
  ])
  const spec = AlarmSpec.parse({ id: 'bench', severity: 'medium', when })
  const resolve = (ref: string): ChannelCell => cells.get(ref)!
  const alarm = new Alarm(spec, compileCondition(spec.when, resolve, [...cells.values()]), 'plant')
  const x = cells.get('x')!
  const y = cells.get('y')!
  const time = { nowMs: 0 }
  return {
    evaluate: (xValue, yValue) => {
      time.nowMs += 10
      good(x, xValue, time.nowMs)
      good(y, yValue, time.nowMs)
      alarm.evaluate(time.nowMs)
    },
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runAlarmMicroBench({ timeMs: 500 })) console.log(`${r.name.padEnd(50)} ${r.nsPerOp.toFixed(1).padStart(8)} ns/op  ${Math.round(r.opsPerS).toLocaleString('en').padStart(12)} ops/s`)
}
