import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { jsonErrorOffset, lineAndColumn } from '../../../runtime/config/json-error-offset.ts'

describe('jsonErrorOffset', () => {
  it('finds nothing wrong in anything JSON.stringify writes', () => {
    fc.assert(fc.property(fc.jsonValue(), value => assert.equal(jsonErrorOffset(JSON.stringify(value, null, 2)), undefined)))
  })

  it('agrees with JSON.parse on whether random text is JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map(v => JSON.stringify(v)).chain(s => fc.nat(s.length).map(cut => s.slice(0, cut) + s.slice(cut + 1)))), text => {
        let valid = true
        try {
          JSON.parse(text)
        } catch {
          valid = false
        }
        assert.equal(jsonErrorOffset(text) === undefined, valid, JSON.stringify(text))
      }),
    )
  })

  it('points at the offending character', () => {
    const text = '{\n  "version": 1,\n  "tasks": [,]\n}'
    assert.deepEqual(lineAndColumn(text, jsonErrorOffset(text)!), { line: 3, column: 13 })
    assert.equal(jsonErrorOffset('{"a": 1,}'), 8)
    assert.equal(jsonErrorOffset('{"a": 1'), 7)
    assert.equal(jsonErrorOffset('[1 2]'), 3)
    assert.equal(jsonErrorOffset("{'a': 1}"), 1)
  })
})
