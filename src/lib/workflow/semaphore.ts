// At most N holders at once; the others wait in order.
export class Semaphore {
  private free: number
  private readonly waiting: (() => void)[] = []

  constructor(size: number) {
    this.free = Math.max(1, Math.floor(size))
  }

  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.waiting.shift()
      if (next) next()
      else this.free++
    }
  }
}
