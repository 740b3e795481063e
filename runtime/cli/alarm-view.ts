import type { Level } from '../../drivers/hal/gpio.ts'
import type { ActuatorChange } from '../actuators.ts'
import type { AlarmEvent, AlarmStatus } from '../alarms/engine.ts'
import { formatNumber, textTable } from './table.ts'

/** "collision-imminent (high): raised — lidar.timeToCollisionS 0.98, lidar.distanceM 7.84" */
export function alarmLine(event: AlarmEvent): string {
  const inputs = event.inputs.map(input => `${input.channel} ${input.trust === 'good' ? formatNumber(input.value) : `${input.trust}${input.reason === undefined ? '' : ` (${input.reason})`}`}`).join(', ')
  const kind = event.category === 'technical' ? 'technical alarm' : 'alarm'
  return `${kind} ${event.alarmId} (${event.severity}): ${describe(event)}${inputs === '' ? '' : ` — ${inputs}`}`
}

function describe(event: AlarmEvent): string {
  if (event.cause === 'restore') return `restored as ${event.to} (it was so before the restart)`
  if (event.cause !== 'condition') return `${event.cause}: ${event.from} → ${event.to}`
  if (event.from === 'normal' || event.from === 'returned-unacknowledged') return 'RAISED'
  if (event.to === 'latched') return 'condition cleared, LATCHED until reset'
  return event.to === 'normal' ? 'cleared' : `condition cleared (${event.to})`
}

/** "brake → 1 (alarm collision-imminent)" */
export function actuatorLine(change: ActuatorChange): string {
  return `output ${change.output} → ${change.level} (${change.cause}${change.by === undefined ? '' : ` ${change.by}`})`
}

/** The alarms that are not normal, and the outputs' levels. */
export function alarmsTable(alarms: readonly AlarmStatus[], outputs: Readonly<Record<string, Level>>): string {
  const lines: string[] = []
  const notNormal = alarms.filter(alarm => alarm.state !== 'normal')
  lines.push(notNormal.length === 0 ? `alarms: all ${alarms.length} normal` : textTable(['alarm', 'severity', 'kind', 'state', 'task'], notNormal.map(a => [a.id, a.severity, a.category, a.state, a.taskId])))
  const levels = Object.entries(outputs)
  if (levels.length > 0) lines.push(`outputs: ${levels.map(([name, level]) => `${name}=${level}`).join('  ')}`)
  return lines.join('\n')
}
