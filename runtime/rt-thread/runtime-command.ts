import type { AlarmCommand, CommandReply } from '../alarms/engine.ts'
import type { ThresholdName } from '../alarms/condition.ts'
import type { Runtime } from '../boot.ts'

/** An operator's command for the running runtime (plain data: it crosses the thread boundary). */
export type RuntimeCommand =
  | { readonly kind: 'alarm'; readonly alarmId: string; readonly command: AlarmCommand; readonly durationMs?: number }
  | { readonly kind: 'threshold'; readonly alarmId: string; readonly name: ThresholdName; readonly value: number }
  | { readonly kind: 'task'; readonly taskId: string; readonly action: 'pause' | 'resume' }

/** Applies a command where the runtime runs; every refusal is a reason, never an exception. */
export async function applyCommand(runtime: Runtime, command: RuntimeCommand): Promise<CommandReply> {
  try {
    switch (command.kind) {
      case 'alarm':
        return await runtime.alarms.engine.command(command.alarmId, command.command, command.durationMs === undefined ? {} : { durationMs: command.durationMs })
      case 'threshold':
        return runtime.alarms.engine.setThreshold(command.alarmId, command.name, command.value)
      case 'task': {
        const ids = runtime.scheduler.metrics().map(task => task.id)
        if (!ids.includes(command.taskId)) return { ok: false, reason: `no task "${command.taskId}" (tasks: ${ids.join(', ')})` }
        const paused = runtime.scheduler.isPaused(command.taskId)
        if (command.action === 'pause') {
          if (paused) return { ok: false, reason: `task "${command.taskId}" is already paused` }
          runtime.scheduler.pause(command.taskId)
        } else {
          if (!paused) return { ok: false, reason: `task "${command.taskId}" is not paused` }
          runtime.scheduler.resume(command.taskId)
        }
        return { ok: true }
      }
    }
  } catch (error) {
    return { ok: false, reason: `the command was accepted but could not be applied: ${error instanceof Error ? error.message : String(error)}` }
  }
}
