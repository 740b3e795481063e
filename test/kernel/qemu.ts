import { spawn } from 'node:child_process'
import { join } from 'node:path'

export interface GuestRun {
  /** Everything the guest and QEMU printed. */
  readonly console: string
  /** The guest script's exit status (EDGERT_GUEST_EXIT=), or undefined if it never got there. */
  readonly status: number | undefined
  readonly wallMs: number
  readonly timedOut: boolean
}

/**
 * Boots the guest that build-guest.sh made, runs `script` (a host path) inside it, and resolves
 * once QEMU exits. TCG, not KVM: /dev/kvm on these machines is PVM-only and a stock kernel hangs
 * under it (shared/reference/kernel-vm/README.md). One vCPU is faster than two here. The
 * uncompressed vmlinux boots through its PVH entry, skipping firmware and decompression.
 * The host's / is shared read-only (multidevs=remap: several host filesystems behind one share
 * otherwise collide on inode numbers) and `outDir` writable.
 */
export function bootGuest(options: { buildDir: string; script: string; outDir: string; timeoutMs: number }): Promise<GuestRun> {
  const args = [
    '-accel', 'tcg', '-cpu', 'max', '-smp', '1', '-m', '1024',
    '-nodefaults', '-display', 'none', '-no-reboot', '-serial', 'stdio',
    '-kernel', join(options.buildDir, 'vmlinux'), '-initrd', join(options.buildDir, 'initramfs.cpio.gz'),
    '-append', `console=ttyS0 quiet loglevel=3 panic=-1 edgert.run=${options.script} edgert.out=${options.outDir}`,
    '-fsdev', 'local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap',
    '-device', 'virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot',
    '-fsdev', `local,id=out,path=${options.outDir},security_model=none`,
    '-device', 'virtio-9p-pci,fsdev=out,mount_tag=out',
  ]
  const startMs = performance.now()
  const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  qemu.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  qemu.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    qemu.kill('SIGKILL')
  }, options.timeoutMs)
  return new Promise((resolve, reject) => {
    qemu.on('error', error => {
      clearTimeout(timer)
      reject(error)
    })
    qemu.on('close', () => {
      clearTimeout(timer)
      const marker = [...output.matchAll(/EDGERT_GUEST_EXIT=(\d+)/g)].at(-1)
      resolve({ console: output, status: marker === undefined ? undefined : Number(marker[1]), wallMs: performance.now() - startMs, timedOut })
    })
  })
}
