import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { AlarmStore, type AlarmStoreOptions, type StoredAlarm } from '../../../runtime/alarms/store.ts'
import { tempDir } from '../../helpers/temp-files.ts'

const { dir } = tempDir()
let folders = 0

/** A fresh folder per test, so file names and leftovers do not mix. */
function folder(): string {
  const path = join(dir, `case-${++folders}`)
  mkdirSync(path)
  return path
}

function store(file: string, nowMs: number, wallMs: number, extra: Partial<AlarmStoreOptions> = {}): AlarmStore {
  return new AlarmStore({ file, now: () => nowMs, wallNow: () => wallMs, onError: error => assert.fail(error), ...extra })
}

function alarm(id: string, overrides: Partial<StoredAlarm> = {}): StoredAlarm {
  return { id, state: 'active-unacknowledged', acknowledged: false, conditionActive: true, shelvedUntilMs: null, raisedAtMs: null, ...overrides }
}

function readJson(file: string): { version: number; savedAt: string; alarms: Array<Record<string, unknown>> } {
  return JSON.parse(readFileSync(file, 'utf8')) as never
}

describe('AlarmStore', () => {
  it('round-trips alarm states, storing wall-clock times and converting them back to the new run’s clock', async () => {
    const file = join(folder(), 'data', 'alarms.json') // the directory is created on the first save
    const before = store(file, 1000, 1_000_000)
    before.save([
      alarm('tank-high', { state: 'shelved', shelvedUntilMs: 6000, raisedAtMs: 400 }),
      alarm('door', { state: 'latched', acknowledged: true, conditionActive: false }),
    ])
    await before.flush()
    assert.equal(before.writes, 1)
    const saved = readJson(file)
    assert.equal(saved.version, 1)
    assert.equal(saved.savedAt, new Date(1_000_000).toISOString())
    assert.deepEqual(saved.alarms[0], { id: 'tank-high', state: 'shelved', acknowledged: false, conditionActive: true, shelvedUntil: 1_005_000, raisedAt: 999_400 })

    const after = await store(file, 50, 1_002_000).load() // "restart": the Clock starts again near 0
    assert.deepEqual(after.problems, [])
    assert.deepEqual(after.alarms.get('tank-high'), alarm('tank-high', { state: 'shelved', shelvedUntilMs: 3050, raisedAtMs: 50 + (999_400 - 1_002_000) }))
    assert.deepEqual(after.alarms.get('door'), alarm('door', { state: 'latched', acknowledged: true, conditionActive: false }))
    assert.deepEqual([...after.alarms.keys()], ['tank-high', 'door'])
  })

  it('loads no alarms and no problems when there is no file', async () => {
    const loaded = await store(join(folder(), 'alarms.json'), 0, 0).load()
    assert.equal(loaded.alarms.size, 0)
    assert.deepEqual(loaded.problems, [])
  })

  it('keeps a file that is not JSON aside, reports one problem naming it, and restores nothing', async () => {
    const path = folder()
    const file = join(path, 'alarms.json')
    writeFileSync(file, '{"version": 1, "alarms": [')
    const loaded = await store(file, 0, 1_700_000_000_000).load()
    assert.equal(loaded.alarms.size, 0)
    assert.equal(loaded.problems.length, 1)
    assert.match(loaded.problems[0]!, /alarms\.json: it is not valid JSON; .*kept as .*alarms\.json\.corrupt-1700000000000/)
    assert.equal(existsSync(file), false)
    assert.equal(readFileSync(`${file}.corrupt-1700000000000`, 'utf8'), '{"version": 1, "alarms": [')
  })

  it('keeps a file of an unknown version or shape aside instead of overwriting it', async () => {
    const path = folder()
    const file = join(path, 'alarms.json')
    writeFileSync(file, JSON.stringify({ version: 2, savedAt: 'x', alarms: [] }))
    const newer = await store(file, 0, 5).load()
    assert.equal(newer.alarms.size, 0)
    assert.equal(newer.problems.length, 1)
    assert.match(newer.problems[0]!, /version 2, and only version 1 is known/)
    assert.ok(existsSync(`${file}.corrupt-5`))

    writeFileSync(file, JSON.stringify([1, 2, 3]))
    const wrong = await store(file, 0, 6).load()
    assert.equal(wrong.problems.length, 1)
    assert.match(wrong.problems[0]!, /not an alarm state file/)
    assert.ok(existsSync(`${file}.corrupt-6`))
  })

  it('skips entries that fail validation, naming each, and restores the rest', async () => {
    const file = join(folder(), 'alarms.json')
    const good = { id: 'ok', state: 'normal', acknowledged: false, conditionActive: false, shelvedUntil: null, raisedAt: null }
    writeFileSync(file, JSON.stringify({
      version: 1,
      savedAt: new Date(0).toISOString(),
      alarms: [good, { ...good, id: 'pump', state: 'exploded' }, { ...good, id: undefined }, { ...good, shelvedUntil: 'soon' }],
    }))
    const loaded = await store(file, 0, 0).load()
    assert.deepEqual([...loaded.alarms.keys()], ['ok'])
    assert.equal(loaded.problems.length, 3)
    assert.match(loaded.problems[0]!, /alarms\.json: alarm 'pump' \(alarms\[1\]\) was skipped: state: /)
    assert.match(loaded.problems[1]!, /alarms\[2\] \(no id\) was skipped: id: /)
    assert.match(loaded.problems[2]!, /alarm 'ok' \(alarms\[3\]\) was skipped: shelvedUntil: /)
    assert.ok(existsSync(file), 'a file with bad entries is ours: it is not moved aside')
  })

  it('coalesces saves made while a write is in flight: fewer writes, and the newest snapshot wins', async () => {
    const file = join(folder(), 'alarms.json')
    const alarms = store(file, 0, 0)
    for (let i = 1; i <= 20; i++) alarms.save([alarm('a', { raisedAtMs: i })])
    await alarms.flush()
    assert.equal(alarms.writes, 1)
    assert.equal(readJson(file).alarms[0]?.raisedAt, 20)

    alarms.save([alarm('a', { raisedAtMs: 21 })])
    await nextTurn() // the write of 21 is now in flight
    for (let i = 22; i <= 30; i++) alarms.save([alarm('a', { raisedAtMs: i })])
    await alarms.flush()
    assert.ok(alarms.writes <= 3, `${alarms.writes} writes for 11 saves`)
    assert.equal(readJson(file).alarms[0]?.raisedAt, 30)
    assert.equal((await store(file, 0, 0).load()).alarms.get('a')?.raisedAtMs, 30)
  })

  it('returns from save() before anything touches the disk', async () => {
    const file = join(folder(), 'alarms.json')
    const alarms = store(file, 0, 0)
    alarms.save([alarm('a')])
    assert.equal(existsSync(file), false)
    assert.equal(alarms.writes, 0)
    await alarms.flush()
    assert.equal(alarms.writes, 1)
  })

  it('reports a failed save through onError, naming the file and the cause, and saves again on the next change', async () => {
    const path = folder()
    const blocker = join(path, 'data')
    writeFileSync(blocker, 'a file where the data directory should be')
    const file = join(blocker, 'alarms.json')
    const errors: Error[] = []
    const alarms = store(file, 0, 0, { onError: error => errors.push(error) })
    alarms.save([alarm('a')])
    await alarms.flush()
    assert.equal(errors.length, 1)
    assert.match(errors[0]!.message, /^cannot save alarm states to .*data\/alarms\.json: .*(ENOTDIR|EEXIST)/)
    assert.equal(alarms.writes, 0)

    rmSync(blocker)
    alarms.save([alarm('b')])
    await alarms.flush()
    assert.equal(errors.length, 1)
    assert.equal(alarms.writes, 1)
    assert.deepEqual([...(await store(file, 0, 0).load()).alarms.keys()], ['b'])
  })

  it('leaves no temporary file behind after a successful save', async () => {
    const path = folder()
    const alarms = store(join(path, 'alarms.json'), 0, 0)
    alarms.save([alarm('a')])
    alarms.save([alarm('b')])
    await alarms.flush()
    alarms.save([alarm('c')])
    await alarms.flush()
    assert.deepEqual(readdirSync(path), ['alarms.json'])
  })

  it('never lets a reader see a half-written file while saves are in flight', async () => {
    const path = folder()
    const file = join(path, 'alarms.json')
    const alarms = store(file, 0, 0)
    const many = (n: number): StoredAlarm[] => Array.from({ length: 500 }, (_, i) => alarm(`alarm-${i}`, { raisedAtMs: n }))
    alarms.save(many(0))
    await alarms.flush()
    const seen = new Set<unknown>()
    for (let n = 1; n <= 30; n++) {
      alarms.save(many(n))
      for (let turn = 0; turn < 5; turn++) {
        const text = readFileSync(file, 'utf8')
        const parsed = JSON.parse(text) as { alarms: Array<{ raisedAt: number }> } // throws on a torn file
        assert.equal(parsed.alarms.length, 500)
        assert.ok(parsed.alarms.every(entry => entry.raisedAt === parsed.alarms[0]?.raisedAt), 'one snapshot, not a mix')
        seen.add(parsed.alarms[0]?.raisedAt)
        await nextTurn()
      }
    }
    await alarms.flush()
    assert.equal(readJson(file).alarms[0]?.raisedAt, 30)
    assert.ok(seen.size > 1, 'the reads overlapped several writes')
  })

  it('is not confused by a temporary file left by a crash mid-write, and removes it', async () => {
    const path = folder()
    const file = join(path, 'alarms.json')
    const before = store(file, 0, 0)
    before.save([alarm('kept')])
    await before.flush()
    writeFileSync(`${file}.tmp-99999`, '{"version": 1, "savedAt": "2024-01-01T00:00:00.000Z", "alarms": [{"id": "tor')
    const loaded = await store(file, 0, 0).load()
    assert.deepEqual(loaded.problems, [])
    assert.deepEqual([...loaded.alarms.keys()], ['kept'])
    assert.deepEqual(readdirSync(path), ['alarms.json'])
  })
})
