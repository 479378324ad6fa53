/**
 * Text subtitles as WebVTT on demand — the only format browsers render as a <track>. Embedded streams are
 * extracted straight from the source and sidecars converted (decoded in Node first: this ffmpeg crashes on
 * a non-UTF-8 -sub_charenc, see convert/subtitleText.ts). Results are cached under the data dir, keyed by
 * the source's size and mtime, so a replaced file is extracted again; concurrent asks share one ffmpeg.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MediaStream } from '../../shared/api/items.js';
import { canonicalCodec, isTextSubtitleCodec } from '../../shared/profile/codecs.js';
import { buildSubtitleExtractArgs } from '../convert/ffmpegArgs.js';
import { runProcess } from '../convert/ffmpegProcess.js';
import { decodeSubtitleBytes } from '../convert/subtitleText.js';
import { DomainError, badRequest, notFound, processingFailed } from '../errors.js';
import { externalSubtitlePath } from '../library/libraryWriter.js';
import type { ItemRow } from '../library/itemsRepo.js';

export class SubtitleVttCache {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    readonly dir: string,
    private readonly ffmpeg: string,
  ) {}

  /** Path of the WebVTT file for subtitle stream `index` of `item`. */
  async vttFor(item: ItemRow, index: number): Promise<string> {
    const stream = this.streamOf(item, index);
    const text = stream.IsTextSubtitleStream ?? isTextSubtitleCodec(stream.Codec);
    if (!text) throw badRequest('Image subtitles (PGS, VobSub) cannot be shown as a text track');
    const source = stream.IsExternal ? externalSubtitlePath(item.extra, index) : item.path;
    if (!source) throw notFound('The subtitle file is missing');
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(source);
    } catch {
      throw notFound(stream.IsExternal ? 'The subtitle file is missing' : 'The media file is missing');
    }
    const out = path.join(this.dir, `${item.id}-${index}-${stat.size}-${Math.floor(stat.mtimeMs)}.vtt`);
    if (fs.existsSync(out)) return out;
    let pending = this.inFlight.get(out);
    if (!pending) {
      pending = this.make(source, stream, out).finally(() => this.inFlight.delete(out));
      this.inFlight.set(out, pending);
    }
    return pending;
  }

  private streamOf(item: ItemRow, index: number): MediaStream {
    let streams: MediaStream[] = [];
    try {
      streams = JSON.parse(item.media_streams || '[]') as MediaStream[];
    } catch {
      // A row without readable streams has no subtitles.
    }
    const stream = streams.find((s) => s.Type === 'Subtitle' && s.Index === index);
    if (!stream) throw notFound(`No subtitle stream ${index}`);
    return stream;
  }

  private async make(source: string, stream: MediaStream, out: string): Promise<string> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const partial = `${out}.${process.pid}.${Date.now()}.partial`;
    const temps = [partial];
    try {
      if (stream.IsExternal) {
        const { text } = decodeSubtitleBytes(await fs.promises.readFile(source));
        if (canonicalCodec(stream.Codec ?? path.extname(source).slice(1)) === 'vtt') {
          await fs.promises.writeFile(partial, text, 'utf8');
        } else {
          const utf8Copy = `${partial}-source${path.extname(source).toLowerCase() || '.srt'}`;
          temps.push(utf8Copy);
          await fs.promises.writeFile(utf8Copy, text, 'utf8');
          await runProcess(this.ffmpeg, buildSubtitleExtractArgs({ inputPath: utf8Copy, format: 'vtt', outputPath: partial }));
        }
      } else {
        await runProcess(
          this.ffmpeg,
          buildSubtitleExtractArgs({ inputPath: source, streamIndex: stream.Index, format: 'vtt', outputPath: partial }),
        );
      }
      await fs.promises.rename(partial, out);
      return out;
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw processingFailed(`The subtitle could not be converted: ${(err as Error).message.split('\n').slice(-1)[0]}`, 'SubtitleFailed');
    } finally {
      await Promise.all(temps.map((t) => fs.promises.rm(t, { force: true })));
    }
  }
}
