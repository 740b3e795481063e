import { systemClock, type Clock } from '../clock.ts'
import { openPreciseClock } from '../executive/precise-clock.ts'
import type { RtThread, RtThreadOptions } from '../rt-thread/host.ts'
import { bootRun } from '../rt-thread/run-boot.ts'
import { applyCommand } from '../rt-thread/runtime-command.ts'
import { runtimeStatus } from '../rt-thread/status.ts'

/**
 * `edgert run --thread main`: the same runtime as the rt thread runs, on the main thread, behind
 * the same interface (for comparison, and for platforms where a worker is not wanted).
 */
export async function startOnMainThread(options: RtThreadOptions): Promise<RtThread> {
  const precise = options.clock === 'precise' ? await openPreciseClock({ realtimePriority: options.rtPriority ?? null }) : undefined
  const clock: Clock = precise ?? systemClock
  const inputs = {
    config: options.config,
    record: options.record ?? null,
    replay: options.replay ?? null,
    scenario: options.scenario ?? null,
    alarmStateFile: options.alarmStateFile ?? null,
    safeMode: options.safeMode === true,
    telemetry: options.onReadings !== undefined,
  }
  const run = await bootRun(inputs, clock, {
    event: options.onEvent,
    alarm: (event, wallMs) => options.onAlarm?.(event, wallMs),
    actuator: (change, wallMs) => options.onActuator?.(change, wallMs),
    notice: message => options.onNotice?.(message),
    readings: entries => options.onReadings?.(entries),
  })
  run.start()
  const { runtime } = run
  const status = () => runtimeStatus(runtime)
  return {
    clockStatus: precise?.status ?? null,
    threadRealtime: 'off',
    emergencySafe: () => runtime.actuators.toSafeSync().length === 0,
    metrics: () => Promise.resolve(status()),
    command: command => applyCommand(runtime, command),
    stop: async () => {
      const recorded = await run.stop()
      await precise?.close()
      return { ...status(), recorded, scenario: runtime.scenario?.report() ?? null }
    },
  }
}
