// MQTT topic names and filters, MQTT 3.1.1 §4.7 (the same rules hold in MQTT 5 §4.7).

/** MQTT-1.5.3: strings are UTF-8 with a 16-bit length prefix. */
const MAX_TOPIC_BYTES = 65_535

/** A topic to publish to: non-empty (MQTT-4.7.3-1), no wildcards (MQTT-3.3.2-2), no U+0000 (MQTT-4.7.3-2). */
export function isTopicName(topic: string): boolean {
  if (topic.length === 0 || topic.includes('+') || topic.includes('#') || topic.includes('\u0000')) return false
  return Buffer.byteLength(topic) <= MAX_TOPIC_BYTES
}

/** A filter to subscribe with: `+` fills a whole level (MQTT-4.7.1-3), `#` is last and alone (MQTT-4.7.1-2). */
export function isTopicFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000') || Buffer.byteLength(filter) > MAX_TOPIC_BYTES) return false
  const levels = filter.split('/')
  return levels.every((level, index) => {
    if (level.includes('#')) return level === '#' && index === levels.length - 1
    return !level.includes('+') || level === '+'
  })
}

/**
 * Whether `topic` matches `filter` (both assumed valid). A filter starting with a wildcard does not
 * match a topic starting with `$` (MQTT-4.7.2-1), so `#` does not see `$SYS/…`.
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false
  const filterLevels = filter.split('/')
  const topicLevels = topic.split('/')
  for (let index = 0; index < filterLevels.length; index++) {
    const level = filterLevels[index]
    // `sport/#` also matches `sport` itself (MQTT 3.1.1 §4.7.1.2, non-normative example).
    if (level === '#') return true
    if (index >= topicLevels.length) return false
    if (level !== '+' && level !== topicLevels[index]) return false
  }
  return filterLevels.length === topicLevels.length
}
