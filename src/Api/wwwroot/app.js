// EventChat web client: register or log in, open a room, read its history and chat live.
// REST calls go through fetch; live traffic goes through hub.js (SignalR JSON protocol, no library).
// User data is only ever written with textContent, never as HTML.

import { Hub } from './hub.js';

const SESSION_KEY = 'eventchat.session';
const ROOM_KEY = 'eventchat.room';
const RECENT_KEY = 'eventchat.recentRooms';
const PAGE_SIZE = 50;
const CATCH_UP_PAGE = 100;
const PRESENCE_EVERY_MS = 10_000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const $ = (id) => document.getElementById(id);

/** Creates an element; `props` are plain DOM properties and children are nodes or strings (added as text). */
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const state = {
  session: null,        // { accessToken, userId, username, expiresAt }
  hub: null,
  room: null,           // { roomId, name, visibility, ownerId }
  roomEpoch: 0,         // bumped on every room switch, so late answers for an old room are dropped
  bySeq: new Map(),     // seq -> <li> of the open room
  top: null,            // highest seq up to which the history has no holes (null until loaded)
  maxSeq: 0,
  minSeq: Infinity,
  catchingUp: null,
  pending: new Map(),   // clientMessageId -> { cid, roomId, text, status, detail, retryOnReconnect, node }
  notifications: new Set(),
  presenceTimer: 0,
};

// ---------------------------------------------------------------- errors and status

function showError(message) {
  $('error-text').textContent = message;
  $('error').hidden = false;
}

function clearError() {
  $('error').hidden = true;
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
    return response.status === 204 ? null : response.json();
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

// ---------------------------------------------------------------- session

function saveSession(login) {
  state.session = {
    accessToken: login.accessToken,
    userId: login.userId,
    username: login.username,
    expiresAt: Date.now() + login.expiresIn * 1000,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
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

function startSession() {
  clearError();
  $('auth-view').hidden = true;
  $('chat-view').hidden = false;
  $('logout').hidden = false;
  $('whoami').hidden = false;
  $('whoami').textContent = `Signed in as ${state.session.username}`;
  renderRecentRooms();
  loadNotifications();

  state.hub = new Hub(hubUrl);
  state.hub.on('MessageReceived', onMessageReceived);
  state.hub.on('MessageRejected', onMessageRejected);
  state.hub.on('NotificationReceived', (n) => addNotification(n, true));
  state.hub.onstate = onHubState;
  state.hub.onerror = showError;
  state.hub.onconnected = onHubConnected;
  state.hub.start();
}

/** Logs out locally: stops the hub, forgets the token and the room, and shows the login form again. */
function endSession(reason) {
  state.hub?.stop();
  state.hub = null;
  state.session = null;
  sessionStorage.removeItem(SESSION_KEY);
  sessionStorage.removeItem(ROOM_KEY);
  closeRoom();
  $('notifications').replaceChildren();
  state.notifications.clear();
  $('chat-view').hidden = true;
  $('auth-view').hidden = false;
  $('logout').hidden = true;
  $('whoami').hidden = true;
  setStatus('Signed out');
  if (reason) showError(reason);
  $('username').focus();
}

// ---------------------------------------------------------------- hub connection

function hubUrl() {
  if (!state.session) return null;
  if (Date.now() >= state.session.expiresAt) {
    // A WebSocket cannot tell us why the upgrade failed, so check the token's lifetime ourselves.
    queueMicrotask(() => endSession('Your session has expired. Please log in again.'));
    return null;
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/hubs/chat?access_token=${encodeURIComponent(state.session.accessToken)}`;
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

async function onHubConnected(again) {
  if (again && state.room) {
    // Back after a drop: subscribe again, fetch what we missed, then resend what never got through.
    const epoch = state.roomEpoch;
    try {
      await state.hub.invoke('JoinRoom', state.room.roomId);
      if (epoch !== state.roomEpoch) return;
      await catchUp();
      for (const p of state.pending.values()) {
        if (p.retryOnReconnect) sendPending(p);
      }
    } catch (err) {
      showError(`Could not rejoin the room: ${err.message}`);
    }
    loadNotifications();
  } else if (!again) {
    const saved = sessionStorage.getItem(ROOM_KEY);
    if (saved) openRoom(saved);
  }
}

// ---------------------------------------------------------------- rooms

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

function onJoinRoom(event) {
  event.preventDefault();
  const id = $('join-id').value.trim();
  if (!GUID.test(id)) {
    showError('A room id looks like 0f8fad5b-d9cb-469f-a165-70867728950e.');
    return;
  }
  openRoom(id).then((ok) => { if (ok) $('join-id').value = ''; });
}

/** Joins a room over the hub and shows it with its latest history. Returns true when it worked. */
async function openRoom(roomId) {
  if (!state.hub) return false;
  clearError();
  const previous = state.room;
  try {
    const joined = await state.hub.invoke('JoinRoom', roomId);
    const info = await api('GET', `/api/rooms/${joined.roomId}`);
    // Switching rooms keeps the old membership (LeaveRoom would give it up); its live messages are
    // simply not shown while another room is open.
    showRoom(info);
    await loadLatest();
    return true;
  } catch (err) {
    if (sessionStorage.getItem(ROOM_KEY) === roomId && !previous) sessionStorage.removeItem(ROOM_KEY);
    showError(`Could not open room ${roomId}: ${err.message}`);
    return false;
  }
}

function showRoom(info) {
  closeRoom();
  state.room = info;
  sessionStorage.setItem(ROOM_KEY, info.roomId);
  rememberRoom(info);
  $('room-title').textContent = info.name;
  $('room-info').replaceChildren(
    `${info.visibility === 'private' ? 'Private' : 'Public'} room · id `,
    el('code', { textContent: info.roomId, className: 'room-id' }),
  );
  $('leave').hidden = false;
  $('text').disabled = false;
  $('send').disabled = false;
  $('text').focus();
  refreshPresence();
  state.presenceTimer = setInterval(refreshPresence, PRESENCE_EVERY_MS);
}

/** Clears the room view and its state (does not tell the server). */
function closeRoom() {
  state.roomEpoch++;
  state.room = null;
  state.bySeq.clear();
  state.top = null;
  state.maxSeq = 0;
  state.minSeq = Infinity;
  state.catchingUp = null;
  state.pending.clear();
  clearInterval(state.presenceTimer);
  $('messages').replaceChildren();
  $('pending').replaceChildren();
  $('presence').replaceChildren();
  $('older').hidden = true;
  $('leave').hidden = true;
  $('room-title').textContent = 'No room open';
  $('room-info').textContent = 'Create a room or join one by its id.';
  $('text').disabled = true;
  $('send').disabled = true;
}

async function onLeaveRoom() {
  const room = state.room;
  if (!room) return;
  try {
    await state.hub.invoke('LeaveRoom', room.roomId);
    sessionStorage.removeItem(ROOM_KEY);
    closeRoom();
  } catch (err) {
    showError(`Could not leave the room: ${err.message}`);
  }
}

function recentRooms() {
  try {
    return JSON.parse(sessionStorage.getItem(RECENT_KEY)) ?? [];
  } catch {
    return [];
  }
}

function rememberRoom(info) {
  const list = recentRooms().filter((r) => r.roomId !== info.roomId);
  list.unshift({ roomId: info.roomId, name: info.name });
  sessionStorage.setItem(RECENT_KEY, JSON.stringify(list.slice(0, 8)));
  renderRecentRooms();
}

function renderRecentRooms() {
  $('recent-rooms').replaceChildren(...recentRooms().map((r) => el('li', {},
    el('button', {
      type: 'button',
      className: 'link',
      textContent: r.name,
      title: r.roomId,
      onclick: () => openRoom(r.roomId),
    }))));
}

// ---------------------------------------------------------------- presence

async function refreshPresence() {
  const room = state.room;
  if (!room) return;
  try {
    const presence = await api('GET', `/api/rooms/${room.roomId}/presence`);
    if (room !== state.room) return;
    const names = presence.online.map((u) => u.username).sort((a, b) => a.localeCompare(b));
    $('presence').replaceChildren(...names.map((name) =>
      el('li', { textContent: name, className: name === state.session?.username ? 'me' : '' })));
  } catch (err) {
    if (room === state.room && err.status !== 401) showError(`Could not load who is online: ${err.message}`);
  }
}

// ---------------------------------------------------------------- messages and history

function formatTime(iso) {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

function messageNode(m) {
  const mine = m.senderId === state.session?.userId;
  const time = el('time', { dateTime: m.sentAt, textContent: formatTime(m.sentAt) });
  time.title = `#${m.seq} · ${new Date(m.sentAt).toLocaleString()}`;
  const node = el('li', { className: mine ? 'message mine' : 'message' },
    el('div', { className: 'meta' }, el('span', { className: 'sender', textContent: m.senderName }), ' ', time),
    el('p', { className: 'text', textContent: m.text }));
  node.dataset.seq = String(m.seq);
  return node;
}

function nearBottom() {
  const s = $('scroller');
  return s.scrollHeight - s.scrollTop - s.clientHeight < 60;
}

function scrollToBottom() {
  const s = $('scroller');
  s.scrollTop = s.scrollHeight;
}

/** Puts a message in seq order, once; returns false for other rooms and repeats. */
function addMessage(m) {
  if (!state.room || m.roomId !== state.room.roomId || state.bySeq.has(m.seq)) {
    return false;
  }
  const node = messageNode(m);
  const list = $('messages');
  let before = null;
  for (let c = list.lastElementChild; c && Number(c.dataset.seq) > m.seq; c = c.previousElementSibling) {
    before = c;
  }
  list.insertBefore(node, before);
  state.bySeq.set(m.seq, node);
  state.maxSeq = Math.max(state.maxSeq, m.seq);
  state.minSeq = Math.min(state.minSeq, m.seq);
  if (state.top !== null) {
    while (state.bySeq.has(state.top + 1)) state.top++;
  }

  // Our own message has arrived: it is no longer pending.
  if (m.senderId === state.session?.userId) {
    const p = state.pending.get(m.clientMessageId);
    if (p) {
      p.node.remove();
      state.pending.delete(p.cid);
    }
  }
  return true;
}

function addMessages(messages, { keepPosition = false } = {}) {
  const s = $('scroller');
  const stick = nearBottom();
  const fromBottom = s.scrollHeight - s.scrollTop;
  messages.forEach(addMessage);
  if (keepPosition) {
    s.scrollTop = s.scrollHeight - fromBottom;
  } else if (stick) {
    scrollToBottom();
  }
  $('older').hidden = !(state.minSeq > 1 && state.minSeq !== Infinity);
}

function onMessageReceived(m) {
  if (!state.room || m.roomId !== state.room.roomId) return;
  const mine = m.senderId === state.session?.userId;
  const stick = nearBottom();
  if (!addMessage(m)) return;
  if (stick || mine) scrollToBottom();
  // A hole below this message (e.g. we were briefly unsubscribed): fetch it from history.
  if (state.top !== null && state.maxSeq > state.top) catchUp();
}

/** First view of a room: its newest page. */
async function loadLatest() {
  const room = state.room;
  const { messages } = await api('GET', `/api/rooms/${room.roomId}/messages?limit=${PAGE_SIZE}`);
  if (room !== state.room) return;
  addMessages(messages);
  scrollToBottom();
  state.top = messages.length ? messages[messages.length - 1].seq : 0;
  while (state.bySeq.has(state.top + 1)) state.top++;
  if (state.maxSeq > state.top) catchUp();
}

/** Fetches everything after the last seq we hold without holes (after a reconnect or a gap). */
function catchUp() {
  if (state.catchingUp) return state.catchingUp;
  const room = state.room;
  if (!room || state.top === null) return Promise.resolve();
  const run = (async () => {
    try {
      for (;;) {
        const after = state.top;
        const { messages } = await api('GET',
          `/api/rooms/${room.roomId}/messages?afterSeq=${after}&limit=${CATCH_UP_PAGE}`);
        if (room !== state.room) return;
        if (messages.length) {
          // Any message we did not have yet moves "top" forward even if the server skipped a number.
          addMessages(messages);
          state.top = Math.max(state.top, messages[messages.length - 1].seq);
          while (state.bySeq.has(state.top + 1)) state.top++;
        }
        if (messages.length < CATCH_UP_PAGE) break;
      }
    } catch (err) {
      if (room === state.room && err.status !== 401) showError(`Could not load missed messages: ${err.message}`);
    } finally {
      if (state.catchingUp === run) state.catchingUp = null;
    }
  })();
  state.catchingUp = run;
  return run;
}

async function loadOlder() {
  const room = state.room;
  if (!room || state.minSeq === Infinity) return;
  const button = $('older');
  button.disabled = true;
  try {
    const { messages } = await api('GET',
      `/api/rooms/${room.roomId}/messages?beforeSeq=${state.minSeq}&limit=${PAGE_SIZE}`);
    if (room !== state.room) return;
    addMessages(messages, { keepPosition: true });
    if (!messages.length) button.hidden = true;
  } catch (err) {
    showError(`Could not load older messages: ${err.message}`);
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- sending

const STATUS_TEXT = {
  sending: 'Sending…',
  pending: 'Pending — waiting for the room to confirm',
  failed: 'Not sent',
  rejected: 'Rejected',
};

function renderPending(p) {
  const status = el('span', { className: 'status-text', textContent: STATUS_TEXT[p.status] });
  const actions = [];
  if (p.status === 'failed') {
    actions.push(el('button', { type: 'button', className: 'link', textContent: 'Retry', onclick: () => sendPending(p) }));
  }
  if (p.status === 'failed' || p.status === 'rejected') {
    actions.push(el('button', {
      type: 'button',
      className: 'link',
      textContent: 'Discard',
      onclick: () => { p.node.remove(); state.pending.delete(p.cid); },
    }));
  }
  const node = el('li', { className: `message mine ${p.status}` },
    el('div', { className: 'meta' }, status, p.detail ? `: ${p.detail}` : '', ' ', ...actions),
    el('p', { className: 'text', textContent: p.text }));
  if (p.node) {
    p.node.replaceWith(node);
  } else {
    $('pending').append(node);
  }
  p.node = node;
}

function setPending(p, status, detail = '') {
  if (state.pending.get(p.cid) !== p) return; // already arrived or discarded
  p.status = status;
  p.detail = detail;
  renderPending(p);
}

function onSend(event) {
  event.preventDefault();
  const box = $('text');
  const text = box.value;
  if (!state.room || !text.trim()) return;
  const p = { cid: crypto.randomUUID(), roomId: state.room.roomId, text, status: 'sending', detail: '', node: null };
  state.pending.set(p.cid, p);
  renderPending(p);
  box.value = '';
  scrollToBottom();
  sendPending(p);
}

/** Sends (or resends, with the same clientMessageId, so the server sees one message) a pending entry. */
async function sendPending(p) {
  p.retryOnReconnect = false;
  setPending(p, 'sending');
  try {
    await state.hub.invoke('SendMessage', p.roomId, p.cid, p.text);
    if (p.status === 'sending') setPending(p, 'pending');
  } catch (err) {
    p.retryOnReconnect = Boolean(err.connectionLost);
    setPending(p, 'failed', p.retryOnReconnect ? `${err.message} It will be resent when the connection is back.` : err.message);
  }
}

function onMessageRejected(r) {
  const p = state.pending.get(r.clientMessageId);
  if (p) {
    setPending(p, 'rejected', r.reason);
  } else if (state.room && r.roomId === state.room.roomId) {
    showError(`A message of yours was rejected: ${r.reason}`);
  }
}

function onTextKey(event) {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $('send-form').requestSubmit();
  }
}

// ---------------------------------------------------------------- notifications

function notificationNode(n) {
  const what = n.kind === 'mention' ? 'mentioned you' : `sent a ${n.kind} notification`;
  const time = el('time', { dateTime: n.createdAt, textContent: formatTime(n.createdAt) });
  return el('li', { className: n.readAt ? 'read' : 'unread' },
    el('span', { className: 'sender', textContent: n.senderName }), ` ${what} `, time, ' ',
    el('button', {
      type: 'button',
      className: 'link',
      textContent: 'Open room',
      title: n.roomId,
      onclick: () => openRoom(n.roomId),
    }));
}

function addNotification(n, live) {
  if (state.notifications.has(n.notificationId)) return;
  state.notifications.add(n.notificationId);
  const list = $('notifications');
  if (live) {
    list.prepend(notificationNode(n));
  } else {
    list.append(notificationNode(n));
  }
  while (list.children.length > 30) list.lastElementChild.remove();
}

async function loadNotifications() {
  try {
    const { notifications } = await api('GET', '/api/notifications?limit=30');
    // The list comes newest first; anything pushed live meanwhile is already at the top.
    const fresh = notifications.filter((n) => !state.notifications.has(n.notificationId));
    if (state.notifications.size === 0) {
      fresh.forEach((n) => addNotification(n, false));
    } else {
      fresh.reverse().forEach((n) => addNotification(n, true));
    }
  } catch (err) {
    if (err.status !== 401) showError(`Could not load notifications: ${err.message}`);
  }
}

// ---------------------------------------------------------------- wiring

$('auth-form').addEventListener('submit', onAuthSubmit);
$('create-form').addEventListener('submit', onCreateRoom);
$('join-form').addEventListener('submit', onJoinRoom);
$('send-form').addEventListener('submit', onSend);
$('text').addEventListener('keydown', onTextKey);
$('older').addEventListener('click', loadOlder);
$('leave').addEventListener('click', onLeaveRoom);
$('logout').addEventListener('click', () => endSession());
$('error-close').addEventListener('click', clearError);

closeRoom();
state.session = loadSession();
if (state.session) {
  startSession();
} else {
  sessionStorage.removeItem(SESSION_KEY);
  $('username').focus();
}
