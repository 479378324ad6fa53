/**
 * The last lines ffmpeg wrote to stderr. A failure message needs the end (the error is always last), and
 * a long transcode can write megabytes of warnings, so only a bounded ring of lines is kept.
 */
export class StderrTail {
  private lines: string[] = [];
  private partial = '';

  constructor(
    private readonly maxLines = 20,
    private readonly maxLineLength = 500,
  ) {}

  push(chunk: string): void {
    const text = this.partial + chunk;
    // ffmpeg rewrites its stats line with \r; treat it like a line end so it doesn't grow unbounded.
    const parts = text.split(/\r\n|\n|\r/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > this.maxLineLength * 4) this.partial = this.partial.slice(-this.maxLineLength);
    for (const p of parts) this.add(p);
  }

  private add(line: string): void {
    const trimmed = line.trimEnd();
    if (trimmed === '') return;
    this.lines.push(trimmed.length > this.maxLineLength ? `${trimmed.slice(0, this.maxLineLength)}…` : trimmed);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
  }

  /** The kept lines, the unterminated last one included. */
  text(): string {
    const all = this.partial.trim() ? [...this.lines, this.partial.trimEnd()] : this.lines;
    return all.slice(-this.maxLines).join('\n');
  }
}
