import { Bench } from 'tinybench'
import { Scheduler, periodicTask } from '../runtime/scheduler/scheduler.ts'
import type { Policy } from '../runtime/scheduler/types.ts'
import { StepClock } from './step-clock.ts'

export interface DispatchResult {
  readonly name: string
  readonly tasks: number
  readonly policy: Policy
  /** Mean cost of one job (release, ready queue, dispatch, start, completion, metrics), µs. */
  readonly perJobUs: number
  readonly p99PerJobUs: number
  readonly samples: number
}

/**
 * Dispatch cost at 10, 100 and 1,000 tasks: every task has the same 1 ms period and a body that
 * returns at once, so each loop iteration releases and runs `n` jobs; the per-job cost is the
 * iteration's time divided by n. Target (issue 2): <= 1 µs per job at 1,000 tasks.
 */
export async function runDispatchBench(options: { timeMs: number; policies?: readonly Policy[]; sizes?: readonly number[] } = { timeMs: 1000 }): Promise<DispatchResult[]> {
  const policies = options.policies ?? ['edf', 'priority']
  const sizes = options.sizes ?? [10, 100, 1000]
  const bench = new Bench({ name: 'dispatch', time: options.timeMs, warmupTime: Math.min(200, options.timeMs / 5), throws: true })
  const stoppers: (() => Promise<void>)[] = []
  for (const policy of policies) {
    for (const n of sizes) {
      const clock = new StepClock()
      let ran = 0
      const tasks = Array.from({ length: n }, (_, i) =>
        periodicTask({ id: `t${i}`, periodMs: 1, budgetMs: 0.5, priority: i % 10, run: () => void ran++ }),
      )
      const scheduler = new Scheduler({ clock, settings: { policy, quantumMs: 1 }, tasks })
      scheduler.start() // its loop now sleeps on this StepClock until the bench steps it
      bench.add(`${policy} ${n} tasks`, () => clock.step(1))
      stoppers.push(async () => {
        await scheduler.stop() // aborts the loop's sleep; the job bodies are synchronous
        if (ran === 0) throw new Error(`dispatch bench ${policy}/${n}: no job ran`)
      })
    }
  }
  await bench.run()
  for (const stop of stoppers) await stop()
  return bench.tasks.map(task => {
    const [policy, count] = task.name.split(' ') as [Policy, string]
    const n = Number(count)
    if (task.result.state !== 'completed') throw new Error(`dispatch bench ${task.name}: ${task.result.state}`)
    const { mean, p99, samplesCount } = task.result.latency
    return { name: task.name, tasks: n, policy, perJobUs: (mean * 1000) / n, p99PerJobUs: (p99 * 1000) / n, samples: samplesCount }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runDispatchBench({ timeMs: 1000 })) console.log(`${r.name.padEnd(20)} ${r.perJobUs.toFixed(3)} µs/job (p99 ${r.p99PerJobUs.toFixed(3)}), ${r.samples} samples`)
}
