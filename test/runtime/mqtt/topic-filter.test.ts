import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isTopicFilter, isTopicName, topicMatches } from '../../../runtime/mqtt/topic-filter.ts'

// The examples of MQTT 3.1.1 §4.7.1.2, §4.7.1.3 and §4.7.2.
const MATCHES: [filter: string, topic: string, matches: boolean][] = [
  ['sport/tennis/player1/#', 'sport/tennis/player1', true],
  ['sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
  ['sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', true],
  ['sport/#', 'sport', true],
  ['#', 'sport/tennis', true],
  ['sport/tennis/+', 'sport/tennis/player1', true],
  ['sport/tennis/+', 'sport/tennis/player1/ranking', false],
  ['sport/+', 'sport', false],
  ['sport/+', 'sport/', true],
  ['+/+', '/finance', true],
  ['/+', '/finance', true],
  ['+', '/finance', false],
  ['#', '$SYS/broker/uptime', false],
  ['+/monitor/Clients', '$SYS/monitor/Clients', false],
  ['$SYS/#', '$SYS/broker/uptime', true],
  ['$SYS/monitor/+', '$SYS/monitor/Clients', true],
  ['dev/a/cmd', 'dev/a/cmd', true],
  ['dev/a/cmd', 'dev/a/cmd/x', false],
  ['dev/a/cmd', 'dev/a', false],
]

test('matches topics against filters as MQTT §4.7 does', () => {
  for (const [filter, topic, matches] of MATCHES) assert.equal(topicMatches(filter, topic), matches, `${filter} vs ${topic}`)
})

test('accepts only well-formed filters', () => {
  for (const filter of ['#', '+', 'a/+/b', 'a/#', '+/+', '/', 'a//b']) assert.equal(isTopicFilter(filter), true, filter)
  for (const filter of ['', 'a/#/b', 'a#', 'a/b+', '+a', 'a\u0000b']) assert.equal(isTopicFilter(filter), false, filter)
})

test('accepts only topic names without wildcards', () => {
  for (const topic of ['a', 'a/b', '/', 'dev/edge-01/alarm']) assert.equal(isTopicName(topic), true, topic)
  for (const topic of ['', 'a/+', 'a/#', 'a\u0000', 'x'.repeat(65_536)]) assert.equal(isTopicName(topic), false, topic.slice(0, 10))
})
