// model.js — the page's picture of one room, built from history pages and the room stream (hub events MessageReceived and RoomEvent).
// No DOM in here. Every event carries absolute state (new text, reaction count after the change), so replaying
// events over a snapshot that is already newer than them still ends in the right state.

/** The fixed reaction buttons offered under every message. */
export const EMOJI = ['👍', '❤️', '😂', '🎉', '👀'];

export class RoomModel {
  constructor(roomId) {
    this.roomId = roomId;
    this.name = '';
    this.kind = 'channel';
    this.visibility = 'public';
    this.role = 'member';
    this.muted = false;
    this.lastSeq = 0;          // every event up to here is applied
    this.lastReadSeq = 0;      // my read watermark
    this.unread = 0;
    this.lastMessage = null;   // { messageId, seq, senderId, senderName, text, postedAt, deleted? }
    this.messages = new Map(); // messageId -> message
    this.members = new Map();  // userId -> { userId, userName, role, lastReadSeq }
    this.typing = new Map();   // userId -> { userName, until }
    this.notes = new Map();    // messageId -> text shown under the message (pending change, rejection)
    this.buffer = new Map();   // seq -> event that came before a hole was filled, or while loading
    this.loaded = false;       // history and members have been fetched
    this.loading = false;      // events are only buffered until setBaseline()
    this.hasOlder = false;
    this.gone = false;         // I left or was removed
    this.peerName = undefined; // the other person of a direct room, once known
  }

  /** Fields of GET /api/rooms (list entry) or GET /api/rooms/{id}. */
  applyInfo(info) {
    if (info.name !== undefined) this.name = info.name ?? '';
    if (info.kind) this.kind = info.kind;
    if (info.visibility) this.visibility = info.visibility;
    if (info.role) this.role = info.role;
    if (info.muted !== undefined) this.muted = Boolean(info.muted);
    if (info.lastReadSeq !== undefined) this.lastReadSeq = Math.max(this.lastReadSeq, info.lastReadSeq);
    if (info.unreadCount !== undefined) this.unread = info.unreadCount;
    if (info.lastMessage !== undefined) this.lastMessage = info.lastMessage;
    if (info.ownerId) this.ownerId = info.ownerId;
  }

  get title() {
    if (this.kind === 'direct' && this.peerName) return this.peerName;
    if (this.name) return this.name;
    return this.kind === 'direct' ? 'Direct message' : this.kind === 'group' ? 'Group chat' : 'Untitled room';
  }

  /**
   * Takes one event from the live feed or from Sync. Returns { changed, gap }: `changed` when something was
   * applied, `gap` when events are waiting for an earlier seq that has not arrived.
   */
  receive(event, me) {
    if (event.seq <= this.lastSeq) return { changed: false, gap: false };
    this.buffer.set(event.seq, event);
    if (this.loading) return { changed: false, gap: false };
    return this.#flush(me);
  }

  /** Ends loading: everything up to `seq` is in the snapshot just loaded; buffered later events are applied on top. */
  setBaseline(seq, me) {
    this.loading = false;
    this.lastSeq = Math.max(this.lastSeq, seq);
    return this.#flush(me);
  }

  #flush(me) {
    let changed = false;
    for (const seq of [...this.buffer.keys()]) {
      if (seq <= this.lastSeq) this.buffer.delete(seq);
    }
    for (let next = this.buffer.get(this.lastSeq + 1); next; next = this.buffer.get(this.lastSeq + 1)) {
      this.buffer.delete(next.seq);
      this.lastSeq = next.seq;
      this.apply(next, me);
      changed = true;
    }
    return { changed, gap: this.buffer.size > 0 };
  }

  /** Applies one event in order. Exposed for tests; the page goes through receive(). */
  apply(e, me) {
    const m = e.messageId ? this.messages.get(e.messageId) : undefined;
    switch (e.type) {
      case 'message.posted': {
        if (!m) {
          this.messages.set(e.messageId, {
            messageId: e.messageId,
            seq: e.seq,
            clientMessageId: e.clientMessageId,
            senderId: e.actorId,
            senderName: e.actorName,
            text: e.text ?? '',
            replyToMessageId: e.replyToMessageId ?? null,
            sentAt: e.sentAt ?? e.occurredAt,
            edited: false,
            deleted: false,
            reactions: new Map(),
            mine: new Set(),
          });
        }
        this.lastMessage = {
          messageId: e.messageId, seq: e.seq, senderId: e.actorId, senderName: e.actorName, text: e.text ?? '',
          postedAt: e.occurredAt,
        };
        if (e.actorId !== me && e.seq > this.lastReadSeq) this.unread++;
        this.typing.delete(e.actorId);
        break;
      }
      case 'message.edited':
        if (m) {
          m.text = e.text ?? '';
          m.edited = true;
        }
        if (e.actorId === me) this.notes.delete(e.messageId);
        if (this.lastMessage?.messageId === e.messageId) this.lastMessage = { ...this.lastMessage, text: e.text ?? '' };
        break;
      case 'message.deleted':
        if (m) {
          if (!m.deleted && m.senderId !== me && m.seq > this.lastReadSeq && this.unread > 0) this.unread--;
          m.deleted = true;
          m.text = null;
          m.reactions.clear();
          m.mine.clear();
        }
        this.notes.delete(e.messageId);
        if (this.lastMessage?.messageId === e.messageId) {
          this.lastMessage = { ...this.lastMessage, text: null, deleted: true };
        }
        break;
      case 'reaction.added':
      case 'reaction.removed':
        if (m && !m.deleted) {
          if (e.count > 0) m.reactions.set(e.emoji, e.count);
          else m.reactions.delete(e.emoji);
          if (e.actorId === me) {
            if (e.type === 'reaction.added') m.mine.add(e.emoji);
            else m.mine.delete(e.emoji);
          }
        }
        break;
      case 'member.joined':
      case 'member.added':
        if (!this.members.has(e.userId)) {
          this.members.set(e.userId, { userId: e.userId, userName: e.userName, role: e.role ?? 'member', lastReadSeq: 0 });
        }
        if (e.userId === me) {
          this.gone = false;
          if (e.role) this.role = e.role;
        }
        break;
      case 'member.left':
      case 'member.removed':
        this.members.delete(e.userId);
        this.typing.delete(e.userId);
        if (e.userId === me) this.gone = true;
        break;
      case 'member.role_changed': {
        const member = this.members.get(e.userId);
        if (member) member.role = e.role;
        if (e.userId === me) this.role = e.role;
        break;
      }
      case 'room.renamed':
        this.name = e.roomName ?? this.name;
        break;
      default:
        break; // a newer server may add types; the seq still moves on
    }
  }

  /** Puts a page of GET /messages into the model. `newest` pages overwrite what is held; older pages only fill in. */
  addHistory(page, { newest = false } = {}) {
    for (const h of page) {
      if (!newest && this.messages.has(h.messageId)) continue;
      const old = this.messages.get(h.messageId);
      this.messages.set(h.messageId, {
        messageId: h.messageId,
        seq: h.seq,
        clientMessageId: h.clientMessageId,
        senderId: h.senderId,
        senderName: h.senderName,
        text: h.deleted ? null : (h.text ?? ''),
        replyToMessageId: h.replyToMessageId ?? null,
        sentAt: h.sentAt ?? h.postedAt,
        edited: Boolean(h.editedAt),
        deleted: Boolean(h.deleted),
        reactions: new Map((h.reactions ?? []).filter((r) => r.count > 0).map((r) => [r.emoji, r.count])),
        mine: old ? old.mine : new Set(), // history does not say which reactions are mine; keep what events told us
      });
    }
  }

  setMembers(list) {
    this.members = new Map(list.map((m) => [m.userId, { ...m }]));
  }

  /** A ReadReceipt or my own MarkRead answer. */
  readUpTo(userId, userName, seq, me) {
    const member = this.members.get(userId);
    if (member) member.lastReadSeq = Math.max(member.lastReadSeq ?? 0, seq);
    else if (this.loaded) this.members.set(userId, { userId, userName, role: 'member', lastReadSeq: seq });
    if (userId === me && seq > this.lastReadSeq) {
      this.lastReadSeq = seq;
      this.unread = seq >= this.lastSeq ? 0 : this.#countUnread(me);
    }
  }

  #countUnread(me) {
    let n = 0;
    for (const m of this.messages.values()) {
      if (!m.deleted && m.senderId !== me && m.seq > this.lastReadSeq) n++;
    }
    return Math.min(n, this.unread);
  }

  /** Messages in stream order. */
  ordered() {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Lowest seq held, for paging back; null when nothing is held. */
  oldestSeq() {
    let min = null;
    for (const m of this.messages.values()) if (min === null || m.seq < min) min = m.seq;
    return min;
  }

  /**
   * "Seen by": for each message, the other members whose read watermark stops at it (the newest message at or
   * below their lastReadSeq). Returns Map messageId -> [userName].
   */
  seenBy(me) {
    const list = this.ordered().filter((m) => !m.deleted);
    const result = new Map();
    for (const member of this.members.values()) {
      if (member.userId === me || !member.lastReadSeq) continue;
      let at = null;
      for (const m of list) {
        if (m.seq <= member.lastReadSeq) at = m;
        else break;
      }
      if (at) {
        if (!result.has(at.messageId)) result.set(at.messageId, []);
        result.get(at.messageId).push(member.userName);
      }
    }
    return result;
  }

  /** Names of people typing right now (expired entries are dropped). */
  typingNames(now = Date.now()) {
    const names = [];
    for (const [userId, t] of this.typing) {
      if (t.until <= now) this.typing.delete(userId);
      else names.push(t.userName);
    }
    return names.sort((a, b) => a.localeCompare(b));
  }
}
