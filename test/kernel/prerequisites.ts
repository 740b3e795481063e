import { execFileSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, join } from 'node:path'

/** What the kernel test needs, and the Debian package (or step) that provides it. */
const COMMANDS: readonly (readonly [command: string, aptPackage: string])[] = [
  ['qemu-system-x86_64', 'qemu-system-x86'],
  ['cpio', 'cpio'],
  ['depmod', 'kmod'],
  ['modprobe', 'kmod'],
  ['xz', 'xz-utils'],
  ['gcc', 'gcc'],
  ['make', 'make'],
  ['apt-get', 'apt'],
  ['dpkg-deb', 'dpkg'],
]

export interface Missing {
  /** Debian packages to install (apt-get install -y --no-install-recommends …). */
  readonly aptPackages: readonly string[]
  /** Anything else, as instructions. */
  readonly steps: readonly string[]
}

/** Lists what is missing on this host for test/kernel (empty lists: nothing). */
export function missingPrerequisites(): Missing {
  const aptPackages = new Set<string>()
  const steps: string[] = []
  if (process.platform !== 'linux' || process.arch !== 'x64') steps.push('an x86-64 Linux host (the guest runs the host\'s own node binary)')
  for (const [command, aptPackage] of COMMANDS) if (!onPath(command)) aptPackages.add(aptPackage)
  if (!installed('busybox-static')) aptPackages.add('busybox-static') // the initramfs has no libc
  const abi = kernelAbi()
  if (abi === undefined) steps.push('apt-get update (apt-cache knows no linux-image-amd64)')
  else if (!exists(`/usr/src/linux-headers-${abi}`)) aptPackages.add('linux-headers-amd64')
  for (const name of ['onoff', 'i2c-bus']) {
    try {
      createRequire(import.meta.url)(name) // i2c-bus loads its native build here
    } catch {
      steps.push(`the ${name} package with its native build (npm install; it is an optionalDependency)`)
    }
  }
  return { aptPackages: [...aptPackages], steps }
}

export function describeMissing(missing: Missing): string {
  const parts = [...missing.steps]
  if (missing.aptPackages.length > 0) parts.unshift(`apt-get install -y --no-install-recommends ${missing.aptPackages.join(' ')}`)
  return parts.join('; ')
}

/** The kernel ABI Debian's linux-image-amd64 points at now (6.1.0-57-amd64), as build-guest.sh resolves it. */
function kernelAbi(): string | undefined {
  try {
    const depends = execFileSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    return /Depends: linux-image-(\d\S*)/.exec(depends)?.[1]
  } catch {
    return undefined
  }
}

function installed(aptPackage: string): boolean {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', aptPackage], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes('install ok installed')
  } catch {
    return false
  }
}

function onPath(command: string): boolean {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin']
  return dirs.some(dir => dir !== '' && exists(join(dir, command), constants.X_OK))
}

function exists(path: string, mode = constants.F_OK): boolean {
  try {
    accessSync(path, mode)
    return true
  } catch {
    return false
  }
}
