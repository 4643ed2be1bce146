// Sluice conferencing client: one WebSocket (docs/protocol.md) and one RTCPeerConnection per participant.
// Dependency-free ES module, served at /js/sluice-client.js. The client is always the SDP offerer.

/**
 * @typedef {{rid: string, width: number, height: number}} Layer
 * @typedef {{id: string, participantId: string, kind: 'audio'|'video', source: string, muted: boolean,
 *            layers?: Layer[]}} TrackInfo
 * @typedef {{id: string, name?: string, metadata?: any, tracks?: TrackInfo[]}} ParticipantInfo
 * @typedef {{state: 'active'|'paused', reason?: 'preference'|'publisherMuted'|'bandwidth'}} SubscriptionState
 * @typedef {{info: TrackInfo, mediaStreamTrack?: MediaStreamTrack, subscription?: SubscriptionState}} RemoteTrack
 * @typedef {{id: string, name?: string, metadata?: any, tracks: Map<string, RemoteTrack>}} RemoteParticipant
 * @typedef {{audio?: number, video?: number, iceRestart?: boolean}} NegotiationNeeds
 */

/** Protocol version sent with every message. */
export const PROTOCOL_VERSION = 1;

/** WebSocket close codes after which the client does not try to resume. */
const FINAL_CLOSE_CODES = new Set([4000, 4401, 4409]);

/** An error reply from the server (or a local failure), with the protocol's error `code`. */
export class SluiceError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'SluiceError';
    this.code = code;
  }
}

/**
 * Serializes SDP negotiations: at most one `run` is in flight; requests arriving meanwhile are merged
 * (largest receive counts, any ICE restart) into the single next run. Pure logic, no WebRTC.
 */
export class NegotiationQueue {
  /**
   * @param {(needs: NegotiationNeeds) => Promise<void>} run performs one offer/answer exchange
   * @param {(fn: () => void) => void} [schedule] how a run is started (default: next macrotask, so
   *     synchronous requests of the same turn coalesce into one offer)
   */
  constructor(run, schedule = (fn) => setTimeout(fn, 0)) {
    this._run = run;
    this._schedule = schedule;
    /** @type {NegotiationNeeds|null} */
    this._pending = null;
    /** @type {{resolve: () => void, reject: (e: any) => void}[]} */
    this._waiters = [];
    this._busy = false;
    this._closed = false;
  }

  /** True while a run is scheduled or in flight. */
  get busy() {
    return this._busy;
  }

  /**
   * Asks for a negotiation covering `needs`; resolves when a run that includes it has completed.
   * @param {NegotiationNeeds} [needs]
   * @returns {Promise<void>}
   */
  request(needs = {}) {
    if (this._closed) return Promise.reject(new SluiceError('closed', 'the client is closed'));
    this._pending = mergeNeeds(this._pending, needs);
    const done = new Promise((resolve, reject) => this._waiters.push({ resolve, reject }));
    if (!this._busy) {
      this._busy = true;
      this._schedule(() => this._next());
    }
    return done;
  }

  /** Rejects every waiting request; later requests are refused. */
  close() {
    this._closed = true;
    this._pending = null;
    const waiters = this._waiters.splice(0);
    waiters.forEach((w) => w.reject(new SluiceError('closed', 'the client is closed')));
  }

  async _next() {
    if (this._closed || this._pending === null) {
      this._busy = false;
      return;
    }
    const needs = this._pending;
    const waiters = this._waiters.splice(0);
    this._pending = null;
    try {
      await this._run(needs);
      waiters.forEach((w) => w.resolve());
    } catch (e) {
      waiters.forEach((w) => w.reject(e));
    }
    if (this._pending !== null && !this._closed) {
      this._schedule(() => this._next());
    } else {
      this._busy = false;
    }
  }
}

/**
 * Merges two negotiation requests: the larger receive counts, ICE restart if either asks for it.
 * @param {NegotiationNeeds|null} a @param {NegotiationNeeds} b @returns {NegotiationNeeds}
 */
export function mergeNeeds(a, b) {
  const base = a ?? { audio: 0, video: 0, iceRestart: false };
  return {
    audio: Math.max(base.audio ?? 0, b.audio ?? 0),
    video: Math.max(base.video ?? 0, b.video ?? 0),
    iceRestart: Boolean(base.iceRestart || b.iceRestart),
  };
}

/**
 * The simulcast layers a camera of width x height is sent as: rids q, h, f scaled down by 4, 2, 1,
 * lowest first (as `layers` in the offer's `publish`).
 * @param {number} width @param {number} height @returns {Layer[]}
 */
export function simulcastLayers(width, height) {
  return [['q', 4], ['h', 2], ['f', 1]].map(([rid, scale]) => ({
    rid: /** @type {string} */ (rid),
    width: Math.floor(width / /** @type {number} */ (scale)),
    height: Math.floor(height / /** @type {number} */ (scale)),
  }));
}

/**
 * Compares the receive mapping before and after an answer.
 * @param {Map<string, {trackId: string, participantId: string}>} before mid -> remote track
 * @param {{mid: string, trackId: string, participantId: string}[]} tracks the answer's `tracks`
 * @returns {{ended: {mid: string, trackId: string, participantId: string}[],
 *            started: {mid: string, trackId: string, participantId: string}[],
 *            after: Map<string, {trackId: string, participantId: string}>}}
 */
export function diffReceiveMapping(before, tracks) {
  const after = new Map();
  for (const t of tracks ?? []) after.set(String(t.mid), { trackId: t.trackId, participantId: t.participantId });
  const ended = [];
  const started = [];
  for (const [mid, old] of before) {
    const now = after.get(mid);
    if (!now || now.trackId !== old.trackId) ended.push({ mid, ...old });
  }
  for (const [mid, now] of after) {
    const old = before.get(mid);
    if (!old || old.trackId !== now.trackId) started.push({ mid, ...now });
  }
  return { ended, started, after };
}

/** The WebSocket URL for `url` (http(s)/ws(s)/relative) or, by default, this page's origin + /ws. */
/** The DCEP protocol of the addressed messaging channels (see {@link encodeEnvelope}). */
export const MESSAGING_PROTOCOL = 'sluice-data.v1';
const ENVELOPE_VERSION = 1;
const ENVELOPE_MAX_FIELD = 64;

/**
 * A room message as the addressed channels carry it (always binary): version 1, flags (bit 0: text), the topic
 * (length byte + UTF-8), the ids (count byte, then length byte + UTF-8 each: the recipients when sent, the sender
 * when received), then the payload.
 * @param {{topic?: string, ids?: string[], data: string|ArrayBuffer|ArrayBufferView}} message
 * @returns {Uint8Array}
 */
export function encodeEnvelope({ topic = '', ids = [], data }) {
  const utf8 = new TextEncoder();
  const text = typeof data === 'string';
  const payload = text ? utf8.encode(data)
    : data instanceof ArrayBuffer ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const topicBytes = utf8.encode(topic);
  const idBytes = ids.map((id) => utf8.encode(id));
  if (topicBytes.length > ENVELOPE_MAX_FIELD || idBytes.length > ENVELOPE_MAX_FIELD
      || idBytes.some((b) => b.length === 0 || b.length > ENVELOPE_MAX_FIELD)) {
    throw new SluiceError('invalid', 'topic, recipient list or a recipient id too long');
  }
  const size = 4 + topicBytes.length + idBytes.reduce((n, b) => n + 1 + b.length, 0) + payload.length;
  const out = new Uint8Array(size);
  let at = 0;
  out[at++] = ENVELOPE_VERSION;
  out[at++] = text ? 1 : 0;
  out[at++] = topicBytes.length;
  out.set(topicBytes, at); at += topicBytes.length;
  out[at++] = idBytes.length;
  for (const b of idBytes) { out[at++] = b.length; out.set(b, at); at += b.length; }
  out.set(payload, at);
  return out;
}

/**
 * Reads an envelope; null when malformed.
 * @param {ArrayBuffer|Uint8Array} buffer
 * @returns {{topic: string, ids: string[], data: string|ArrayBuffer}|null}
 */
export function decodeEnvelope(buffer) {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    if (bytes.length < 4 || bytes[0] !== ENVELOPE_VERSION || (bytes[1] & ~1) !== 0) return null;
    let at = 2;
    const topicLength = bytes[at++];
    if (topicLength > ENVELOPE_MAX_FIELD || at + topicLength >= bytes.length) return null;
    const topic = utf8.decode(bytes.subarray(at, at + topicLength));
    at += topicLength;
    const count = bytes[at++];
    if (count > ENVELOPE_MAX_FIELD) return null;
    const ids = [];
    for (let i = 0; i < count; i++) {
      if (at >= bytes.length) return null;
      const length = bytes[at++];
      if (length === 0 || length > ENVELOPE_MAX_FIELD || at + length > bytes.length) return null;
      ids.push(utf8.decode(bytes.subarray(at, at + length)));
      at += length;
    }
    const payload = bytes.slice(at);
    const data = (bytes[1] & 1) ? utf8.decode(payload) : payload.buffer;
    return { topic, ids, data };
  } catch (e) {
    return null; // not UTF-8
  }
}

function base64Encode(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function base64Decode(text) {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out.buffer;
}

function websocketUrl(url) {
  const base = typeof location !== 'undefined' ? location.href : 'http://localhost/';
  const resolved = new URL(url ?? '/ws', base);
  if (resolved.protocol === 'http:') resolved.protocol = 'ws:';
  if (resolved.protocol === 'https:') resolved.protocol = 'wss:';
  return resolved.href;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A promise with its resolve/reject exposed. */
function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

const PING_INTERVAL_MS = 10000;
const REQUEST_TIMEOUT_MS = 15000;
const BACKOFF_MS = [500, 1000, 2000, 4000];
/**
 * Failed attempts to reopen the socket of a node that `wrong_node` sent this client to before the client takes the
 * node for gone and joins afresh through the URL it was given (which places the room on a live node).
 */
const NODE_LOST_ATTEMPTS = 2;

/**
 * A participant in a Sluice conference room.
 *
 * Events (CustomEvent, data in `detail`): `participantjoined` {participant}, `participantleft`
 * {participantId, reason}, `participantupdated` {participant}, `trackpublished` {participantId, track},
 * `trackunpublished` {participantId, trackId}, `trackmuted` {participantId, trackId, muted},
 * `track` {participantId, trackId, kind, track}, `trackended` {participantId, trackId, kind, track},
 * `activespeakers` {speakers}, `reconnecting` {}, `reconnected` {}, `removed` {reason},
 * `error` {error}, `connectionstatechange` {state}.
 */
export class SluiceClient extends EventTarget {
  /**
   * Opens the WebSocket, joins the room and resolves once joined.
   * @param {{url?: string, token?: string, room: string, name?: string, metadata?: any,
   *          autoSubscribe?: boolean, iceServers?: RTCIceServer[]}} options
   * @returns {Promise<SluiceClient>}
   */
  static async connect(options) {
    const client = new SluiceClient(options);
    try {
      await client._open();
    } catch (e) {
      client._shutdown(); // a refused join leaves the socket open and un-joined: close it
      throw e;
    }
    return client;
  }

  /** @private Use {@link SluiceClient.connect}. */
  constructor({ url, token, room, name, metadata, autoSubscribe = true, iceServers } = /** @type {any} */ ({})) {
    super();
    if (!room) throw new SluiceError('bad_message', 'room is required');
    this._url = websocketUrl(url);
    /** Where the application pointed the client; `wrong_node` may move {@link _url} to another node. */
    this._entryUrl = this._url;
    this._token = token;
    this._room = room;
    this._joinFields = { name, metadata, autoSubscribe };
    this._autoSubscribe = autoSubscribe;
    this._iceServersOverride = iceServers;
    /** @type {WebSocket|null} */
    this._ws = null;
    this._nextId = 1;
    /** @type {Map<string, {resolve: Function, reject: Function, timer: any}>} */
    this._requests = new Map();
    /** @type {{id: string, name?: string, metadata?: any, tracks: Map<string, RemoteTrack>}|null} */
    this._self = null;
    /** @type {Map<string, RemoteParticipant>} */
    this._participants = new Map();
    this._resumeToken = null;
    this._reconnectGrace = 0;
    /** @type {RTCPeerConnection|null} */
    this._pc = null;
    /** Local sending sections, in the order they were added. */
    this._locals = /** @type {LocalSection[]} */ ([]);
    /** mid -> remote track it carries (from the last answer). */
    this._receiving = new Map();
    /** Receive counts asked for by `renegotiate`. */
    this._wanted = { audio: 0, video: 0 };
    this._queue = new NegotiationQueue((needs) => this._negotiate(needs));
    this._state = 'new'; // new | joined | reconnecting | closed
    /** @private The addressed messaging channels, once {@link openMessaging} was called. */
    this._messaging = null;
    this._joinedWaiters = [];
    this._pingTimer = null;
    this._pingOutstanding = false;
    this._statsBaseline = new Map();
    /** The last unsolicited `error` (explains a 4401 close). */
    this._lastServerError = null;
    /** Set when a resume finds the ICE path broken: the next offer restarts ICE. */
    this._restartIce = false;
  }

  /** This participant: {id, name, metadata, tracks: Map trackId -> {info, mediaStreamTrack}}. */
  get self() {
    return this._self;
  }

  /** The other participants: Map id -> {id, name, metadata, tracks: Map trackId -> {info, mediaStreamTrack?}}. */
  get participants() {
    return this._participants;
  }

  /** The one peer connection (null before the first negotiation). */
  get pc() {
    return this._pc;
  }

  /** The room name. */
  get room() {
    return this._room;
  }

  /** 'joined', 'reconnecting' or 'closed'. */
  get state() {
    return this._state;
  }

  // ---------------------------------------------------------------- publishing

  /**
   * Publishes a camera (getUserMedia unless `stream` is given). Resolves with the server's track id.
   * `scalabilityMode` is given to the encoder (one string for every encoding, or one per simulcast encoding q, h,
   * f): e.g. `L1T3` (VP8, three temporal layers) or `L3T3_KEY` (VP9 SVC, three spatial and three temporal
   * layers). `codec` (e.g. `VP9`) is put first in the section's codec preferences so the server answers with it.
   * @param {{width?: number, height?: number, simulcast?: boolean, stream?: MediaStream,
   *          scalabilityMode?: string|string[], codec?: string}} [options]
   * @returns {Promise<string>}
   */
  async publishCamera({ width = 640, height = 360, simulcast = false, stream, scalabilityMode, codec } = {}) {
    let owned = false;
    if (!stream) {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width, height } });
      owned = true;
    }
    const track = stream.getVideoTracks()[0];
    if (!track) throw new SluiceError('bad_message', 'the stream has no video track');
    return this._publish(track, stream, 'camera', simulcast, owned, width, height, { scalabilityMode, codec });
  }

  /**
   * Publishes a microphone (getUserMedia unless `stream` is given). Resolves with the server's track id.
   * @param {{stream?: MediaStream}} [options]
   * @returns {Promise<string>}
   */
  async publishMicrophone({ stream } = {}) {
    let owned = false;
    if (!stream) {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      owned = true;
    }
    const track = stream.getAudioTracks()[0];
    if (!track) throw new SluiceError('bad_message', 'the stream has no audio track');
    return this._publish(track, stream, 'microphone', false, owned);
  }

  /**
   * Publishes the screen (getDisplayMedia). Resolves with the server's track id of the video.
   * @returns {Promise<string>}
   */
  async publishScreen() {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const track = stream.getVideoTracks()[0];
    return this._publish(track, stream, 'screen', false, true);
  }

  /** @private */
  _publish(track, stream, source, simulcast, owned, width, height, { scalabilityMode, codec } = {}) {
    this._assertOpen();
    const pc = this._ensurePeerConnection();
    /** @type {RTCRtpTransceiverInit} */
    const init = { direction: 'sendonly', streams: [stream] };
    let layers;
    let size;
    let mode;
    if (track.kind === 'video') {
      const settings = track.getSettings ? track.getSettings() : {};
      const w = settings.width || width;
      const h = settings.height || height;
      const modeOf = (i) => (Array.isArray(scalabilityMode) ? scalabilityMode[i] : scalabilityMode);
      if (simulcast) {
        layers = simulcastLayers(w, h);
        init.sendEncodings = [
          { rid: 'q', scaleResolutionDownBy: 4 },
          { rid: 'h', scaleResolutionDownBy: 2 },
          { rid: 'f', scaleResolutionDownBy: 1 },
        ];
        init.sendEncodings.forEach((e, i) => { if (modeOf(i)) e.scalabilityMode = modeOf(i); });
        mode = modeOf(2);
      } else {
        if (w && h) size = { width: w, height: h };
        if (scalabilityMode) {
          mode = modeOf(0);
          init.sendEncodings = [{ scalabilityMode: mode }];
        }
      }
    }
    const transceiver = pc.addTransceiver(track, init);
    if (codec) preferCodec(transceiver, track.kind, codec);
    /** @type {LocalSection} */
    const local = {
      transceiver, track, stream, source, muted: !track.enabled, layers, owned, size, scalabilityMode: mode, codec,
      simulcast, trackId: null, published: deferred(),
    };
    this._locals.push(local);
    // A track that ends by itself (the user stops sharing the screen, a device goes away) is unpublished.
    track.addEventListener?.('ended', () => {
      if (local.trackId !== null && this._locals.includes(local) && this._state !== 'closed') {
        this.unpublish(local.trackId).catch((e) => this._emitError(e));
      }
    });
    this._queue.request({}).catch(() => {});
    return local.published.promise.catch((e) => {
      this._dropLocal(local);
      throw e;
    });
  }

  /**
   * Stops publishing a track: tells the server, stops sending and renegotiates.
   * @param {string} trackId @returns {Promise<void>}
   */
  async unpublish(trackId) {
    const local = this._locals.find((l) => l.trackId === trackId);
    if (!local) throw new SluiceError('unknown_track', `no local track ${trackId}`);
    await this._request('unpublish', { trackId });
    this._dropLocal(local);
    this._self?.tracks.delete(trackId);
    await this._queue.request({});
  }

  /**
   * @private Dynacast: switches the simulcast encodings of a published track on and off as the server asks
   * (`encodings[i].active` by rid through `RTCRtpSender.setParameters`). Changes run one at a time per track, each
   * against the latest wish, so a quick off-on never leaves an older wish applied last.
   */
  _applyActiveLayers(local) {
    const apply = async () => {
      const sender = local.transceiver.sender;
      if (!sender?.getParameters || !local.activeLayers || !this._locals.includes(local)) return;
      const params = sender.getParameters();
      let changed = false;
      for (const encoding of params.encodings ?? []) {
        if (encoding.rid === undefined || !(encoding.rid in local.activeLayers)) continue;
        const active = Boolean(local.activeLayers[encoding.rid]);
        if (encoding.active !== active) {
          encoding.active = active;
          changed = true;
        }
      }
      if (changed) await sender.setParameters(params);
    };
    local.layerChange = (local.layerChange ?? Promise.resolve()).then(apply).catch((e) => this._emitError(e));
    return local.layerChange;
  }

  /** @private Stops a local section's sending; it is never reused. */
  _dropLocal(local) {
    this._locals = this._locals.filter((l) => l !== local);
    try {
      if (local.transceiver.mid === null) {
        local.transceiver.stop();
      } else {
        local.transceiver.direction = 'inactive';
        local.transceiver.sender.replaceTrack(null).catch(() => {});
      }
    } catch (e) {
      // the connection is closed already
    }
    if (local.owned) local.track.stop();
  }

  /**
   * Mutes or unmutes a published track (also toggles the local track's `enabled`).
   * @param {string} trackId @param {boolean} muted @returns {Promise<void>}
   */
  async setMuted(trackId, muted) {
    const local = this._locals.find((l) => l.trackId === trackId);
    if (!local) throw new SluiceError('unknown_track', `no local track ${trackId}`);
    local.muted = Boolean(muted);
    local.track.enabled = !local.muted;
    const own = this._self?.tracks.get(trackId);
    if (own) own.info = { ...own.info, muted: local.muted };
    await this._request('mute', { trackId, muted: local.muted });
  }

  // ---------------------------------------------------------------- data channels

  /**
   * Opens a data channel to the room. What is sent on it reaches every other participant's channel with the same
   * label, as text or binary as it was sent; the channel's own options (`ordered`, `maxRetransmits`,
   * `maxPacketLifeTime`) decide how reliably it reaches the server and each recipient's channel how reliably it
   * goes on from there. Messages up to 256 KiB. Receive with the channel's `message` events (set
   * `binaryType = 'arraybuffer'` for binary); close with `channel.close()`, which closes only that channel.
   * @param {string} label
   * @param {RTCDataChannelInit} [options]
   * @returns {Promise<RTCDataChannel>} the channel, once open
   */
  async openDataChannel(label, options = {}) {
    const pc = this._ensurePeerConnection();
    const channel = pc.createDataChannel(label, options);
    const opened = new Promise((resolve, reject) => {
      channel.addEventListener('open', () => resolve(channel), { once: true });
      channel.addEventListener('close', () => reject(new SluiceError('closed', 'data channel closed before it opened')),
        { once: true });
    });
    if (this._state === 'joined' && !pc.sctp) {
      await this._queue.request({}); // the first channel adds the data section to the session
    }
    return opened;
  }

  // ---------------------------------------------------------------- room messages

  /**
   * Opens the two addressed messaging channels (reliable ordered, and unordered with `maxRetransmits: 0`), so
   * {@link sendData} goes over data channels instead of the WebSocket and messages for this participant arrive on
   * them. Without them both directions use the WebSocket. Resolves once both are open.
   */
  async openMessaging() {
    if (!this._messaging) {
      const open = async (label, options) => {
        const channel = await this.openDataChannel(label, { ...options, protocol: MESSAGING_PROTOCOL });
        channel.binaryType = 'arraybuffer';
        channel.addEventListener('message', (e) => {
          const envelope = typeof e.data === 'string' ? null : decodeEnvelope(e.data);
          if (envelope && envelope.ids.length === 1) {
            this._emit('data', { from: envelope.ids[0], topic: envelope.topic || undefined, data: envelope.data,
              reliable: options.maxRetransmits === undefined, via: 'datachannel' });
          }
        });
        channel.addEventListener('close', () => { if (this._messaging) this._messaging = null; }, { once: true });
        return channel;
      };
      this._messaging = Promise.all([
        open('sluice.reliable', {}),
        open('sluice.lossy', { ordered: false, maxRetransmits: 0 }),
      ]).then(([reliable, lossy]) => ({ reliable, lossy }));
      this._messaging.catch(() => { this._messaging = null; });
    }
    await this._messaging;
  }

  /**
   * Sends a room message: to the participants named in `to`, or else to those following `topic` (and those that
   * follow every topic), or else to everyone else in the room. Text arrives as text, binary (ArrayBuffer or a
   * typed array) as an ArrayBuffer, in the recipients' `data` event. Goes over the messaging channel of its kind
   * when {@link openMessaging} opened them (up to 256 KiB), else over the WebSocket (up to about 48 KiB of
   * binary; `reliable: false` changes nothing there). Over the WebSocket it resolves once the server routed it and
   * rejects with `rate_limited` or `unknown_participant`.
   * @param {string|ArrayBuffer|ArrayBufferView} data
   * @param {{to?: string[], topic?: string, reliable?: boolean}} [options]
   */
  async sendData(data, { to = [], topic, reliable = true } = {}) {
    this._assertOpen();
    let channels = null;
    if (this._messaging) {
      try { channels = await this._messaging; } catch (e) { channels = null; }
    }
    const channel = channels && (reliable ? channels.reliable : channels.lossy);
    if (channel && channel.readyState === 'open') {
      channel.send(encodeEnvelope({ topic: topic ?? '', ids: to, data }));
      return;
    }
    const text = typeof data === 'string';
    const bytes = text ? null : data instanceof ArrayBuffer ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    await this._request('data', {
      data: text ? data : base64Encode(bytes),
      binary: text ? undefined : true,
      to: to.length ? to : undefined,
      topic,
      reliable: reliable ? undefined : false,
    });
  }

  /**
   * Chooses the topics whose room messages this participant gets (`null`: all, the default). Messages without a
   * topic, and messages naming this participant, arrive regardless.
   * @param {string[]|null} topics
   */
  async followTopics(topics) {
    await this._request('dataTopics', { topics: topics === null ? null : [...topics] });
  }

  // ---------------------------------------------------------------- receiving

  /** Starts receiving these tracks (the server then asks for a renegotiation). @param {string[]} trackIds */
  async subscribe(trackIds) {
    await this._request('subscribe', { trackIds });
  }

  /** Stops receiving these tracks. @param {string[]} trackIds */
  async unsubscribe(trackIds) {
    await this._request('unsubscribe', { trackIds });
  }

  /**
   * Sets how a received track is forwarded. Absent fields keep their value. `maxHeight` (pixels) chooses the
   * simulcast layer, or the spatial layer of a VP9 SVC track; `maxFramerate` (frames per second) the temporal
   * layer; `maxSpatialLayer` / `maxTemporalLayer` cap the layer ids. 0 (height, frame rate) or -1 (layer ids)
   * lifts a limit.
   * @param {string} trackId
   * @param {{paused?: boolean, maxHeight?: number, maxLayer?: string|null, priority?: number,
   *          maxFramerate?: number, maxSpatialLayer?: number, maxTemporalLayer?: number}} preferences
   */
  async setPreferences(trackId, {
    paused, maxHeight, maxLayer, priority, maxFramerate, maxSpatialLayer, maxTemporalLayer,
  } = {}) {
    await this._request('preferences', {
      trackId, paused, maxHeight, maxLayer, priority, maxFramerate, maxSpatialLayer, maxTemporalLayer,
    });
  }

  /** Changes this participant's display name and/or metadata. @param {{name?: string, metadata?: any}} change */
  async update({ name, metadata } = {}) {
    await this._request('update', { name, metadata });
    if (this._self) {
      if (name !== undefined) this._self.name = name;
      if (metadata !== undefined) this._self.metadata = metadata;
    }
    if (name !== undefined) this._joinFields.name = name;
    if (metadata !== undefined) this._joinFields.metadata = metadata;
  }

  /** Leaves the room and closes everything. Idempotent. */
  async leave() {
    if (this._state === 'closed') return;
    const ws = this._ws;
    if (ws && ws.readyState === WebSocket.OPEN && this._state === 'joined') {
      let timer;
      try {
        await Promise.race([this._request('leave', {}), new Promise((resolve) => { timer = setTimeout(resolve, 2000); })]);
      } catch (e) {
        // leaving anyway
      } finally {
        clearTimeout(timer);
      }
    }
    this._shutdown();
  }

  /**
   * Current media statistics, bitrates from the deltas since the previous call.
   * @returns {Promise<{remote: {participantId: string, trackId: string, kind: string, width: number,
   *   height: number, fps: number, bitrate: number, packetsReceived: number, framesDecoded: number}[],
   *   local: {trackId: string|null, source: string, kind: string, width: number, height: number,
   *   fps: number, bitrate: number}[]}>}
   */
  async stats() {
    const out = { remote: [], local: [] };
    if (!this._pc) return out;
    const report = await this._pc.getStats();
    const baseline = new Map();
    const bitrate = (s, bytes) => {
      baseline.set(s.id, { bytes, timestamp: s.timestamp });
      const prev = this._statsBaseline.get(s.id);
      if (!prev || s.timestamp <= prev.timestamp) return 0;
      return Math.max(0, Math.round(((bytes - prev.bytes) * 8 * 1000) / (s.timestamp - prev.timestamp)));
    };
    const midOf = (s) => {
      if (s.mid !== undefined) return String(s.mid);
      const t = this._pc.getTransceivers().find((x) => x.receiver.track && x.receiver.track.id === s.trackIdentifier);
      return t ? t.mid : null;
    };
    const localByMid = new Map();
    report.forEach((s) => {
      if (s.type === 'inbound-rtp') {
        const mid = midOf(s);
        const carried = mid === null ? undefined : this._receiving.get(mid);
        if (!carried) return;
        out.remote.push({
          participantId: carried.participantId, trackId: carried.trackId, kind: s.kind,
          width: s.frameWidth ?? 0, height: s.frameHeight ?? 0, fps: s.framesPerSecond ?? 0,
          bitrate: bitrate(s, s.bytesReceived ?? 0), packetsReceived: s.packetsReceived ?? 0,
          framesDecoded: s.framesDecoded ?? 0,
        });
      } else if (s.type === 'outbound-rtp') {
        const mid = s.mid !== undefined ? String(s.mid) : null;
        const local = this._locals.find((l) => l.transceiver.mid !== null && l.transceiver.mid === mid);
        if (!local) return;
        const entry = localByMid.get(mid) ?? {
          trackId: local.trackId, source: local.source, kind: s.kind, width: 0, height: 0, fps: 0, bitrate: 0,
        };
        entry.width = Math.max(entry.width, s.frameWidth ?? 0);
        entry.height = Math.max(entry.height, s.frameHeight ?? 0);
        entry.fps = Math.max(entry.fps, s.framesPerSecond ?? 0);
        entry.bitrate += bitrate(s, s.bytesSent ?? 0);
        localByMid.set(mid, entry);
      }
    });
    this._statsBaseline = baseline;
    out.local = [...localByMid.values()];
    return out;
  }

  // ---------------------------------------------------------------- connection

  /**
   * @private Opens the socket and joins (or resumes). Rejects if joining fails. In a cluster, a server that does
   * not serve the room answers `wrong_node` with the URL of the node that does: the client goes there (at most
   * three times) and keeps that URL for reconnects.
   */
  async _open(resume) {
    for (let hop = 0; ; hop++) {
      try {
        return await this._openOnce(resume);
      } catch (e) {
        if (!(e instanceof SluiceError) || e.code !== 'wrong_node' || !e.url || hop >= 2 || resume) throw e;
        const old = this._ws;
        this._ws = null;
        if (old) {
          old.onclose = null;
          old.close(1000, 'wrong node');
        }
        this._url = websocketUrl(e.url);
      }
    }
  }

  /** @private One socket, one join. */
  async _openOnce(resume) {
    const protocols = this._token ? ['sluice.v1', `bearer.${this._token}`] : [];
    const ws = new WebSocket(this._url, protocols);
    this._ws = ws;
    const opened = new Promise((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onclose = (event) => reject(new SluiceError('closed', `socket closed (${event.code}) ${event.reason}`));
    });
    ws.onmessage = (event) => this._onMessage(ws, event.data);
    await opened;
    ws.onclose = (event) => this._onClose(ws, event);
    const join = { room: this._room, ...this._joinFields };
    if (resume) join.resume = resume;
    const joined = await this._request('join', join, ws);
    this._onJoined(joined);
    return joined;
  }

  /** @private */
  _onJoined(joined) {
    const resumed = Boolean(joined.resumed);
    this._resumeToken = joined.resumeToken ?? this._resumeToken;
    this._reconnectGrace = joined.reconnectGrace ?? this._reconnectGrace;
    if (!this._iceServersOverride && joined.iceServers) this._iceServers = joined.iceServers;
    const selfTracks = new Map();
    for (const t of joined.self?.tracks ?? []) selfTracks.set(t.id, { info: t });
    this._self = { id: joined.self?.id, name: joined.self?.name, metadata: joined.self?.metadata, tracks: selfTracks };
    if (resumed || this._rejoining) {
      this._reconcile(joined.participants ?? []);
    } else {
      for (const p of joined.participants ?? []) this._participants.set(p.id, toParticipant(p));
    }
    this._state = 'joined';
    this._startPing();
    if (resumed && this._pc && ['disconnected', 'failed'].includes(this._pc.iceConnectionState)) {
      this._restartIce = true;
    }
    this._joinedWaiters.splice(0).forEach((w) => w.resolve());
    if (resumed) {
      // Offer again after a resume: it reconciles the receive mapping and restarts ICE if the path is
      // broken. A negotiation already queued (an offer lost with the socket) does that itself.
      if (!this._queue.busy) this._queue.request({}).catch((e) => this._emitError(e));
    } else if (this._autoSubscribe && this._remoteTrackCount().audio + this._remoteTrackCount().video > 0) {
      this._queue.request({}).catch((e) => this._emitError(e));
    }
  }

  /** @private Applies the full room state of a resumed `joined`, firing events for what changed. */
  _reconcile(list) {
    const seen = new Set();
    for (const p of list) {
      seen.add(p.id);
      const existing = this._participants.get(p.id);
      if (!existing) {
        const participant = this._attachReceived(toParticipant(p));
        this._participants.set(p.id, participant);
        this._emit('participantjoined', { participant });
        continue;
      }
      if (existing.name !== p.name || JSON.stringify(existing.metadata) !== JSON.stringify(p.metadata)) {
        existing.name = p.name;
        existing.metadata = p.metadata;
        this._emit('participantupdated', { participant: existing });
      }
      const trackIds = new Set();
      for (const info of p.tracks ?? []) {
        trackIds.add(info.id);
        const known = existing.tracks.get(info.id);
        if (!known) {
          existing.tracks.set(info.id, { info, mediaStreamTrack: this._receivedTrack(info.id) });
          this._emit('trackpublished', { participantId: p.id, track: info });
        } else {
          const wasMuted = known.info.muted;
          known.info = info;
          if (wasMuted !== info.muted) {
            this._emit('trackmuted', { participantId: p.id, trackId: info.id, muted: info.muted });
          }
        }
      }
      for (const trackId of [...existing.tracks.keys()]) {
        if (!trackIds.has(trackId)) {
          existing.tracks.delete(trackId);
          this._emit('trackunpublished', { participantId: p.id, trackId });
        }
      }
    }
    for (const id of [...this._participants.keys()]) {
      if (!seen.has(id)) {
        this._participants.delete(id);
        this._emit('participantleft', { participantId: id, reason: 'left' });
      }
    }
  }

  /** @private */
  _onClose(ws, event) {
    if (ws !== this._ws) return;
    const error = event.code === 4401
      ? new SluiceError('unauthorized', this._lastServerError?.message ?? 'the token was refused')
      : new SluiceError('disconnected', `socket closed (${event.code})`);
    this._failRequests(ws, error);
    this._stopPing();
    if (this._state === 'closed' || this._state === 'new') return;
    if (FINAL_CLOSE_CODES.has(event.code) || event.code === 1000) {
      // 1000 follows our leave or a server-side close; 4000 follows `removed`; 4409: superseded.
      if (this._state !== 'closed') {
        this._emit('removed', { reason: event.code === 4409 ? 'superseded' : (event.reason || `closed ${event.code}`) });
        this._shutdown();
      }
      return;
    }
    this._reconnect();
  }

  /** @private Resumes with backoff until the grace period ends. */
  async _reconnect() {
    if (this._state === 'reconnecting') return;
    this._state = 'reconnecting';
    this._emit('reconnecting', {});
    const deadline = Date.now() + (this._reconnectGrace || 0);
    let unreachable = 0;
    let rejoin = false;
    for (let attempt = 0; this._state === 'reconnecting'; attempt++) {
      await sleep(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]);
      if (this._state !== 'reconnecting') return;
      if (Date.now() >= deadline) break;
      try {
        if (rejoin) {
          await this._rejoin();
          this._emit('reconnected', { rejoined: true });
        } else {
          await this._open({ participantId: this._self.id, resumeToken: this._resumeToken });
          this._emit('reconnected', {});
        }
        return;
      } catch (e) {
        if (this._state !== 'reconnecting') return;
        const ws = this._ws;
        if (ws) {
          ws.onclose = null;
          try {
            ws.close();
          } catch (closeError) {
            // already closed
          }
        }
        const code = e instanceof SluiceError ? e.code : null;
        // Sent to another node by `wrong_node`, and that node is gone (it refuses the socket, or no longer knows
        // this participant): the room lives on elsewhere now. Join afresh through the URL we were given.
        if (!rejoin && this._url !== this._entryUrl
            && (code === 'resume_failed' || (code === 'closed' && ++unreachable >= NODE_LOST_ATTEMPTS))) {
          rejoin = true;
          attempt = -1;
          continue;
        }
        const retryable = code === 'closed' || code === 'disconnected' || code === 'timeout' || code === null;
        if (code === 'unauthorized' || code === 'resume_failed' || (rejoin && !retryable)) {
          this._emit('removed', { reason: code });
          this._shutdown();
          return;
        }
      }
    }
    if (this._state === 'reconnecting') {
      this._emit('removed', { reason: 'reconnect_timeout' });
      this._shutdown();
    }
  }

  /**
   * @private Joins the room afresh through the entry URL after the room's node was lost: the old peer connection and
   * everything received on it end (`track` ended events), the participants are reconciled with the new node's
   * (`participantleft` for the old ids, `participantjoined` for who is there), this participant gets a new id, and
   * every local track still live is published again on a new peer connection (new track ids). Retried by the
   * reconnect loop until the grace period ends.
   */
  async _rejoin() {
    if (!this._orphans) {
      this._orphans = this._locals.splice(0);
      const old = this._pc;
      this._pc = null;
      if (old) old.close();
      for (const [mid, carried] of this._receiving) this._emitEnded(mid, carried);
      this._receiving.clear();
      this._resumeToken = null;
      this._restartIce = false;
    }
    this._url = this._entryUrl;
    this._rejoining = true;
    try {
      await this._open(null);
    } finally {
      this._rejoining = false;
    }
    const locals = this._orphans;
    this._orphans = null;
    for (const local of locals) {
      if (local.track.readyState === 'ended') continue;
      this._publish(local.track, local.stream, local.source, local.simulcast, local.owned, local.size?.width,
        local.size?.height, { scalabilityMode: local.scalabilityMode, codec: local.codec })
        .catch((e) => this._emitError(e));
    }
  }

  /** @private Closes socket, peer connection and owned local tracks. */
  _shutdown() {
    if (this._state === 'closed') return;
    this._state = 'closed';
    this._stopPing();
    this._queue.close();
    const ws = this._ws;
    if (ws) {
      ws.onclose = null;
      this._failRequests(ws, new SluiceError('closed', 'the client is closed'));
      try {
        ws.close(1000);
      } catch (e) {
        // already closed
      }
    }
    this._joinedWaiters.splice(0).forEach((w) => w.reject(new SluiceError('closed', 'the client is closed')));
    for (const local of [...this._locals, ...(this._orphans ?? [])]) {
      local.published.reject(new SluiceError('closed', 'the client is closed'));
      if (local.owned) local.track.stop();
    }
    for (const [mid, carried] of this._receiving) this._emitEnded(mid, carried);
    this._receiving.clear();
    if (this._pc) this._pc.close();
  }

  /** @private */
  _startPing() {
    this._stopPing();
    this._pingOutstanding = false;
    this._pingTimer = setInterval(() => {
      const ws = this._ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) return;
      if (this._pingOutstanding) {
        // No pong for a whole interval: the socket is dead even if the browser has not noticed.
        ws.onclose = null;
        try {
          ws.close();
        } catch (e) {
          // ignore
        }
        this._onClose(ws, { code: 1006, reason: 'ping timeout' });
        return;
      }
      this._pingOutstanding = true;
      this._request('ping', {}, ws).then(() => {
        this._pingOutstanding = false;
      }, () => {});
    }, PING_INTERVAL_MS);
  }

  /** @private */
  _stopPing() {
    if (this._pingTimer) clearInterval(this._pingTimer);
    this._pingTimer = null;
  }

  /** @private Resolves when joined (at once if joined now); rejects when the client closes. */
  _whenJoined() {
    if (this._state === 'joined') return Promise.resolve();
    if (this._state === 'closed') return Promise.reject(new SluiceError('closed', 'the client is closed'));
    return new Promise((resolve, reject) => this._joinedWaiters.push({ resolve, reject }));
  }

  /** @private */
  _assertOpen() {
    if (this._state === 'closed') throw new SluiceError('closed', 'the client is closed');
  }

  // ---------------------------------------------------------------- messages

  /**
   * @private Sends a request with an id; resolves with the reply, rejects with a SluiceError on `error`,
   * on timeout or when the socket closes first.
   */
  _request(type, fields, ws = this._ws) {
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new SluiceError('disconnected', 'not connected'));
    }
    const id = String(this._nextId++);
    const message = { type, v: PROTOCOL_VERSION, id };
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) message[key] = value;
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this._requests.delete(id);
        reject(new SluiceError('timeout', `no reply to ${type}`));
      }, REQUEST_TIMEOUT_MS);
      this._requests.set(id, { resolve, reject, timer, ws });
      ws.send(JSON.stringify(message));
    });
  }

  /** @private */
  _failRequests(ws, error) {
    for (const [id, pending] of this._requests) {
      if (pending.ws !== ws) continue;
      clearTimeout(pending.timer);
      this._requests.delete(id);
      pending.reject(error);
    }
  }

  /** @private */
  _onMessage(ws, data) {
    if (ws !== this._ws) return;
    let message;
    try {
      message = JSON.parse(data);
    } catch (e) {
      return;
    }
    if (!message || typeof message !== 'object') return;
    if (message.id !== undefined && message.id !== null) {
      const pending = this._requests.get(String(message.id));
      if (pending) {
        this._requests.delete(String(message.id));
        clearTimeout(pending.timer);
        if (message.type === 'error') {
          const error = new SluiceError(message.code, message.message);
          if (typeof message.url === 'string') error.url = message.url;
          pending.reject(error);
        }
        else pending.resolve(message);
        return;
      }
    }
    this._onEvent(message);
  }

  /** @private Server events. */
  _onEvent(message) {
    switch (message.type) {
      case 'participantJoined': {
        const participant = this._attachReceived(toParticipant(message.participant));
        if (participant.id === this._self?.id) return;
        this._participants.set(participant.id, participant);
        this._emit('participantjoined', { participant });
        break;
      }
      case 'participantUpdated': {
        const p = message.participant;
        if (p?.id === this._self?.id) {
          this._self.name = p.name;
          this._self.metadata = p.metadata;
          return;
        }
        const existing = this._participants.get(p?.id);
        if (!existing) return;
        existing.name = p.name;
        existing.metadata = p.metadata;
        this._emit('participantupdated', { participant: existing });
        break;
      }
      case 'participantLeft': {
        if (!this._participants.delete(message.participantId)) return;
        this._emit('participantleft', { participantId: message.participantId, reason: message.reason });
        break;
      }
      case 'trackPublished': {
        const info = message.track;
        if (!info) return;
        if (info.participantId === this._self?.id) {
          const own = this._self.tracks.get(info.id);
          if (own) own.info = info;
          else this._self.tracks.set(info.id, { info });
          return;
        }
        const owner = this._participants.get(info.participantId);
        if (!owner) return;
        const known = owner.tracks.get(info.id);
        if (known) known.info = info;
        else owner.tracks.set(info.id, { info, mediaStreamTrack: this._receivedTrack(info.id) });
        this._emit('trackpublished', { participantId: info.participantId, track: info });
        break;
      }
      case 'trackUnpublished': {
        if (message.participantId === this._self?.id) {
          this._self.tracks.delete(message.trackId);
          return;
        }
        const owner = this._participants.get(message.participantId);
        if (!owner || !owner.tracks.delete(message.trackId)) return;
        this._emit('trackunpublished', { participantId: message.participantId, trackId: message.trackId });
        break;
      }
      case 'trackMuted': {
        const owner = message.participantId === this._self?.id
          ? this._self : this._participants.get(message.participantId);
        const track = owner?.tracks.get(message.trackId);
        if (track) track.info = { ...track.info, muted: Boolean(message.muted) };
        if (owner && owner !== this._self) {
          this._emit('trackmuted', { participantId: message.participantId, trackId: message.trackId, muted: Boolean(message.muted) });
        }
        break;
      }
      case 'activeSpeakers':
        this._emit('activespeakers', { speakers: message.speakers ?? [] });
        break;
      case 'subscriptionState': {
        const state = message.state === 'paused' ? 'paused' : 'active';
        const reason = state === 'paused' && typeof message.reason === 'string' ? message.reason : undefined;
        const track = this._participants.get(message.participantId)?.tracks.get(message.trackId);
        if (track) track.subscription = reason ? { state, reason } : { state };
        this._emit('subscriptionstate', { participantId: message.participantId, trackId: message.trackId, state, reason });
        break;
      }
      case 'renegotiate': {
        const audio = Number(message.audio) || 0;
        const video = Number(message.video) || 0;
        this._wanted = { audio: Math.max(this._wanted.audio, audio), video: Math.max(this._wanted.video, video) };
        this._queue.request({ audio, video }).catch((e) => this._emitError(e));
        break;
      }
      case 'publicationLayers': {
        const local = this._locals.find((l) => l.trackId === message.trackId);
        const active = message.active;
        if (!local || !active || typeof active !== 'object') return;
        local.activeLayers = { ...active };
        this._applyActiveLayers(local);
        this._emit('publicationlayers', { trackId: message.trackId, active: { ...active } });
        break;
      }
      case 'data':
        if (typeof message.from === 'string' && typeof message.data === 'string') {
          let data = message.data;
          if (message.binary) {
            try { data = base64Decode(message.data); } catch (e) { return; }
          }
          this._emit('data', { from: message.from, topic: message.topic, data, reliable: true, via: 'websocket' });
        }
        break;
      case 'removed':
        this._emit('removed', { reason: message.reason });
        this._shutdown();
        break;
      case 'error':
        this._lastServerError = message;
        this._emitError(new SluiceError(message.code, message.message));
        break;
      default:
        break; // unknown events are ignored (forward compatibility)
    }
  }

  // ---------------------------------------------------------------- negotiation

  /** @private */
  _ensurePeerConnection() {
    if (this._pc) return this._pc;
    const pc = new RTCPeerConnection({
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
      iceServers: this._iceServersOverride ?? this._iceServers ?? [],
    });
    pc.addEventListener('connectionstatechange', () => {
      this._emit('connectionstatechange', { state: pc.connectionState });
    });
    pc.addEventListener('iceconnectionstatechange', () => {
      // The media path broke while signaling is up (e.g. the network changed): restart ICE. While the socket
      // is down, the resume does this instead.
      if (pc.iceConnectionState === 'failed' && this._state === 'joined') {
        this._queue.request({ iceRestart: true }).catch((e) => this._emitError(e));
      }
    });
    this._pc = pc;
    return pc;
  }

  /** @private The remote tracks this client expects to receive, by kind. */
  _remoteTrackCount() {
    const count = { audio: 0, video: 0 };
    if (!this._autoSubscribe) return count;
    for (const p of this._participants.values()) {
      for (const t of p.tracks.values()) {
        if (t.info.kind === 'audio' || t.info.kind === 'video') count[t.info.kind]++;
      }
    }
    return count;
  }

  /** @private Adds receive-only transceivers until there are at least `needs` of each kind. */
  _ensureReceivers(pc, needs) {
    for (const kind of ['audio', 'video']) {
      const have = pc.getTransceivers().filter((t) => t.currentDirection !== 'stopped'
        && t.direction === 'recvonly' && t.receiver.track.kind === kind).length;
      for (let i = have; i < needs[kind]; i++) pc.addTransceiver(kind, { direction: 'recvonly' });
    }
  }

  /**
   * @private One offer/answer exchange. Waits for the socket; an offer lost with the socket is rolled back
   * and sent again once resumed. A server error rolls the offer back and fails the publications in it.
   */
  async _negotiate(needs) {
    for (;;) {
      await this._whenJoined();
      const pc = this._ensurePeerConnection();
      if (pc.signalingState === 'have-local-offer') {
        await pc.setLocalDescription({ type: 'rollback' });
      }
      const expected = this._remoteTrackCount();
      this._ensureReceivers(pc, {
        audio: Math.max(needs.audio ?? 0, this._wanted.audio, expected.audio),
        video: Math.max(needs.video ?? 0, this._wanted.video, expected.video),
      });
      const iceRestart = Boolean(needs.iceRestart || this._restartIce);
      const offer = await pc.createOffer(iceRestart ? { iceRestart: true } : {});
      await pc.setLocalDescription(offer);
      const offered = this._locals.filter((l) => l.transceiver.mid !== null);
      const publish = offered.map((l) => {
        const entry = { mid: l.transceiver.mid, source: l.source, muted: l.muted };
        if (l.layers) entry.layers = l.layers;
        if (l.size) Object.assign(entry, l.size);
        if (l.scalabilityMode) entry.scalabilityMode = l.scalabilityMode;
        return entry;
      });
      let answer;
      try {
        answer = await this._request('offer', { sdp: pc.localDescription.sdp, publish });
      } catch (e) {
        if (e instanceof SluiceError && (e.code === 'disconnected' || e.code === 'timeout')) {
          if (this._state === 'closed') throw e;
          continue; // resent after the resume (rolled back above)
        }
        if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
        for (const local of offered) {
          if (local.trackId === null) local.published.reject(e);
        }
        throw e;
      }
      await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
      // The server forwards what this answer mapped only now: a packet ahead of the answer could be bound by a
      // browser to another section of its kind. A failure (an older server) changes nothing.
      this._request('answered', {}).catch(() => {});
      if (iceRestart) this._restartIce = false;
      this._applyAnswer(pc, answer, offered);
      return;
    }
  }

  /** @private Records published track ids and attaches remote tracks by mid. */
  _applyAnswer(pc, answer, offered) {
    const published = new Map((answer.published ?? []).map((p) => [String(p.mid), p.trackId]));
    for (const local of offered) {
      const trackId = published.get(local.transceiver.mid);
      if (trackId) {
        const wasNew = local.trackId === null;
        local.trackId = trackId;
        if (this._self && !this._self.tracks.has(trackId)) {
          this._self.tracks.set(trackId, {
            info: { id: trackId, participantId: this._self.id, kind: local.track.kind, source: local.source,
              muted: local.muted, layers: local.layers },
            mediaStreamTrack: local.track,
          });
        } else if (this._self) {
          this._self.tracks.get(trackId).mediaStreamTrack = local.track;
        }
        if (wasNew) local.published.resolve(trackId);
      } else if (local.trackId === null) {
        local.published.reject(new SluiceError('not_published', `the answer published no track for mid ${local.transceiver.mid}`));
      }
    }
    const { ended, started, after } = diffReceiveMapping(this._receiving, answer.tracks ?? []);
    for (const e of ended) this._emitEnded(e.mid, e);
    this._receiving = after;
    const transceivers = pc.getTransceivers();
    for (const s of started) {
      const transceiver = transceivers.find((t) => t.mid === s.mid);
      if (!transceiver) continue;
      const track = transceiver.receiver.track;
      const owner = this._participants.get(s.participantId);
      const entry = owner?.tracks.get(s.trackId);
      if (entry) entry.mediaStreamTrack = track;
      this._emit('track', { participantId: s.participantId, trackId: s.trackId, kind: track.kind, track });
    }
  }

  /**
   * @private The MediaStreamTrack a remote track is received in, if an answer already mapped it (an answer
   * can overtake the event announcing the track).
   */
  _receivedTrack(trackId) {
    for (const [mid, carried] of this._receiving) {
      if (carried.trackId !== trackId) continue;
      return this._pc?.getTransceivers().find((t) => t.mid === mid)?.receiver.track;
    }
    return undefined;
  }

  /** @private Sets mediaStreamTrack on a participant's tracks that are received already. */
  _attachReceived(participant) {
    for (const [trackId, entry] of participant.tracks) entry.mediaStreamTrack = this._receivedTrack(trackId);
    return participant;
  }

  /** @private */
  _emitEnded(mid, carried) {
    const transceiver = this._pc?.getTransceivers().find((t) => t.mid === mid);
    const track = transceiver?.receiver.track;
    const owner = this._participants.get(carried.participantId);
    const entry = owner?.tracks.get(carried.trackId);
    if (entry && entry.mediaStreamTrack === track) entry.mediaStreamTrack = undefined;
    this._emit('trackended', { participantId: carried.participantId, trackId: carried.trackId, kind: track?.kind, track });
  }

  // ---------------------------------------------------------------- events

  /** @private */
  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** @private */
  _emitError(error) {
    if (error instanceof SluiceError && error.code === 'closed') return;
    this._emit('error', { error });
  }
}

/**
 * @typedef {{transceiver: RTCRtpTransceiver, track: MediaStreamTrack, source: string, muted: boolean,
 *            layers?: Layer[], size?: {width: number, height: number}, scalabilityMode?: string,
 *            owned: boolean, trackId: string|null, activeLayers?: Object<string, boolean>,
 *            layerChange?: Promise<void>,
 *            published: {promise: Promise<string>, resolve: Function, reject: Function}}} LocalSection
 */

/**
 * Puts `codec` (a name such as `VP9`, or a MIME type) first in a sending transceiver's codec preferences, its
 * profile 0 (`profile-id=0`, what the server takes) before other profiles; the rest keep their order. The offer
 * then lists it first and the server's answer sends with it. Throws a SluiceError if the browser has no such codec.
 * @param {RTCRtpTransceiver} transceiver @param {string} kind @param {string} codec
 */
export function preferCodec(transceiver, kind, codec) {
  const mime = (codec.includes('/') ? codec : `${kind}/${codec}`).toLowerCase();
  const capabilities = (globalThis.RTCRtpReceiver?.getCapabilities?.(kind)
    ?? globalThis.RTCRtpSender?.getCapabilities?.(kind))?.codecs;
  if (!capabilities || typeof transceiver.setCodecPreferences !== 'function') {
    throw new SluiceError('not_supported', 'this browser cannot set codec preferences');
  }
  const wanted = capabilities.filter((c) => c.mimeType.toLowerCase() === mime);
  if (wanted.length === 0) throw new SluiceError('not_supported', `this browser has no ${codec} codec`);
  const profileZero = (c) => (/profile-id=0(;|$)/.test(c.sdpFmtpLine ?? '') || !/profile-id=/.test(c.sdpFmtpLine ?? '') ? 0 : 1);
  wanted.sort((a, b) => profileZero(a) - profileZero(b));
  transceiver.setCodecPreferences([...wanted, ...capabilities.filter((c) => c.mimeType.toLowerCase() !== mime)]);
}

/** @param {ParticipantInfo} p @returns {RemoteParticipant} */
function toParticipant(p) {
  const tracks = new Map();
  for (const info of p.tracks ?? []) tracks.set(info.id, { info });
  return { id: p.id, name: p.name, metadata: p.metadata, tracks };
}
