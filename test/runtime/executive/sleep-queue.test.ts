import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SleepQueue } from '../../../runtime/executive/sleep-queue.ts'

const item = (atMs: number, label: string) => ({ atMs, label })

function drain(queue: SleepQueue<{ atMs: number; label: string }>): string[] {
  const labels: string[] = []
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) labels.push(next.label)
  return labels
}

void describe('SleepQueue', () => {
  void it('gives items back earliest first, equal times in insertion order', () => {
    const queue = new SleepQueue<{ atMs: number; label: string }>()
    for (const [atMs, label] of [[5, 'e'], [1, 'a'], [3, 'c1'], [3, 'c2'], [9, 'z'], [1, 'a2'], [3, 'c3']] as const) {
      queue.insert(item(atMs, label))
    }
    assert.equal(queue.size, 7)
    assert.equal(queue.peek()?.label, 'a')
    assert.deepEqual(drain(queue), ['a', 'a2', 'c1', 'c2', 'c3', 'e', 'z'])
  })

  void it('removes a given item and keeps the order of the rest', () => {
    const queue = new SleepQueue<{ atMs: number; label: string }>()
    const middle = item(2, 'b')
    const first = item(1, 'a')
    for (const entry of [item(3, 'c'), middle, first, item(2, 'b2')]) queue.insert(entry)
    assert.equal(queue.remove(middle), true)
    assert.equal(queue.remove(middle), false)
    assert.equal(queue.remove(first), true)
    assert.deepEqual(drain(queue), ['b2', 'c'])
  })
})
