import { watch, type FSWatcher } from 'node:fs'
import type { Clock } from '../hal/clock.ts'
import type { HalError } from '../hal/errors.ts'
import type { Edge, InputPin, Level, WatchOptions } from '../hal/gpio.ts'
import { EdgeWatchers, type KernelEdge } from './edge-watchers.ts'
import { gpioClosedError, gpioIoError, type LineInfo } from './gpio-errno.ts'
import type { Onoff } from './onoff-loader.ts'

export interface InputOptions {
  /** Which edges the kernel reports (sysfs `edge`). Default 'both', which debounce needs. */
  readonly edge?: KernelEdge
  /** The electrical low level reads as 1. Default false. */
  readonly activeLow?: boolean
  /** The debounce for watch() calls that do not give one, ms. Default 0. */
  readonly debounceMs?: number
}

/**
 * An InputPin over an exported onoff Gpio. Edges: the kernel notifies the line's sysfs `value`
 * file on each edge it reports (sysfs_notify → fsnotify), so one inotify watch (fs.watch, on this
 * thread's own event loop) per watched pin tells when to read the level.
 */
export class OnoffInputPin implements InputPin {
  readonly #gpio: InstanceType<Onoff['Gpio']>
  readonly #info: LineInfo
  readonly #edges: EdgeWatchers
  readonly #debounceMs: number
  #notifier: FSWatcher | undefined
  /** Why edge notifications stopped, if they did: read() reports it, since watch() has no error channel. */
  #notifierFailure: HalError | undefined
  #closed = false

  constructor(gpio: InstanceType<Onoff['Gpio']>, info: LineInfo, clock: Clock, options: InputOptions) {
    this.#gpio = gpio
    this.#info = info
    this.#debounceMs = options.debounceMs ?? 0
    this.#edges = new EdgeWatchers({ clock, kernelEdge: options.edge ?? 'both', readLevel: () => this.#gpio.readSync() })
  }

  async read(): Promise<Level> {
    if (this.#closed) throw gpioClosedError(this.#info)
    if (this.#notifierFailure !== undefined) throw this.#notifierFailure
    try {
      return await this.#gpio.read()
    } catch (error) {
      throw gpioIoError(error, this.#info, 'read')
    }
  }

  watch(edge: Edge, onEdge: (level: Level, atMs: number) => void, options?: WatchOptions): () => void {
    if (this.#closed) throw gpioClosedError(this.#info)
    const stop = this.#edges.add(edge, onEdge, options?.debounceMs ?? this.#debounceMs)
    this.#notifier ??= this.#startNotifier()
    return () => {
      stop()
      if (this.#edges.size === 0) this.#stopNotifier()
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#edges.clear()
    this.#stopNotifier()
    this.#gpio.unexport()
  }

  #startNotifier(): FSWatcher {
    const notifier = watch(`/sys/class/gpio/gpio${this.#info.number}/value`, { persistent: true }, () => {
      if (this.#closed) return
      // A sync read of a sysfs attribute is one short syscall; it keeps levels in notification order.
      this.#edges.changed(this.#gpio.readSync())
    })
    notifier.on('error', error => {
      this.#notifierFailure = gpioIoError(error, this.#info, 'edge notification (inotify on value)')
      this.#stopNotifier()
    })
    return notifier
  }

  #stopNotifier(): void {
    this.#notifier?.close()
    this.#notifier = undefined
  }
}
