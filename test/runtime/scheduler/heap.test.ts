import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { IndexedHeap } from '../../../runtime/scheduler/heap.ts'

interface Item { key: number; id: number; at: number }
const heapOf = () => new IndexedHeap<Item>({ get: item => item.at, set: (item, at) => void (item.at = at) }, (a, b) => (a.key !== b.key ? a.key < b.key : a.id < b.id))

describe('IndexedHeap', () => {
  it('pops in key order after any mix of pushes, removals and key updates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 50 }), fc.boolean())),
        (keys, edits) => {
          const heap = heapOf()
          const items = keys.map((key, id) => ({ key, id, at: -1 }))
          for (const item of items) heap.push(item)
          for (const [pick, key, remove] of edits) {
            const item = items[pick % items.length]!
            if (remove) heap.remove(item)
            else if (heap.has(item)) {
              item.key = key
              heap.update(item)
            }
          }
          const expected = items.filter(item => item.at >= 0).sort((a, b) => a.key - b.key || a.id - b.id)
          const popped: Item[] = []
          for (let item = heap.pop(); item !== undefined; item = heap.pop()) popped.push(item)
          assert.deepEqual(popped.map(i => i.id), expected.map(i => i.id))
          assert.ok(popped.every(i => i.at === -1))
        },
      ),
    )
  })

  it('refuses to hold an item twice', () => {
    const heap = heapOf()
    const item = { key: 1, id: 1, at: -1 }
    heap.push(item)
    assert.throws(() => heap.push(item), /already in the heap/)
  })
})
