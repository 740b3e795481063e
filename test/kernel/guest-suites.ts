// A guest worker thread: runs one part of the kernel suites (guest-main.ts starts it).
import { workerData } from 'node:worker_threads'
import type { GuestPart } from './guest-parts.ts'

const { part } = workerData as { part: GuestPart }
if (part === 'contracts') await import('./guest-contracts.ts')
else await import('./guest-second-thread.ts')
