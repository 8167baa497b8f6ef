/** The process's peak RSS and heap, sampled every 25 ms from construction until `stop`. */
export class PeakMemory {
  rss = 0;
  heap = 0;
  private readonly timer = setInterval(() => this.sample(), 25);
  sample(): void {
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss);
    this.heap = Math.max(this.heap, m.heapUsed);
  }
  stop(): { peakRssMB: number; peakHeapMB: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakRssMB: Math.round(this.rss / 1048576), peakHeapMB: Math.round(this.heap / 1048576) };
  }
}
