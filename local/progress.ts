/** Live progress on the terminal: which state runs, since when, at what simulated time. */
export class Progress {
  private readonly started = Date.now();
  constructor(private readonly write: (line: string) => void) {}

  line(symbol: string, text: string, simulated?: Date): void {
    const elapsed = `+${((Date.now() - this.started) / 1000).toFixed(2)}s`.padStart(8);
    const sim = simulated ? ` ${simulated.toISOString().slice(11, 19)}` : '';
    this.write(`${elapsed}${sim}  ${symbol} ${text}`);
  }

  raw(text: string): void {
    this.write(text);
  }
}
