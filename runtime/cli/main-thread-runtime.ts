import { boot } from '../boot.ts'
import { systemClock, type Clock } from '../clock.ts'
import { openPreciseClock } from '../executive/precise-clock.ts'
import { Recorder } from '../readings/recorder.ts'
import type { RtThread, RtThreadOptions } from '../rt-thread/host.ts'
import { toWireEvent } from '../rt-thread/protocol.ts'
import { runtimeStatus } from '../rt-thread/status.ts'

/**
 * `edgert run --thread main`: the same runtime as the rt thread runs, on the main thread, behind
 * the same interface (for comparison, and for platforms where a worker is not wanted).
 */
export async function startOnMainThread(options: RtThreadOptions): Promise<RtThread> {
  const precise = options.clock === 'precise' ? await openPreciseClock({ realtimePriority: options.rtPriority ?? null }) : undefined
  const clock: Clock = precise ?? systemClock
  const { config, onEvent } = options
  const recorder = options.record === undefined ? undefined : new Recorder(options.record, { board: config.board.id, tasks: config.tasksFile, startMs: clock.now() })
  const runtime = await boot(config, {
    clock,
    onEvent: event => onEvent(toWireEvent(event)),
    onSafeState: (taskId, reason) => onEvent({ type: 'safe-state', taskId, atMs: clock.now(), reason }),
    ...(recorder === undefined ? {} : { onReading: (taskId, device, reading) => recorder.record(taskId, device, reading) }),
    ...(options.replay === undefined ? {} : { replay: options.replay }),
    ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
    ...(options.onAlarm === undefined ? {} : { onAlarm: options.onAlarm }),
    ...(options.onActuator === undefined ? {} : { onActuator: options.onActuator }),
    ...(options.onNotice === undefined ? {} : { onNotice: options.onNotice }),
    ...(options.alarmStateFile === undefined ? {} : { alarmState: { file: options.alarmStateFile, wallNow: () => Date.now() } }),
  })
  runtime.start()
  const status = () => runtimeStatus(runtime)
  return {
    clockStatus: precise?.status ?? null,
    threadRealtime: 'off',
    emergencySafe: () => runtime.actuators.toSafeSync().length === 0,
    metrics: () => Promise.resolve(status()),
    command: (alarmId, command, durationMs) => runtime.alarms.engine.command(alarmId, command, durationMs === undefined ? {} : { durationMs }),
    stop: async () => {
      await runtime.stop()
      await precise?.close()
      await recorder?.close()
      const recorded = recorder === undefined ? null : { written: recorder.written, dropped: recorder.dropped, failure: recorder.failure?.message ?? null }
      return { ...status(), recorded, scenario: runtime.scenario?.report() ?? null }
    },
  }
}
