/**
 * Every open live channel (an SSE stream, a WebSocket) by the session it runs on, so that ending a session
 * closes its channels at once (issue 14 item 8). Before, a signed-out token's stream stayed open until
 * the next sync event happened to check the session.
 */
export interface LiveChannel {
  userId: string;
  /** Ends the channel (the transport says why: a 4401 close frame, the end of the stream). */
  close(): void;
}

export class LiveChannels {
  private readonly byToken = new Map<string, Set<LiveChannel>>();

  /** Registers a channel of the session `tokenHash`; the returned function forgets it (on its own close). */
  open(tokenHash: string, channel: LiveChannel): () => void {
    let set = this.byToken.get(tokenHash);
    if (!set) this.byToken.set(tokenHash, (set = new Set()));
    set.add(channel);
    return () => {
      set.delete(channel);
      if (set.size === 0 && this.byToken.get(tokenHash) === set) this.byToken.delete(tokenHash);
    };
  }

  /** The session ended (signed out): its channels close now. */
  endSession(tokenHash: string): number {
    const set = this.byToken.get(tokenHash);
    if (!set) return 0;
    this.byToken.delete(tokenHash);
    for (const channel of set) channel.close();
    return set.size;
  }

  /** Every session of a user ended (deleted, disabled, password changed): all their channels close. */
  endUser(userId: string): number {
    let n = 0;
    for (const [token, set] of [...this.byToken]) {
      if (![...set].some((c) => c.userId === userId)) continue;
      n += this.endSession(token);
    }
    return n;
  }

  /** The server is closing: every channel ends. */
  closeAll(): void {
    for (const token of [...this.byToken.keys()]) this.endSession(token);
  }

  /** Open channels (tests). */
  count(): number {
    let n = 0;
    for (const set of this.byToken.values()) n += set.size;
    return n;
  }
}
