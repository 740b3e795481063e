import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { describe, it } from 'node:test'
import { quoteArg, renderUnit, type UnitSettings } from '../../../runtime/service/unit-file.ts'
import { tempDir } from '../../helpers/temp-files.ts'

const settings: UnitSettings = {
  name: 'edgert',
  description: 'edgert: vehicle braking on raspberry-pi-4b',
  user: 'edge',
  groups: ['gpio', 'i2c', 'dialout'],
  nodePath: process.execPath,
  cliPath: '/usr/lib/node_modules/edgert/dist/runtime/cli/main.js',
  runArgs: ['--board', 'raspberry-pi-4b', '--tasks', '/etc/edgert/vehicle braking.json', '--data-dir', '/var/lib/edgert', '--topic-prefix', 'site%1'],
  dataDir: '/var/lib/edgert',
  watchdogSec: 10,
  rtPriority: null,
  environmentFile: '/etc/edgert/edgert.env',
  readsHome: false,
  writtenBy: 'test',
}

/** `Key=value` lines of one section. */
function section(unit: string, name: string): string[] {
  const lines = unit.split('\n')
  const start = lines.indexOf(`[${name}]`)
  const end = lines.findIndex((line, i) => i > start && line.startsWith('['))
  return lines.slice(start + 1, end === -1 ? undefined : end).filter(line => line !== '' && !line.startsWith('#'))
}

const systemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0

describe('renderUnit', () => {
  it('a Type=notify service with the watchdog, restarts except on bad input, the state directory and the device groups', () => {
    const service = section(renderUnit(settings), 'Service')
    for (const line of ['Type=notify', 'NotifyAccess=main', 'WatchdogSec=10', 'Restart=on-failure', 'RestartPreventExitStatus=2', 'User=edge', 'SupplementaryGroups=gpio i2c dialout', 'StateDirectory=edgert', 'ProtectSystem=strict', 'ProtectHome=yes', 'NoNewPrivileges=yes', 'RestrictRealtime=yes', 'DevicePolicy=closed', 'DeviceAllow=char-i2c rw']) {
      assert.ok(service.includes(line), `${line} in\n${service.join('\n')}`)
    }
    assert.ok(!service.some(line => line.startsWith('MemoryDenyWriteExecute') || line.startsWith('ProtectKernelTunables')), 'V8 JIT and sysfs GPIO need these off')
    assert.equal(service.find(line => line.startsWith('ExecStart=')), `ExecStart=${process.execPath} /usr/lib/node_modules/edgert/dist/runtime/cli/main.js run --board raspberry-pi-4b --tasks "/etc/edgert/vehicle braking.json" --data-dir /var/lib/edgert --topic-prefix site%%1`)
    assert.ok(section(renderUnit(settings), 'Unit').includes('StartLimitIntervalSec=0'))
  })

  it('with an rt priority: LimitRTPRIO instead of RestrictRealtime; a table under /home stays readable; a data dir elsewhere is writable', () => {
    const service = section(renderUnit({ ...settings, rtPriority: 80, readsHome: true, dataDir: '/srv/edgert' }), 'Service')
    assert.ok(service.includes('LimitRTPRIO=80'))
    assert.ok(!service.includes('RestrictRealtime=yes'))
    assert.ok(service.includes('ProtectHome=read-only'))
    assert.ok(service.includes('ReadWritePaths=/srv/edgert'))
    assert.ok(!service.some(line => line.startsWith('StateDirectory=')))
  })

  it('systemd-analyze verify accepts it: no unknown key, no bad value', { skip: systemdAnalyze ? false : 'systemd-analyze is not installed (Debian package systemd)' }, () => {
    const { write } = tempDir()
    const file = write('edgert.service', renderUnit({ ...settings, rtPriority: 50 }))
    const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' })
    const complaints = `${result.stdout}${result.stderr}`.split('\n').filter(line => /Unknown|Invalid|Failed|ignoring|bad/i.test(line) && !/ExecStart.*is not executable|No such file/.test(line))
    assert.deepEqual(complaints, [])
  })
})

describe('quoteArg (systemd command-line words)', () => {
  it('leaves plain words, quotes white space and quotes, doubles % and $', () => {
    assert.equal(quoteArg('/usr/bin/node'), '/usr/bin/node')
    assert.equal(quoteArg('a b'), '"a b"')
    assert.equal(quoteArg('say "hi"'), '"say \\"hi\\""')
    assert.equal(quoteArg('100%'), '100%%')
    assert.equal(quoteArg('$HOME'), '$$HOME')
    assert.equal(quoteArg(''), '""')
  })
})
