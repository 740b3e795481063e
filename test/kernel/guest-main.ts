/**
 * The guest's main thread. It runs each part of the kernel suites in its own worker thread, in
 * turn, as the runtime runs its hardware in the rt worker: the contract suites first, then a
 * second thread that opens GPIO again after the first thread has ended (onoff's epoll addon
 * would have crashed the process by then: drivers/linux/onoff-loader.ts). Each part's node:test
 * TAP goes to <out>/<part>.tap; <out>/done.json says the process outlived them all.
 *   node --import tsx test/kernel/guest-main.ts <out-folder>
 */
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { siblingModuleUrl, startModuleWorker } from '../../runtime/executive/module-worker.ts'
import { GUEST_PARTS, type GuestPart } from './guest-parts.ts'

const out = process.argv[2]
if (out === undefined) throw new Error('usage: guest-main.ts <out-folder>')

async function runPart(part: GuestPart): Promise<number> {
  const worker = startModuleWorker(siblingModuleUrl(import.meta.url, 'guest-suites'), { workerData: { part }, stdout: true })
  const tap = createWriteStream(join(out!, `${part}.tap`))
  worker.stdout.pipe(tap)
  const [code] = (await once(worker, 'exit')) as [number]
  await new Promise<void>(resolve => tap.end(resolve))
  console.log(`EDGERT_GUEST: part ${part} ended with ${code}`)
  return code
}

const codes: Record<string, number> = {}
for (const part of GUEST_PARTS) codes[part] = await runPart(part)
await writeFile(join(out, 'done.json'), JSON.stringify({ codes }))
process.exitCode = Object.values(codes).some(code => code !== 0) ? 1 : 0
