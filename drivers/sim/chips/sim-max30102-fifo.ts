const DEPTH = 32
/** Widest sample: two LEDs × 3 bytes. */
const SLOT_BYTES = 6
const POINTER_MASK = 0x1f
/** OVF_COUNTER "saturates at 0x1F". */
const OVERFLOW_MAX = 0x1f

/**
 * The MAX30102's 32-sample circular FIFO as the datasheet describes it ("FIFO Data Register",
 * "Write/Read Pointers"): 5-bit write and read pointers, an overflow counter, and a FIFO_DATA
 * port that hands out one sample's bytes in order. For the emulator (sim-max30102.ts) only.
 */
export class SimMax30102Fifo {
  readonly #memory = new Uint8Array(DEPTH * SLOT_BYTES)
  #writePointer = 0
  #readPointer = 0
  #unread = 0
  #overflow = 0
  #byteInSample = 0
  #readingSlot = 0

  get writePointer(): number {
    return this.#writePointer
  }

  get readPointer(): number {
    return this.#readPointer
  }

  get overflow(): number {
    return this.#overflow
  }

  get unread(): number {
    return this.#unread
  }

  get full(): boolean {
    return this.#unread === DEPTH
  }

  clear(): void {
    this.#writePointer = this.#readPointer = this.#unread = this.#overflow = this.#byteInSample = 0
  }

  /** A host write to FIFO_WR_PTR or FIFO_RD_PTR: the unread count follows the pointers. */
  setPointers(writePointer: number, readPointer: number): void {
    this.#writePointer = writePointer & POINTER_MASK
    this.#readPointer = readPointer & POINTER_MASK
    this.#unread = (this.#writePointer - this.#readPointer) & POINTER_MASK
    this.#byteInSample = 0
  }

  setOverflow(value: number): void {
    this.#overflow = value & POINTER_MASK
  }

  /** Counts samples the chip could not store. */
  lose(samples: number): void {
    this.#overflow = Math.min(OVERFLOW_MAX, this.#overflow + samples)
  }

  /** The slot's bytes at the write pointer, to fill before commit(). */
  slotAtWritePointer(): Uint8Array {
    return this.#memory.subarray(this.#writePointer * SLOT_BYTES, (this.#writePointer + 1) * SLOT_BYTES)
  }

  /** Stores the filled slot; when full, rollover overwrites the oldest sample and counts it lost. */
  commit(rollover: boolean): void {
    const wasFull = this.full
    this.#writePointer = (this.#writePointer + 1) & POINTER_MASK
    if (wasFull && rollover) {
      this.#readPointer = this.#writePointer
      this.lose(1)
    } else {
      this.#unread++
    }
  }

  /**
   * One byte from FIFO_DATA. "The FIFO read pointer is automatically incremented after the first
   * byte of each sample is read"; popping a sample also resets OVF_COUNTER. An empty FIFO
   * answers the stale bytes at the read pointer without moving it.
   */
  popByte(bytesPerSample: number): number {
    if (this.#byteInSample === 0) {
      this.#readingSlot = this.#readPointer
      if (this.#unread > 0) {
        this.#readPointer = (this.#readPointer + 1) & POINTER_MASK
        this.#unread--
        this.#overflow = 0
      }
    }
    const value = this.#memory[this.#readingSlot * SLOT_BYTES + this.#byteInSample]!
    this.#byteInSample = (this.#byteInSample + 1) % bytesPerSample
    return value
  }
}
