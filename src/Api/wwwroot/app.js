// EventChat web client: log in, keep a model of each of my rooms from the room stream, and chat live.
// REST calls go through fetch; live traffic goes through hub.js (SignalR JSON protocol, no library).
// User data is only ever written with textContent or attributes, never as HTML.

import { Hub } from './hub.js';
import { EMOJI, RoomModel } from './model.js';

const SESSION_KEY = 'eventchat.session';
const ROOM_KEY = 'eventchat.room';
const PAGE_SIZE = 50;
const SYNC_MAX_ROOMS = 200;
const TYPING_EVERY_MS = 2_000;
const TYPING_SHOWN_MS = 4_000;
const MARK_READ_DELAY_MS = 400;
const GAP_SYNC_DELAY_MS = 300;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const $ = (id) => document.getElementById(id);

/**
 * Creates an element. `props` are DOM properties, except keys with a dash (aria-*, data-*) which are attributes;
 * children are nodes or strings (added as text).
 */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key.includes('-')) node.setAttribute(key, String(value));
    else node[key] = value;
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

const state = {
  session: null,          // { accessToken, refreshToken, userId, username, expiresAt }
  refreshTimer: null,
  hub: null,
  rooms: new Map(),       // roomId -> RoomModel (my rooms; all of them are subscribed on the hub)
  current: null,          // roomId on screen
  presence: new Map(),    // userId -> { userName, online, lastSeenAt }
  notifications: new Map(), // notificationId -> notification
  pending: new Map(),     // clientMessageId -> { cid, roomId, text, replyTo, status, detail, retryOnReconnect }
  changes: new Map(),     // changeId -> { kind, roomId, messageId, emoji }
  compose: null,          // null | { mode: 'reply' | 'edit', roomId, messageId }
  syncChain: Promise.resolve(),
  gapRooms: new Set(),
  gapTimer: 0,
  markReadTimer: 0,
  lastTypingAt: 0,
  renderQueued: false,
};

const me = () => state.session?.userId;
const currentRoom = () => (state.current ? state.rooms.get(state.current) : undefined);

// ---------------------------------------------------------------- errors, toasts and status

function showError(message) {
  $('error-text').textContent = message;
  $('error').hidden = false;
}

function clearError() {
  $('error').hidden = true;
}

function toast(message) {
  const node = el('p', { className: 'toast', textContent: message });
  $('toasts').append(node);
  setTimeout(() => node.remove(), 6_000);
}

function setStatus(text, tone = '') {
  const node = $('status');
  node.textContent = text;
  node.dataset.tone = tone;
}

// ---------------------------------------------------------------- REST

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (state.session) headers.Authorization = `Bearer ${state.session.accessToken}`;

  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'The server cannot be reached.');
  }
  if (response.ok) {
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const problem = await response.json();
    message = problem.detail || problem.title || message;
  } catch {
    // not a ProblemDetails body; keep the status line
  }
  if (response.status === 401 && state.session && !path.startsWith('/api/auth/')) {
    endSession('Your session has expired. Please log in again.');
  }
  throw new ApiError(response.status, message);
}

const enc = encodeURIComponent;

// ---------------------------------------------------------------- session

function saveSession(login) {
  state.session = {
    accessToken: login.accessToken,
    refreshToken: login.refreshToken,
    userId: login.userId,
    username: login.username,
    expiresAt: Date.now() + login.expiresIn * 1000,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
}

/**
 * Exchanges the refresh token for a new pair a little before the access token expires. The server closes the hub
 * connection when the old token expires, and the hub reconnects with the new one.
 */
function scheduleRefresh() {
  clearTimeout(state.refreshTimer);
  if (!state.session?.refreshToken) return;
  const left = state.session.expiresAt - Date.now();
  state.refreshTimer = setTimeout(async () => {
    try {
      saveSession(await api('POST', '/api/auth/refresh', { refreshToken: state.session.refreshToken }));
      scheduleRefresh();
    } catch (err) {
      if (err.status === 401) endSession('Your session has expired. Please log in again.');
      else state.refreshTimer = setTimeout(scheduleRefresh, 5000);
    }
  }, Math.max(0, Math.min(left - 60_000, left * 0.8)));
}

function loadSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY));
    return saved && saved.accessToken && saved.expiresAt > Date.now() ? saved : null;
  } catch {
    return null;
  }
}

async function onAuthSubmit(event) {
  event.preventDefault();
  const action = event.submitter?.value ?? 'login';
  const username = $('username').value.trim();
  const password = $('password').value;
  const message = $('auth-message');
  message.textContent = '';
  const buttons = $('auth-form').querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    if (action === 'register') {
      await api('POST', '/api/auth/register', { username, password });
      message.textContent = 'Registered. Logging in…';
    }
    const login = await api('POST', '/api/auth/login', { username, password });
    $('password').value = '';
    message.textContent = '';
    saveSession(login);
    startSession();
  } catch (err) {
    message.textContent = err.status === 409 ? `The username “${username}” is taken.` : err.message;
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

function invisibleKey() {
  return `eventchat.invisible.${me()}`;
}

function startSession() {
  clearError();
  $('auth-view').hidden = true;
  $('chat-view').hidden = false;
  $('logout').hidden = false;
  $('whoami').hidden = false;
  $('invisible-label').hidden = false;
  $('invisible').checked = localStorage.getItem(invisibleKey()) === 'true';
  $('whoami').textContent = `Signed in as ${state.session.username}`;

  scheduleRefresh();
  state.hub = new Hub(hubUrl);
  state.hub.on('MessageReceived', onRoomEvent);
  state.hub.on('RoomEvent', onRoomEvent);
  state.hub.on('MessageRejected', onMessageRejected);
  state.hub.on('NotificationReceived', (n) => { addNotifications([n]); });
  state.hub.on('ReadReceipt', onReadReceipt);
  state.hub.on('UserTyping', onUserTyping);
  state.hub.on('PresenceChanged', onPresenceChanged);
  state.hub.onstate = onHubState;
  state.hub.onerror = showError;
  state.hub.onconnected = onHubConnected;
  state.hub.start();
}

/** Logs out locally: stops the hub, forgets the token and every room, and shows the login form again. */
function endSession(reason) {
  clearTimeout(state.refreshTimer);
  if (state.session?.refreshToken) {
    // Revokes this login on the server too; the page does not wait for the answer.
    fetch('/api/auth/logout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: state.session.refreshToken }),
    }).catch(() => {});
  }
  state.hub?.stop();
  state.hub = null;
  state.session = null;
  sessionStorage.removeItem(SESSION_KEY);
  sessionStorage.removeItem(ROOM_KEY);
  state.rooms.clear();
  state.pending.clear();
  state.changes.clear();
  state.presence.clear();
  state.notifications.clear();
  closeRoomView();
  renderRoomList();
  renderNotifications();
  $('search-results').replaceChildren();
  $('chat-view').hidden = true;
  $('auth-view').hidden = false;
  $('logout').hidden = true;
  $('whoami').hidden = true;
  $('invisible-label').hidden = true;
  setStatus('Signed out');
  if (reason) showError(reason);
  $('username').focus();
}

// ---------------------------------------------------------------- hub connection and catch-up

function hubUrl() {
  if (!state.session) return null;
  if (Date.now() >= state.session.expiresAt) {
    // A WebSocket cannot tell us why the upgrade failed, so check the token's lifetime ourselves.
    queueMicrotask(() => endSession('Your session has expired. Please log in again.'));
    return null;
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/hubs/chat?access_token=${enc(state.session.accessToken)}`;
}

function onHubState(hubState, detail) {
  switch (hubState) {
    case 'connecting':
      setStatus('Connecting…', 'busy');
      break;
    case 'connected':
      setStatus('Connected', 'ok');
      break;
    case 'reconnecting':
      setStatus(detail?.delay ? `Offline — retrying in ${Math.round(detail.delay / 1000)} s` : 'Reconnecting…', 'bad');
      if (detail) {
        // The socket cannot say "401"; a cheap REST call can, and api() logs out when the token is refused.
        api('GET', '/api/notifications?limit=1').catch(() => {});
      }
      break;
    default:
      setStatus(state.session ? 'Disconnected' : 'Signed out', 'bad');
  }
}

/**
 * After every handshake: subscribe to all my rooms, then one Sync for all of them from the last seq each model
 * holds. On the first connect the room list comes first, so its lastSeq is where catch-up starts.
 */
async function onHubConnected(again) {
  try {
    // The list comes first even after a drop: JoinRoom would re-join a public room I was removed from meanwhile.
    await loadRoomList();
    await subscribeAll();
    await queueSync([...state.rooms.keys()]);
    if (again) await loadRoomList(); // unread counts as the server has them after catch-up
    for (const p of state.pending.values()) {
      if (p.retryOnReconnect) sendPending(p);
    }
    if (!again) {
      const saved = sessionStorage.getItem(ROOM_KEY);
      if (saved) await openRoom(saved, { quiet: true });
    } else {
      renderRoom();
      markReadSoon();
    }
    loadNotifications();
    loadPresence();
    if ($('invisible').checked) api('PUT', '/api/me/presence', { invisible: true }).catch(() => {});
  } catch (err) {
    if (err.status !== 401) showError(`Could not catch up: ${err.message}`);
  }
}

async function subscribeAll() {
  const rooms = [...state.rooms.values()];
  await Promise.all(rooms.map(async (m) => {
    try {
      await state.hub.invoke('JoinRoom', m.roomId);
    } catch (err) {
      if (err.connectionLost) throw err;
      forgetRoom(m.roomId, `You no longer have access to ${m.title}: ${err.message}`);
    }
  }));
}

/** Runs Sync calls one after another, so two catch-ups never interleave. */
function queueSync(roomIds) {
  const run = state.syncChain.then(() => syncRooms(roomIds));
  state.syncChain = run.catch(() => {});
  return run;
}

async function syncRooms(roomIds) {
  let want = roomIds.filter((id) => state.rooms.has(id));
  while (want.length && state.hub?.connected) {
    const batch = want.slice(0, SYNC_MAX_ROOMS);
    const rest = want.slice(SYNC_MAX_ROOMS);
    const results = await state.hub.invoke('Sync',
      batch.map((id) => ({ roomId: id, afterSeq: state.rooms.get(id).lastSeq })));
    const more = [];
    const reload = [];
    for (const r of results ?? []) {
      const m = state.rooms.get(r.roomId);
      if (!m) continue;
      if (r.error) {
        forgetRoom(m.roomId, `Cannot read ${m.title}: ${r.error}`);
        continue;
      }
      if (r.truncated) {
        // Events after our seq were removed by retention: the model cannot be patched, reload it.
        reload.push(m);
        continue;
      }
      const before = m.lastSeq;
      let gap = false;
      for (const e of r.events ?? []) gap = m.receive(e, me()).gap || gap;
      // Ask again only when this answer moved us on; otherwise the next live event or gap check will.
      if ((r.hasMore || gap) && m.lastSeq > before) more.push(m.roomId);
      afterChange(m);
    }
    for (const m of reload) await reloadRoom(m);
    want = [...more, ...rest];
  }
}

/** Live events that skipped a seq: catch up on those rooms shortly (several gaps share one Sync). */
function syncGapSoon(roomId) {
  state.gapRooms.add(roomId);
  clearTimeout(state.gapTimer);
  state.gapTimer = setTimeout(() => {
    const ids = [...state.gapRooms];
    state.gapRooms.clear();
    queueSync(ids).catch((err) => { if (!err.connectionLost) showError(`Could not catch up: ${err.message}`); });
  }, GAP_SYNC_DELAY_MS);
}

function onRoomEvent(e) {
  const m = state.rooms.get(e.roomId);
  if (!m) return; // not one of my rooms (e.g. just left)
  const { gap } = m.receive(e, me());
  if (gap) syncGapSoon(m.roomId);
  afterChange(m, e);
}

/** Whatever changed in a room: pending sends that arrived, the views, the read mark. */
function afterChange(m, e) {
  for (const p of [...state.pending.values()]) {
    if (p.roomId !== m.roomId) continue;
    for (const msg of m.messages.values()) {
      if (msg.senderId === me() && msg.clientMessageId === p.cid) {
        state.pending.delete(p.cid);
        break;
      }
    }
  }
  if ((e?.type === 'member.removed' || e?.type === 'member.left') && e.userId === me()) {
    forgetRoom(m.roomId, e.type === 'member.removed' ? `You were removed from ${m.title}.` : `You left ${m.title}.`);
    return;
  }
  if (e && (e.type.startsWith('member.') || e.type === 'room.renamed')) loadPresence();
  renderRoomList();
  if (m.roomId === state.current) {
    renderRoomSoon();
    markReadSoon();
  }
}

/** Throws away a room's messages and loads them again (after retention cut into what we had not seen). */
async function reloadRoom(m) {
  m.loading = true;
  m.messages.clear();
  m.notes.clear();
  try {
    const info = await api('GET', `/api/rooms/${m.roomId}`);
    m.applyInfo(info);
    if (m.roomId === state.current) {
      await loadRoomContent(m);
    } else {
      m.loaded = false;
    }
    m.setBaseline(info.lastSeq, me());
    afterChange(m);
  } catch (err) {
    m.loading = false;
    showError(`Could not reload ${m.title}: ${err.message}`);
  }
}

async function loadRoomContent(m) {
  // Without the member list the room still works; only "seen by" and the people list stay empty.
  const [page, members] = await Promise.all([
    api('GET', `/api/rooms/${m.roomId}/messages?limit=${PAGE_SIZE}`),
    api('GET', `/api/rooms/${m.roomId}/members`).catch((err) => {
      if (err.status !== 401) toast(`Could not load the members of ${m.title}: ${err.message}`);
      return null;
    }),
  ]);
  m.addHistory(page.messages, { newest: true });
  m.hasOlder = page.messages.length === PAGE_SIZE;
  if (members) {
    m.setMembers(members.members);
    m.peerName = m.kind === 'direct' ? members.members.find((u) => u.userId !== me())?.userName : undefined;
  }
  m.loaded = true;
}

// ---------------------------------------------------------------- rooms

function modelFor(roomId) {
  let m = state.rooms.get(roomId);
  if (!m) {
    m = new RoomModel(roomId);
    state.rooms.set(roomId, m);
  }
  return m;
}

async function loadRoomList() {
  const { rooms } = await api('GET', '/api/rooms');
  const seen = new Set();
  for (const r of rooms) {
    seen.add(r.roomId);
    const known = state.rooms.has(r.roomId);
    const m = modelFor(r.roomId);
    m.applyInfo(r);
    if (!known) m.lastSeq = r.lastSeq; // catch-up for a room new to us starts where the list stands
  }
  for (const id of [...state.rooms.keys()]) {
    if (!seen.has(id) && id !== state.current) state.rooms.delete(id);
  }
  renderRoomList();
}

function renderRoomList() {
  const list = [...state.rooms.values()].sort((a, b) =>
    (b.lastMessage?.seq ? Date.parse(b.lastMessage.postedAt) || 0 : 0)
      - (a.lastMessage?.seq ? Date.parse(a.lastMessage.postedAt) || 0 : 0)
    || a.title.localeCompare(b.title));
  $('room-list').replaceChildren(...list.map((m) => {
    const last = m.lastMessage;
    const snippet = !last ? 'No messages yet'
      : last.deleted || last.text === null ? `${last.senderName}: (deleted)` : `${last.senderName}: ${last.text}`;
    const unread = m.unread > 0 && m.roomId !== state.current;
    return el('li', {},
      el('button', {
        type: 'button',
        className: `room-link${unread ? ' has-unread' : ''}`,
        'aria-current': m.roomId === state.current ? 'true' : null,
        onclick: () => openRoom(m.roomId),
      },
      el('span', { className: 'room-name', textContent: `${m.kind === 'channel' ? '#' : '@'} ${m.title}` }),
      unread ? el('span', { className: 'badge', textContent: String(m.unread), 'aria-label': `${m.unread} unread` }) : null,
      m.muted ? el('span', { className: 'muted-mark', textContent: 'muted' }) : null,
      el('span', { className: 'snippet', textContent: snip(snippet, 60) })));
  }));
}

function snip(text, max) {
  const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Subscribes (joining a public room first), loads its newest page and members once, and shows it. */
async function openRoom(roomId, { quiet = false } = {}) {
  if (!state.hub) return false;
  if (!quiet) clearError();
  const isNew = !state.rooms.has(roomId);
  const m = modelFor(roomId);
  try {
    if (!m.loaded) {
      m.loading = true; // events are held back until the snapshot below is in
      const joined = await state.hub.invoke('JoinRoom', roomId);
      const info = await api('GET', `/api/rooms/${roomId}`);
      m.applyInfo(info);
      await loadRoomContent(m);
      const { gap } = m.setBaseline(joined.lastSeq, me());
      if (gap) syncGapSoon(roomId);
    }
    if (isNew) loadRoomList().catch(() => {});
    showRoom(m);
    return true;
  } catch (err) {
    m.loading = false;
    if (isNew) state.rooms.delete(roomId);
    if (sessionStorage.getItem(ROOM_KEY) === roomId) sessionStorage.removeItem(ROOM_KEY);
    if (!quiet) showError(`Could not open the room: ${err.message}`);
    return false;
  }
}

function showRoom(m) {
  if (state.current !== m.roomId) setCompose(null);
  state.current = m.roomId;
  sessionStorage.setItem(ROOM_KEY, m.roomId);
  $('leave').hidden = false;
  $('text').disabled = false;
  $('send').disabled = false;
  renderRoomList();
  renderRoom({ toBottom: true });
  loadPresence();
  markReadSoon();
  $('text').focus();
}

function closeRoomView() {
  state.current = null;
  setCompose(null);
  $('messages').replaceChildren();
  $('pending').replaceChildren();
  $('people').replaceChildren();
  $('typing').textContent = '';
  $('older').hidden = true;
  $('leave').hidden = true;
  $('room-title').textContent = 'No room open';
  $('room-info').textContent = 'Pick a room, find one, or start a direct message.';
  $('text').disabled = true;
  $('send').disabled = true;
}

/** Drops a room from the page (left, removed, or no longer readable). */
function forgetRoom(roomId, reason) {
  state.rooms.delete(roomId);
  for (const p of [...state.pending.values()]) if (p.roomId === roomId) state.pending.delete(p.cid);
  if (state.current === roomId) {
    sessionStorage.removeItem(ROOM_KEY);
    closeRoomView();
  }
  renderRoomList();
  if (reason) toast(reason);
}

async function onLeaveRoom() {
  const m = currentRoom();
  if (!m || !window.confirm(`Leave ${m.title}?`)) return;
  try {
    await state.hub.invoke('LeaveRoom', m.roomId);
    forgetRoom(m.roomId);
  } catch (err) {
    showError(`Could not leave the room: ${err.message}`);
  }
}

async function onCreateRoom(event) {
  event.preventDefault();
  const name = $('room-name').value.trim();
  const visibility = $('room-visibility').value;
  try {
    const room = await api('POST', '/api/rooms', { name, visibility });
    $('room-name').value = '';
    await openRoom(room.roomId);
  } catch (err) {
    showError(`Could not create the room: ${err.message}`);
  }
}

function onJoinById(event) {
  event.preventDefault();
  const id = $('join-id').value.trim();
  if (!GUID.test(id)) {
    showError('A room id looks like 0f8fad5b-d9cb-469f-a165-70867728950e.');
    return;
  }
  openRoom(id).then((ok) => { if (ok) $('join-id').value = ''; });
}

async function onSearch(event) {
  event.preventDefault();
  const q = $('search-q').value.trim();
  if (!q) return;
  const list = $('search-results');
  try {
    const { rooms } = await api('GET', `/api/rooms/search?q=${enc(q)}&limit=20`);
    list.replaceChildren(...(rooms.length ? rooms : [null]).map((r) => (r === null
      ? el('li', { className: 'empty', textContent: 'No public room matches.' })
      : el('li', {},
        el('span', { textContent: r.name }), ' ',
        el('button', {
          type: 'button',
          className: 'link',
          textContent: state.rooms.has(r.roomId) ? 'Open' : 'Join',
          'aria-label': `${state.rooms.has(r.roomId) ? 'Open' : 'Join'} ${r.name}`,
          onclick: () => openRoom(r.roomId),
        })))));
  } catch (err) {
    showError(`Search failed: ${err.message}`);
  }
}

async function onOpenDm(event) {
  event.preventDefault();
  const name = $('dm-name').value.trim();
  if (!name) return;
  try {
    let user;
    try {
      user = await api('GET', `/api/users?name=${enc(name)}`);
    } catch (err) {
      throw err.status === 404 ? new ApiError(404, `There is no user called “${name}”.`) : err;
    }
    if (user.userId === me()) {
      showError('That is you. Pick someone else to message.');
      return;
    }
    const dm = await api('POST', '/api/dms', { userId: user.userId });
    const m = modelFor(dm.roomId);
    m.kind = 'direct';
    m.peerName = user.userName;
    $('dm-name').value = '';
    await openRoom(dm.roomId);
  } catch (err) {
    showError(`Could not open the direct chat: ${err.message}`);
  }
}

// ---------------------------------------------------------------- the open room

function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

function nearBottom() {
  const s = $('scroller');
  return s.scrollHeight - s.scrollTop - s.clientHeight < 60;
}

function renderRoomSoon() {
  if (state.renderQueued) return;
  state.renderQueued = true;
  requestAnimationFrame(() => {
    state.renderQueued = false;
    renderRoom();
  });
}

/** Redraws the open room from its model, keeping the scroll position and the focused control. */
function renderRoom({ toBottom = false } = {}) {
  const m = currentRoom();
  if (!m) return;
  const scroller = $('scroller');
  const stick = toBottom || nearBottom();
  const top = scroller.scrollTop;
  const focusKey = document.activeElement?.dataset?.key;

  $('room-title').textContent = m.title;
  const kind = m.kind === 'channel' ? `${m.visibility === 'private' ? 'Private' : 'Public'} room` : m.kind === 'direct'
    ? 'Direct message' : 'Group chat';
  $('room-info').replaceChildren(`${kind} · you are ${m.role} · id `,
    el('code', { className: 'room-id', textContent: m.roomId }));

  const seen = m.seenBy(me());
  $('messages').replaceChildren(...m.ordered().map((msg) => messageNode(m, msg, seen.get(msg.messageId))));
  $('pending').replaceChildren(...[...state.pending.values()].filter((p) => p.roomId === m.roomId).map(pendingNode));
  $('older').hidden = !m.hasOlder;
  renderTyping();
  renderPeople();

  if (stick) scroller.scrollTop = scroller.scrollHeight;
  else scroller.scrollTop = top;
  if (focusKey) document.querySelector(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
}

function canDelete(m, msg) {
  return msg.senderId === me() || m.role === 'owner' || m.role === 'admin';
}

function messageNode(m, msg, seenBy) {
  const mine = msg.senderId === me();
  const key = (action) => `${msg.messageId}:${action}`;
  const time = el('time', { dateTime: msg.sentAt, textContent: formatTime(msg.sentAt), title: `#${msg.seq}` });

  let replyLine = null;
  if (msg.replyToMessageId) {
    const target = m.messages.get(msg.replyToMessageId);
    const what = !target ? 'an earlier message'
      : target.deleted ? 'a deleted message' : `${target.senderName}: “${snip(target.text, 60)}”`;
    replyLine = el('p', { className: 'reply-ref' }, `↪ replying to ${what}`);
  }

  const body = msg.deleted
    ? el('p', { className: 'text tombstone', textContent: 'This message was deleted.' })
    : el('p', { className: 'text', textContent: msg.text });

  let reactions = null;
  if (!msg.deleted && msg.reactions.size) {
    const chips = [...msg.reactions.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([emoji, count]) => el('button', {
        type: 'button',
        className: 'chip',
        textContent: `${emoji} ${count}`,
        'aria-pressed': msg.mine.has(emoji) ? 'true' : 'false',
        'aria-label': `${emoji} ${count}${msg.mine.has(emoji) ? ', including you. Remove yours' : '. Add yours'}`,
        'data-key': key(`chip${emoji}`),
        onclick: () => toggleReaction(m.roomId, msg, emoji),
      }));
    reactions = el('div', { className: 'reactions', role: 'group', 'aria-label': 'Reactions' }, ...chips);
  }

  let actions = null;
  if (!msg.deleted) {
    const buttons = [
      el('button', {
        type: 'button', className: 'link', textContent: 'Reply', 'data-key': key('reply'),
        onclick: () => setCompose({ mode: 'reply', roomId: m.roomId, messageId: msg.messageId }),
      }),
    ];
    if (mine) {
      buttons.push(el('button', {
        type: 'button', className: 'link', textContent: 'Edit', 'data-key': key('edit'),
        onclick: () => setCompose({ mode: 'edit', roomId: m.roomId, messageId: msg.messageId }),
      }));
    }
    if (canDelete(m, msg)) {
      buttons.push(el('button', {
        type: 'button', className: 'link danger', textContent: 'Delete', 'data-key': key('delete'),
        onclick: () => deleteMessage(m.roomId, msg),
      }));
    }
    const emoji = EMOJI.map((e) => el('button', {
      type: 'button',
      className: 'emoji',
      textContent: e,
      'aria-pressed': msg.mine.has(e) ? 'true' : 'false',
      'aria-label': msg.mine.has(e) ? `Remove your ${e}` : `React with ${e}`,
      'data-key': key(`react${e}`),
      onclick: () => toggleReaction(m.roomId, msg, e),
    }));
    actions = el('div', { className: 'actions' }, ...buttons,
      el('span', { className: 'emoji-row', role: 'group', 'aria-label': 'React' }, ...emoji));
  }

  const note = m.notes.get(msg.messageId);
  const node = el('li', {
    className: `message${mine ? ' mine' : ''}${msg.deleted ? ' deleted' : ''}`,
    id: `m-${msg.messageId}`,
  },
  el('div', { className: 'meta' },
    el('span', { className: 'sender', textContent: msg.senderName }), ' ', time,
    msg.edited && !msg.deleted ? el('span', { className: 'edited', textContent: ' (edited)' }) : null),
  replyLine, body, reactions, actions,
  note ? el('p', { className: 'note', role: 'note', textContent: note }) : null,
  seenBy?.length ? el('p', { className: 'seen', textContent: `Seen by ${seenBy.join(', ')}` }) : null);
  return node;
}

async function loadOlder() {
  const m = currentRoom();
  const oldest = m?.oldestSeq();
  if (!m || oldest === null) return;
  const button = $('older');
  button.disabled = true;
  try {
    const { messages } = await api('GET', `/api/rooms/${m.roomId}/messages?beforeSeq=${oldest}&limit=${PAGE_SIZE}`);
    m.addHistory(messages);
    m.hasOlder = messages.length === PAGE_SIZE;
    if (m.roomId === state.current) {
      const s = $('scroller');
      const fromBottom = s.scrollHeight - s.scrollTop;
      renderRoom();
      s.scrollTop = s.scrollHeight - fromBottom;
    }
  } catch (err) {
    showError(`Could not load older messages: ${err.message}`);
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- read marks and receipts

function markReadSoon() {
  clearTimeout(state.markReadTimer);
  state.markReadTimer = setTimeout(markRead, MARK_READ_DELAY_MS);
}

/** Moves my read mark to the newest event of the room on screen, while the page is actually visible. */
async function markRead() {
  const m = currentRoom();
  if (!m || m.loading || document.visibilityState !== 'visible' || !state.hub?.connected) return;
  if (m.lastSeq <= m.lastReadSeq) {
    if (m.unread) {
      m.unread = 0;
      renderRoomList();
    }
    return;
  }
  try {
    const result = await state.hub.invoke('MarkRead', m.roomId, m.lastSeq);
    m.readUpTo(me(), state.session.username, result?.lastReadSeq ?? m.lastSeq, me());
    m.unread = 0;
    renderRoomList();
  } catch (err) {
    if (!err.connectionLost) console.warn('MarkRead failed', err.message);
  }
}

function onReadReceipt(r) {
  const m = state.rooms.get(r.roomId);
  if (!m) return;
  m.readUpTo(r.userId, r.userName, r.lastReadSeq, me());
  if (r.userId === me()) renderRoomList();
  if (m.roomId === state.current) renderRoomSoon();
}

// ---------------------------------------------------------------- typing

function onTextInput() {
  const m = currentRoom();
  if (!m || !$('text').value.trim() || state.compose?.mode === 'edit') return;
  const now = Date.now();
  if (now - state.lastTypingAt < TYPING_EVERY_MS) return;
  state.lastTypingAt = now;
  state.hub?.send('Typing', m.roomId);
}

function onUserTyping(t) {
  if (t.userId === me()) return;
  const m = state.rooms.get(t.roomId);
  if (!m) return;
  m.typing.set(t.userId, { userName: t.userName, until: Date.now() + TYPING_SHOWN_MS });
  if (m.roomId === state.current) {
    renderTyping();
    setTimeout(renderTyping, TYPING_SHOWN_MS + 50);
  }
}

function renderTyping() {
  const m = currentRoom();
  const names = m ? m.typingNames() : [];
  const text = names.length === 0 ? ''
    : names.length === 1 ? `${names[0]} is typing…`
      : names.length <= 3 ? `${names.join(', ')} are typing…` : 'Several people are typing…';
  if ($('typing').textContent !== text) $('typing').textContent = text;
}

// ---------------------------------------------------------------- presence

/** Presence of the open room's members (up to 100 per call). */
async function loadPresence() {
  const m = currentRoom();
  if (!m) return;
  const ids = [...m.members.keys()];
  try {
    for (let i = 0; i < ids.length; i += 100) {
      const { users } = await api('GET', `/api/users/presence?ids=${ids.slice(i, i + 100).map(enc).join(',')}`);
      for (const u of users) state.presence.set(u.userId, u);
    }
    renderPeople();
  } catch (err) {
    if (err.status !== 401) console.warn('Presence failed', err.message);
  }
}

function onPresenceChanged(p) {
  state.presence.set(p.userId, p);
  renderPeople();
}

function renderPeople() {
  const m = currentRoom();
  if (!m) {
    $('people').replaceChildren();
    return;
  }
  const online = (u) => (u.userId === me() ? !$('invisible').checked : Boolean(state.presence.get(u.userId)?.online));
  const people = [...m.members.values()].sort((a, b) => Number(online(b)) - Number(online(a))
    || a.userName.localeCompare(b.userName));
  $('people').replaceChildren(...people.map((u) => {
    const p = state.presence.get(u.userId);
    const on = online(u);
    const seen = !on && p?.lastSeenAt ? `, last seen ${formatTime(p.lastSeenAt)}` : '';
    return el('li', { className: u.userId === me() ? 'me' : '' },
      el('span', { className: `dot ${on ? 'online' : 'offline'}`, 'aria-hidden': 'true' }),
      el('span', { textContent: u.userName }),
      u.role !== 'member' ? el('span', { className: 'role', textContent: ` (${u.role})` }) : null,
      el('span', { className: 'visually-hidden', textContent: on ? ' online' : ` offline${seen}` }),
      seen ? el('small', { textContent: ` ${seen.slice(2)}`, 'aria-hidden': 'true' }) : null);
  }));
}

async function onInvisibleChange() {
  const box = $('invisible');
  const invisible = box.checked;
  box.disabled = true;
  try {
    await api('PUT', '/api/me/presence', { invisible });
    localStorage.setItem(invisibleKey(), String(invisible));
    toast(invisible ? 'Others now see you as offline.' : 'Others see you online again.');
    renderPeople();
  } catch (err) {
    box.checked = !invisible;
    showError(`Could not change your visibility: ${err.message}`);
  } finally {
    box.disabled = false;
  }
}

// ---------------------------------------------------------------- composing: send, reply, edit

function setCompose(compose) {
  const previous = state.compose;
  state.compose = compose;
  const box = $('text');
  if (!compose) {
    $('compose-mode').hidden = true;
    if (previous?.mode === 'edit') box.value = '';
    return;
  }
  const msg = state.rooms.get(compose.roomId)?.messages.get(compose.messageId);
  if (!msg) {
    setCompose(null);
    return;
  }
  $('compose-mode-text').textContent = compose.mode === 'edit'
    ? 'Editing your message'
    : `Replying to ${msg.senderName}: “${snip(msg.text, 80)}”`;
  $('compose-mode').hidden = false;
  if (compose.mode === 'edit') box.value = msg.text;
  else if (previous?.mode === 'edit') box.value = '';
  box.focus();
}

const STATUS_TEXT = {
  sending: 'Sending…',
  pending: 'Pending — waiting for the room to confirm',
  failed: 'Not sent',
  rejected: 'Rejected',
};

function pendingNode(p) {
  const actions = [];
  if (p.status === 'failed') {
    actions.push(el('button', { type: 'button', className: 'link', textContent: 'Retry', onclick: () => sendPending(p) }));
  }
  if (p.status === 'failed' || p.status === 'rejected') {
    actions.push(el('button', {
      type: 'button',
      className: 'link',
      textContent: 'Discard',
      onclick: () => { state.pending.delete(p.cid); renderRoom(); },
    }));
  }
  return el('li', { className: `message mine ${p.status}` },
    el('div', { className: 'meta' },
      el('span', { className: 'status-text', textContent: STATUS_TEXT[p.status] }),
      p.detail ? `: ${p.detail}` : '', ' ', ...actions),
    p.replyTo ? el('p', { className: 'reply-ref', textContent: '↪ reply' }) : null,
    el('p', { className: 'text', textContent: p.text }));
}

function setPending(p, status, detail = '') {
  if (state.pending.get(p.cid) !== p) return; // already arrived or discarded
  p.status = status;
  p.detail = detail;
  if (p.roomId === state.current) renderRoom();
}

function onSend(event) {
  event.preventDefault();
  const m = currentRoom();
  const box = $('text');
  const text = box.value;
  if (!m || !text.trim()) return;
  const compose = state.compose?.roomId === m.roomId ? state.compose : null;
  if (compose?.mode === 'edit') {
    editMessage(m, compose.messageId, text);
    box.value = '';
    setCompose(null);
    return;
  }
  const p = {
    cid: crypto.randomUUID(), roomId: m.roomId, text, replyTo: compose?.messageId ?? null, status: 'sending', detail: '',
  };
  state.pending.set(p.cid, p);
  box.value = '';
  setCompose(null);
  renderRoom({ toBottom: true });
  sendPending(p);
}

/** Sends (or resends, with the same clientMessageId, so the server sees one message) a pending entry. */
async function sendPending(p) {
  p.retryOnReconnect = false;
  setPending(p, 'sending');
  try {
    if (p.replyTo) await state.hub.invoke('SendReply', p.roomId, p.cid, p.text, p.replyTo);
    else await state.hub.invoke('SendMessage', p.roomId, p.cid, p.text);
    if (p.status === 'sending') setPending(p, 'pending');
  } catch (err) {
    p.retryOnReconnect = Boolean(err.connectionLost);
    setPending(p, 'failed', p.retryOnReconnect ? `${err.message} It will be resent when the connection is back.` : err.message);
  }
}

function onTextKey(event) {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $('send-form').requestSubmit();
  } else if (event.key === 'Escape' && state.compose) {
    event.preventDefault();
    setCompose(null);
  }
}

// ---------------------------------------------------------------- message changes

/** Invokes a change (edit, delete, react) and remembers its changeId, so a MessageRejected can be matched to it. */
async function change(kind, m, msg, note, method, ...args) {
  if (note) {
    m.notes.set(msg.messageId, note);
    if (m.roomId === state.current) renderRoom();
  }
  try {
    const result = await state.hub.invoke(method, m.roomId, msg.messageId, ...args);
    if (result?.changeId) {
      const emoji = kind === 'react' || kind === 'unreact' ? args[0] : null;
      state.changes.set(result.changeId, { kind, roomId: m.roomId, messageId: msg.messageId, emoji });
    }
    return true;
  } catch (err) {
    if (note) m.notes.delete(msg.messageId);
    showError(`Could not ${kind} the message: ${err.message}`);
    if (m.roomId === state.current) renderRoom();
    return false;
  }
}

function editMessage(m, messageId, text) {
  const msg = m.messages.get(messageId);
  if (!msg || msg.deleted || text === msg.text) return;
  change('edit', m, msg, 'Saving your edit…', 'EditMessage', text);
}

function deleteMessage(roomId, msg) {
  const m = state.rooms.get(roomId);
  if (!m || !window.confirm('Delete this message for everyone?')) return;
  change('delete', m, msg, 'Deleting…', 'DeleteMessage');
}

/**
 * Adds my reaction, or removes it when I know it is mine. History does not say which reactions are mine, so an
 * add may be a no-op on the server; either way afterwards it is mine, which is what the button then shows.
 */
async function toggleReaction(roomId, msg, emoji) {
  const m = state.rooms.get(roomId);
  if (!m) return;
  const remove = msg.mine.has(emoji);
  const ok = await change(remove ? 'unreact' : 'react', m, msg, null, remove ? 'RemoveReaction' : 'AddReaction', emoji);
  if (!ok) return;
  if (remove) msg.mine.delete(emoji);
  else msg.mine.add(emoji);
  if (m.roomId === state.current) renderRoomSoon();
}

const REQUEST_TEXT = { edit: 'edit', delete: 'delete', react: 'reaction', unreact: 'reaction removal' };

function onMessageRejected(r) {
  const request = r.request ?? 'send';
  if (request === 'send') {
    const p = state.pending.get(r.clientMessageId);
    if (p) setPending(p, 'rejected', r.reason);
    else toast(`A message of yours was rejected: ${r.reason}`);
    return;
  }
  const what = REQUEST_TEXT[request] ?? request;
  const pending = state.changes.get(r.clientMessageId);
  state.changes.delete(r.clientMessageId);
  const m = state.rooms.get(r.roomId);
  const msg = m?.messages.get(r.messageId);
  if (msg && pending?.emoji && (request === 'react' || request === 'unreact')) {
    if (request === 'react') msg.mine.delete(pending.emoji);
    else msg.mine.add(pending.emoji);
  }
  if (m && msg) {
    m.notes.set(msg.messageId, `Your ${what} was rejected: ${r.reason}`);
    if (m.roomId === state.current) renderRoom();
    else toast(`Your ${what} in ${m.title} was rejected: ${r.reason}`);
  } else {
    toast(`Your ${what} was rejected: ${r.reason}`);
  }
}

// ---------------------------------------------------------------- notifications

const NOTIFICATION_TEXT = {
  mention: 'mentioned you',
  reply: 'replied to you',
  direct: 'sent you a direct message',
};

function addNotifications(list) {
  for (const n of list) {
    const known = state.notifications.get(n.notificationId);
    if (!known || (n.readAt && !known.readAt)) state.notifications.set(n.notificationId, n);
  }
  renderNotifications();
}

async function loadNotifications() {
  try {
    const { notifications } = await api('GET', '/api/notifications?limit=30');
    addNotifications(notifications);
  } catch (err) {
    if (err.status !== 401) showError(`Could not load notifications: ${err.message}`);
  }
}

function renderNotifications() {
  const list = [...state.notifications.values()]
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).slice(0, 30);
  $('notifications-read-all').hidden = !list.some((n) => !n.readAt);
  $('notifications').replaceChildren(...list.map((n) => {
    const room = state.rooms.get(n.roomId);
    const where = room && n.kind !== 'direct' ? ` in ${room.title}` : '';
    return el('li', { className: n.readAt ? 'read' : 'unread' },
      el('span', { className: 'sender', textContent: n.senderName }),
      ` ${NOTIFICATION_TEXT[n.kind] ?? `sent a ${n.kind} notification`}${where} `,
      el('time', { dateTime: n.createdAt, textContent: formatTime(n.createdAt) }),
      n.readAt ? null : el('span', { className: 'visually-hidden', textContent: ' (unread)' }),
      ' ',
      el('button', {
        type: 'button', className: 'link', textContent: 'Open', onclick: () => openNotification(n),
      }),
      n.readAt ? null : el('button', {
        type: 'button', className: 'link', textContent: 'Mark read', onclick: () => markNotificationRead(n),
      }));
  }));
}

async function markNotificationRead(n) {
  try {
    await api('POST', `/api/notifications/${n.notificationId}/read`);
    n.readAt = new Date().toISOString();
    renderNotifications();
  } catch (err) {
    showError(`Could not mark the notification read: ${err.message}`);
  }
}

async function openNotification(n) {
  if (await openRoom(n.roomId)) {
    if (!n.readAt) markNotificationRead(n);
    document.getElementById(`m-${n.messageId}`)?.scrollIntoView({ block: 'center' });
  }
}

async function onReadAllNotifications() {
  try {
    await api('POST', '/api/notifications/read-all');
    const now = new Date().toISOString();
    for (const n of state.notifications.values()) n.readAt ??= now;
    renderNotifications();
  } catch (err) {
    showError(`Could not mark notifications read: ${err.message}`);
  }
}

// ---------------------------------------------------------------- wiring

$('auth-form').addEventListener('submit', onAuthSubmit);
$('create-form').addEventListener('submit', onCreateRoom);
$('join-form').addEventListener('submit', onJoinById);
$('search-form').addEventListener('submit', onSearch);
$('dm-form').addEventListener('submit', onOpenDm);
$('send-form').addEventListener('submit', onSend);
$('text').addEventListener('keydown', onTextKey);
$('text').addEventListener('input', onTextInput);
$('compose-cancel').addEventListener('click', () => setCompose(null));
$('older').addEventListener('click', loadOlder);
$('leave').addEventListener('click', onLeaveRoom);
$('rooms-refresh').addEventListener('click', () => loadRoomList().catch((err) => showError(err.message)));
$('notifications-read-all').addEventListener('click', onReadAllNotifications);
$('invisible').addEventListener('change', onInvisibleChange);
$('logout').addEventListener('click', () => endSession());
$('error-close').addEventListener('click', clearError);
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') markReadSoon(); });

closeRoomView();
state.session = loadSession();
if (state.session) {
  startSession();
} else {
  sessionStorage.removeItem(SESSION_KEY);
  $('username').focus();
}
