/** Default first topic level (issue 7: "prefix configurable, default edgert"). */
export const DEFAULT_TOPIC_PREFIX = 'edgert'

/** A topic level we build from a name: no wildcards, no separators, not empty, not a $SYS-like level. */
export function topicLevelProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty'
  if (/[+#/]/.test(value) || value.includes('\u0000')) return `"${value}" must not contain +, #, / or NUL (they are MQTT topic syntax)`
  if (value.startsWith('$')) return `"${value}" must not start with $ (brokers reserve such topics)`
  return undefined
}

/**
 * Every topic a device uses (docs/telemetry.md):
 * `<prefix>/<deviceId>/status | telemetry/<task> | alarms/<alarm> | alarms/<alarm>/events |
 * actuators/<output> | metrics | cmd/<name> | cmd-result`.
 */
export class Topics {
  readonly root: string

  constructor(prefix: string, deviceId: string) {
    for (const [what, value] of [['topic prefix', prefix], ['device id', deviceId]] as const) {
      const problem = topicLevelProblem(value)
      if (problem !== undefined) throw new RangeError(`${what} ${problem}`)
    }
    this.root = `${prefix}/${deviceId}`
  }

  get status(): string {
    return `${this.root}/status`
  }

  telemetry(taskId: string): string {
    return `${this.root}/telemetry/${taskId}`
  }

  alarm(alarmId: string): string {
    return `${this.root}/alarms/${alarmId}`
  }

  alarmEvents(alarmId: string): string {
    return `${this.root}/alarms/${alarmId}/events`
  }

  actuator(output: string): string {
    return `${this.root}/actuators/${output}`
  }

  get metrics(): string {
    return `${this.root}/metrics`
  }

  /** The filter the device subscribes to for its commands. */
  get commands(): string {
    return `${this.root}/cmd/+`
  }

  command(name: string): string {
    return `${this.root}/cmd/${name}`
  }

  /** The command's name from a topic under commands, or undefined. */
  commandName(topic: string): string | undefined {
    const head = `${this.root}/cmd/`
    return topic.startsWith(head) && !topic.slice(head.length).includes('/') ? topic.slice(head.length) : undefined
  }

  get commandResult(): string {
    return `${this.root}/cmd-result`
  }
}
