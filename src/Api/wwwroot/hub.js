// hub.js — a small client for the SignalR JSON hub protocol over a plain browser WebSocket.
// It skips negotiation, does the handshake, matches invocations to completions, answers with
// keep-alive pings and reconnects with backoff. No library: the protocol is only a few message types.

const RS = '\u001e'; // every JSON frame ends with the ASCII record separator

const TYPE = { invocation: 1, streamItem: 2, completion: 3, ping: 6, close: 7 };

const PING_EVERY_MS = 15_000;   // tell the server we are alive
const SERVER_TIMEOUT_MS = 35_000; // the server pings every 15 s; silence this long means a dead link
const RETRY_DELAYS_MS = [0, 2_000, 5_000, 10_000, 20_000, 30_000];

/** ASP.NET Core wraps a HubException's message in a generic sentence; keep just the message for people. */
function readableError(error) {
  const match = /^An unexpected error occurred invoking '[^']*' on the server\. HubException: ([\s\S]*)$/.exec(error);
  return match ? match[1] : error;
}

/** An error from invoke(); `connectionLost` is true when the call never got an answer because the link dropped. */
export class HubError extends Error {
  constructor(message, connectionLost = false) {
    super(message);
    this.connectionLost = connectionLost;
  }
}

export class Hub {
  #makeUrl;
  #ws = null;
  #connected = false;
  #stopped = true;
  #everConnected = false;
  #attempt = 0;
  #nextId = 1;
  #calls = new Map();    // invocationId -> { resolve, reject }
  #handlers = new Map(); // target -> function
  #pingTimer = 0;
  #idleTimer = 0;
  #retryTimer = 0;

  /** Called as onstate(state, detail) with state 'connecting' | 'connected' | 'reconnecting' | 'stopped'. */
  onstate = () => {};
  /** Called after every successful handshake; `again` is true after a reconnect. */
  onconnected = () => {};
  /** Called with a message when the server closes the connection with an error. */
  onerror = () => {};

  /** `makeUrl` returns the ws(s):// address for the next attempt, or null to give up (e.g. the token expired). */
  constructor(makeUrl) {
    this.#makeUrl = makeUrl;
  }

  get connected() {
    return this.#connected;
  }

  /** Registers the handler for a server-to-client method. */
  on(target, handler) {
    this.#handlers.set(target.toLowerCase(), handler);
  }

  start() {
    this.#stopped = false;
    this.#open();
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    const ws = this.#ws;
    if (ws) {
      this.#dropped(ws, 'Disconnected.');
      ws.close(1000);
    }
    this.onstate('stopped');
  }

  /** Calls a hub method; resolves with its result or rejects with a HubError. Arguments may be any JSON value. */
  invoke(target, ...args) {
    if (!this.#connected) {
      return Promise.reject(new HubError('Not connected to the chat server.', true));
    }
    const invocationId = String(this.#nextId++);
    return new Promise((resolve, reject) => {
      this.#calls.set(invocationId, { resolve, reject });
      this.#send({ type: TYPE.invocation, invocationId, target, arguments: args });
    });
  }

  /** Calls a hub method without waiting for an answer (no invocation id, so the server sends no completion). */
  send(target, ...args) {
    if (this.#connected) {
      this.#send({ type: TYPE.invocation, target, arguments: args });
    }
  }

  #send(frame) {
    this.#ws.send(JSON.stringify(frame) + RS);
  }

  #open() {
    const url = this.#makeUrl();
    if (url === null) {
      this.#stopped = true;
      this.onstate('stopped');
      return;
    }
    this.onstate(this.#everConnected ? 'reconnecting' : 'connecting');

    let ws;
    try {
      ws = new WebSocket(url);
    } catch (err) {
      // e.g. a malformed address or a blocked one: treat it like a failed attempt and try again later.
      ws = { close() {} };
      this.#ws = ws;
      this.#dropped(ws, `Cannot open the connection: ${err.message}`);
      return;
    }
    this.#ws = ws;
    let handshakeDone = false;
    let buffer = '';

    ws.onopen = () => {
      ws.send(JSON.stringify({ protocol: 'json', version: 1 }) + RS);
      this.#armIdleTimer(ws);
    };

    ws.onmessage = (event) => {
      if (this.#ws !== ws || typeof event.data !== 'string') {
        return;
      }
      this.#armIdleTimer(ws);
      // One WebSocket message may carry several frames; keep any unfinished tail for the next one.
      buffer += event.data;
      const pieces = buffer.split(RS);
      buffer = pieces.pop();
      for (const piece of pieces) {
        let frame;
        try {
          frame = JSON.parse(piece);
        } catch {
          this.onerror('The server sent a frame that is not JSON.');
          continue;
        }
        if (!handshakeDone) {
          if (frame.error) {
            this.onerror(`Handshake refused: ${frame.error}`);
            ws.close();
            return;
          }
          handshakeDone = true;
          this.#connectedNow(ws);
          continue;
        }
        this.#dispatch(frame);
      }
    };

    ws.onclose = (event) => {
      const why = event.reason || (event.code === 1006 ? 'Connection lost.' : `Connection closed (${event.code}).`);
      this.#dropped(ws, why);
    };
  }

  #connectedNow(ws) {
    const again = this.#everConnected;
    this.#connected = true;
    this.#everConnected = true;
    this.#attempt = 0;
    this.#pingTimer = setInterval(() => {
      if (this.#ws === ws && ws.readyState === WebSocket.OPEN) {
        this.#send({ type: TYPE.ping });
      }
    }, PING_EVERY_MS);
    this.onstate('connected');
    this.onconnected(again);
  }

  #dispatch(frame) {
    switch (frame.type) {
      case TYPE.invocation: {
        const handler = this.#handlers.get(String(frame.target).toLowerCase());
        if (handler) {
          try {
            handler(...(frame.arguments ?? []));
          } catch (err) {
            console.error(`Handler for ${frame.target} failed`, err);
          }
        }
        break;
      }
      case TYPE.completion: {
        const call = this.#calls.get(frame.invocationId);
        if (call) {
          this.#calls.delete(frame.invocationId);
          if (frame.error !== undefined && frame.error !== null) {
            call.reject(new HubError(readableError(frame.error)));
          } else {
            call.resolve(frame.result);
          }
        }
        break;
      }
      case TYPE.ping:
        break; // receiving anything already reset the idle timer
      case TYPE.close:
        if (frame.error) {
          this.onerror(`The server closed the connection: ${frame.error}`);
        }
        this.#ws?.close();
        break;
      default:
        break; // stream items and other types are not used by this hub
    }
  }

  #armIdleTimer(ws) {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      this.#dropped(ws, 'The server stopped answering.');
      ws.close();
    }, SERVER_TIMEOUT_MS);
  }

  /** Runs once per socket when it goes away: fails its pending calls and plans the next attempt. */
  #dropped(ws, why) {
    if (this.#ws !== ws) {
      return;
    }
    this.#ws = null;
    this.#connected = false;
    clearInterval(this.#pingTimer);
    clearTimeout(this.#idleTimer);
    for (const call of this.#calls.values()) {
      call.reject(new HubError(`${why} The call may not have reached the server.`, true));
    }
    this.#calls.clear();
    if (this.#stopped) {
      return;
    }
    const base = RETRY_DELAYS_MS[Math.min(this.#attempt, RETRY_DELAYS_MS.length - 1)];
    const delay = base === 0 ? 0 : base + Math.floor(Math.random() * 1000);
    this.#attempt++;
    this.onstate('reconnecting', { why, delay });
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }
}
