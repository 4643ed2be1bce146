// Unit tests of /js/sluice-client.js against a scripted server and a fake RTCPeerConnection.
// Run: node --test signaling-api/src/test/js/   (no npm dependencies)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = readFileSync(fileURLToPath(new URL('../../main/resources/webroot/js/sluice-client.js', import.meta.url)), 'utf8');
// A data: URL is always an ES module, whatever package.json says.
const { SluiceClient, NegotiationQueue, mergeNeeds, simulcastLayers, diffReceiveMapping, preferCodec,
  encodeEnvelope, decodeEnvelope } =
  await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);

// ------------------------------------------------------------------ fakes

class FakeWebSocket {
  static OPEN = 1;
  static instances = [];
  /** URLs whose sockets are refused (closed before they open, as a dead server's). */
  static refused = new Set();

  constructor(url, protocols) {
    this.url = url;
    this.protocols = protocols;
    this.readyState = 0;
    this.sent = [];
    this.waiters = [];
    FakeWebSocket.instances.push(this);
    setTimeout(() => {
      if (this.readyState !== 0) return;
      if (FakeWebSocket.refused.has(url)) {
        this.readyState = 3;
        this.onclose?.({ code: 1006, reason: '' });
        return;
      }
      this.readyState = 1;
      this.onopen?.();
    }, 0);
  }

  send(text) {
    const message = JSON.parse(text);
    this.sent.push(message);
    if (message.type === 'leave') setTimeout(() => this.receive({ type: 'ok', id: message.id }), 0);
    for (const w of this.waiters.splice(0)) {
      if (!w.matches(message)) this.waiters.push(w);
      else w.resolve(message);
    }
  }

  /** Resolves with the first sent message of this type (already sent or future). */
  next(type, after = 0) {
    const found = this.sent.slice(after).find((m) => m.type === type);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ matches: (m) => m.type === type, resolve }));
  }

  /** Every sent message of this type. */
  all(type) {
    return this.sent.filter((m) => m.type === type);
  }

  receive(message) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  close(code = 1000, reason = '') {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.closedWith = code;
    setTimeout(() => this.onclose?.({ code, reason }), 0);
  }

  /** The server (or the network) drops the connection. */
  drop(code = 1006, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

let trackCounter = 0;

class FakeTrack {
  constructor(kind) {
    this.kind = kind;
    this.id = `track-${++trackCounter}`;
    this.enabled = true;
    this.stopped = false;
  }

  getSettings() {
    return { width: 640, height: 360 };
  }

  stop() {
    this.stopped = true;
  }
}

class FakeTransceiver {
  constructor(kind, init, track) {
    this.mid = null;
    this.direction = init?.direction ?? 'sendrecv';
    this.currentDirection = null;
    this.init = init;
    this.receiver = { track: new FakeTrack(kind) };
    this.sender = { track, replaceTrack: async (t) => { this.sender.track = t; } };
    // RTCRtpSender parameters: the encodings given, each active until set otherwise; every set is recorded.
    this.encodings = (init?.sendEncodings ?? [{}]).map((e) => ({ ...e, active: true }));
    this.parameterSets = [];
    this.sender.getParameters = () => ({ transactionId: 'x', encodings: this.encodings.map((e) => ({ ...e })) });
    this.sender.setParameters = async (params) => {
      await sleep(2);
      this.encodings = params.encodings.map((e) => ({ ...e }));
      this.parameterSets.push(this.encodings.map((e) => `${e.rid}:${e.active}`).join(' '));
    };
  }

  stop() {
    this.direction = 'stopped';
    this.currentDirection = 'stopped';
  }

  setCodecPreferences(codecs) {
    this.codecPreferences = codecs;
  }
}

class FakePeerConnection extends EventTarget {
  static instances = [];

  constructor(config) {
    super();
    this.config = config;
    this.transceivers = [];
    this.signalingState = 'stable';
    this.iceConnectionState = 'new';
    this.connectionState = 'new';
    this.localDescription = null;
    this.remoteDescription = null;
    this.offers = [];
    this.nextMid = 0;
    this.pendingMids = [];
    this.closed = false;
    FakePeerConnection.instances.push(this);
  }

  addTransceiver(trackOrKind, init) {
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    const t = new FakeTransceiver(kind, init, typeof trackOrKind === 'string' ? null : trackOrKind);
    this.transceivers.push(t);
    return t;
  }

  getTransceivers() {
    return [...this.transceivers];
  }

  async createOffer(options = {}) {
    assert.equal(this.signalingState, 'stable', 'offers only from stable');
    this.offers.push(options);
    const sections = this.transceivers.filter((t) => t.direction !== 'stopped')
      .map((t) => `${t.receiver.track.kind}:${t.direction}`);
    return { type: 'offer', sdp: `offer#${this.offers.length} ${sections.join(' ')}${options.iceRestart ? ' restart' : ''}` };
  }

  async setLocalDescription(description) {
    if (description.type === 'rollback') {
      assert.equal(this.signalingState, 'have-local-offer');
      for (const t of this.pendingMids.splice(0)) t.mid = null;
      this.signalingState = 'stable';
      this.localDescription = this.remoteDescription;
      return;
    }
    for (const t of this.transceivers) {
      if (t.mid === null && t.direction !== 'stopped') {
        t.mid = String(this.nextMid++);
        this.pendingMids.push(t);
      }
    }
    this.signalingState = 'have-local-offer';
    this.localDescription = description;
  }

  async setRemoteDescription(description) {
    assert.equal(this.signalingState, 'have-local-offer');
    this.pendingMids = [];
    this.signalingState = 'stable';
    this.remoteDescription = description;
  }

  async getStats() {
    return new Map();
  }

  close() {
    this.closed = true;
  }
}

globalThis.WebSocket = FakeWebSocket;
globalThis.RTCPeerConnection = FakePeerConnection;
globalThis.location = { href: 'http://127.0.0.1:8080/index.html' };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function lastSocket() {
  return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
}

const BOB = {
  id: 'bob', name: 'Bob', metadata: null, tracks: [
    { id: 'b-audio', participantId: 'bob', kind: 'audio', source: 'microphone', muted: false },
    { id: 'b-video', participantId: 'bob', kind: 'video', source: 'camera', muted: false },
  ],
};

function joinedReply(join, participants, extra = {}) {
  return {
    type: 'joined', id: join.id, v: 1,
    self: { id: 'ann', name: join.name, metadata: join.metadata ?? null, tracks: [] },
    participants, iceServers: [{ urls: ['stun:127.0.0.1:3478'] }],
    resumeToken: 'secret', reconnectGrace: 20000, resumed: false, ...extra,
  };
}

/** Connects as Ann to a room holding `participants`; returns the client and the socket. */
async function connected(participants = [], options = {}) {
  const connecting = SluiceClient.connect({ room: 'demo', name: 'Ann', ...options });
  await sleep(1);
  const ws = lastSocket();
  const join = await ws.next('join');
  ws.receive(joinedReply(join, participants));
  const client = await connecting;
  return { client, ws };
}

function recorder(client, ...types) {
  const events = [];
  for (const type of types) client.addEventListener(type, (e) => events.push({ type, ...e.detail }));
  return events;
}

// ------------------------------------------------------------------ pure logic

test('mergeNeeds keeps the larger counts and any ICE restart', () => {
  assert.deepEqual(mergeNeeds(null, {}), { audio: 0, video: 0, iceRestart: false });
  assert.deepEqual(mergeNeeds({ audio: 2, video: 1 }, { audio: 1, video: 3, iceRestart: true }),
    { audio: 2, video: 3, iceRestart: true });
});

test('simulcast layers are q, h, f at a quarter, half and full size, lowest first', () => {
  assert.deepEqual(simulcastLayers(640, 360), [
    { rid: 'q', width: 160, height: 90 }, { rid: 'h', width: 320, height: 180 }, { rid: 'f', width: 640, height: 360 }]);
});

test('diffReceiveMapping reports ended, started and re-assigned sections', () => {
  const before = new Map([['2', { trackId: 't1', participantId: 'p' }], ['3', { trackId: 't2', participantId: 'p' }],
    ['4', { trackId: 't3', participantId: 'q' }]]);
  const { ended, started, after } = diffReceiveMapping(before, [
    { mid: '2', trackId: 't1', participantId: 'p' }, { mid: '4', trackId: 't9', participantId: 'r' },
    { mid: 5, trackId: 't5', participantId: 'r' }]);
  assert.deepEqual(ended.map((e) => e.trackId).sort(), ['t2', 't3']);
  assert.deepEqual(started.map((e) => `${e.mid}:${e.trackId}`).sort(), ['4:t9', '5:t5']);
  assert.equal(after.get('5').trackId, 't5');
});

test('the negotiation queue runs one at a time and coalesces requests made meanwhile', async () => {
  const runs = [];
  let release;
  const queue = new NegotiationQueue(async (needs) => {
    runs.push(needs);
    await new Promise((resolve) => { release = resolve; });
  });
  const first = queue.request({ audio: 1 });
  await sleep(1);
  assert.equal(runs.length, 1);
  const second = queue.request({ video: 2 });
  const third = queue.request({ audio: 3, iceRestart: true });
  await sleep(1);
  assert.equal(runs.length, 1, 'nothing starts while an offer is in flight');
  release();
  await first;
  await sleep(1);
  assert.equal(runs.length, 2);
  assert.deepEqual(runs[1], { audio: 3, video: 2, iceRestart: true });
  release();
  await Promise.all([second, third]);
  await sleep(1);
  assert.equal(runs.length, 2, 'coalesced into one run');
});

test('the negotiation queue fails the waiters of a failed run and goes on', async () => {
  let fail = true;
  const queue = new NegotiationQueue(async () => {
    if (fail) throw new Error('bad');
  });
  await assert.rejects(queue.request({}), /bad/);
  fail = false;
  await queue.request({});
  queue.close();
  await assert.rejects(queue.request({}), /closed/);
});

test('requests made in the same turn become one run', async () => {
  const runs = [];
  const queue = new NegotiationQueue(async (needs) => { runs.push(needs); });
  await Promise.all([queue.request({ audio: 1 }), queue.request({ video: 1 })]);
  assert.equal(runs.length, 1);
});

// ------------------------------------------------------------------ client against a scripted server

test('connect sends join and resolves on joined with the room state', async () => {
  const connecting = SluiceClient.connect({ room: 'demo', name: 'Ann', metadata: { c: 1 }, token: 'a.b.c' });
  await sleep(1);
  const ws = lastSocket();
  assert.equal(ws.url, 'ws://127.0.0.1:8080/ws');
  assert.deepEqual(ws.protocols, ['sluice.v1', 'bearer.a.b.c']);
  const join = await ws.next('join');
  assert.equal(join.v, 1);
  assert.equal(join.room, 'demo');
  assert.equal(join.name, 'Ann');
  assert.deepEqual(join.metadata, { c: 1 });
  assert.equal(join.autoSubscribe, true);
  assert.ok(join.id);
  ws.receive(joinedReply(join, [BOB]));
  const client = await connecting;
  assert.equal(client.self.id, 'ann');
  assert.equal(client.participants.get('bob').name, 'Bob');
  assert.equal(client.participants.get('bob').tracks.get('b-video').info.kind, 'video');
  await client.leave();
});

test('an unauthorized join rejects with the server reason', async () => {
  const connecting = SluiceClient.connect({ room: 'demo', token: 'bad' });
  await sleep(1);
  const ws = lastSocket();
  await ws.next('join');
  ws.receive({ type: 'error', code: 'unauthorized', message: 'token expired' });
  ws.drop(4401);
  await assert.rejects(connecting, (e) => e.code === 'unauthorized' && /token expired/.test(e.message));
});

test('joining a room with tracks offers receive sections and attaches the answer tracks by mid', async () => {
  const { client, ws } = await connected([BOB]);
  const events = recorder(client, 'track');
  const offer = await ws.next('offer');
  const pc = client.pc;
  assert.deepEqual(pc.config.iceServers, [{ urls: ['stun:127.0.0.1:3478'] }]);
  assert.equal(pc.config.bundlePolicy, 'max-bundle');
  assert.equal(pc.config.rtcpMuxPolicy, 'require');
  assert.match(offer.sdp, /audio:recvonly/);
  assert.match(offer.sdp, /video:recvonly/);
  assert.deepEqual(offer.publish, []);
  const [audio, video] = pc.getTransceivers();
  ws.receive({ type: 'answer', id: offer.id, sdp: 'answer', published: [], tracks: [
    { mid: audio.mid, trackId: 'b-audio', participantId: 'bob' }, { mid: video.mid, trackId: 'b-video', participantId: 'bob' }] });
  await sleep(5);
  assert.equal(events.length, 2);
  const videoEvent = events.find((e) => e.kind === 'video');
  assert.equal(videoEvent.participantId, 'bob');
  assert.equal(videoEvent.trackId, 'b-video');
  assert.equal(videoEvent.track, video.receiver.track);
  assert.equal(client.participants.get('bob').tracks.get('b-audio').mediaStreamTrack, audio.receiver.track);
  await client.leave();
});

test('the client says answered once it applied an answer, never before', async () => {
  const { client, ws } = await connected([BOB]);
  const offer = await ws.next('offer');
  const pc = client.pc;
  await sleep(5);
  assert.equal(ws.all('answered').length, 0, 'nothing to confirm before the answer');
  const [audio, video] = pc.getTransceivers();
  ws.receive({ type: 'answer', id: offer.id, sdp: 'answer', published: [], tracks: [
    { mid: audio.mid, trackId: 'b-audio', participantId: 'bob' }, { mid: video.mid, trackId: 'b-video', participantId: 'bob' }] });
  const answered = await Promise.race([ws.next('answered'), sleep(2000).then(() => assert.fail('no answered'))]);
  assert.equal(pc.signalingState, 'stable', 'sent after setRemoteDescription resolved');
  assert.equal(pc.remoteDescription.sdp, 'answer');
  assert.ok(ws.sent.indexOf(answered) > ws.sent.indexOf(offer));
  ws.receive({ type: 'ok', id: answered.id });
  await sleep(5);
  assert.equal(ws.all('answered').length, 1, 'once per answer');
  await client.leave();
});

test('camera and microphone published together go in one offer and resolve with their track ids', async () => {
  const { client, ws } = await connected([]);
  const stream = { getVideoTracks: () => [new FakeTrack('video')], getAudioTracks: () => [new FakeTrack('audio')] };
  const camera = client.publishCamera({ stream, simulcast: true });
  const mic = client.publishMicrophone({ stream });
  const offer = await ws.next('offer');
  const pc = client.pc;
  const [cam, micT] = pc.getTransceivers();
  assert.equal(cam.direction, 'sendonly');
  assert.deepEqual(cam.init.sendEncodings.map((e) => `${e.rid}/${e.scaleResolutionDownBy}`), ['q/4', 'h/2', 'f/1']);
  assert.deepEqual(offer.publish, [
    { mid: cam.mid, source: 'camera', muted: false, layers: simulcastLayers(640, 360) },
    { mid: micT.mid, source: 'microphone', muted: false }]);
  ws.receive({ type: 'answer', id: offer.id, sdp: 'answer', tracks: [],
    published: [{ mid: cam.mid, trackId: 'v1' }, { mid: micT.mid, trackId: 'a1' }] });
  assert.equal(await camera, 'v1');
  assert.equal(await mic, 'a1');
  assert.equal(ws.all('offer').length, 1);
  assert.equal(client.self.tracks.get('v1').info.source, 'camera');

  // mute: the local track is disabled and the server told
  const muting = client.setMuted('a1', true);
  const mute = await ws.next('mute');
  assert.deepEqual([mute.trackId, mute.muted], ['a1', true]);
  ws.receive({ type: 'ok', id: mute.id });
  await muting;
  assert.equal(micT.sender.track.enabled, false);

  // a later offer still lists both, the microphone as muted
  ws.receive({ type: 'renegotiate', audio: 1, video: 0 });
  const second = await ws.next('offer', ws.sent.indexOf(offer) + 1);
  assert.deepEqual(second.publish.map((p) => `${p.mid}:${p.source}:${p.muted}`),
    [`${cam.mid}:camera:false`, `${micT.mid}:microphone:true`]);
  ws.receive({ type: 'answer', id: second.id, sdp: 'answer2', tracks: [],
    published: [{ mid: cam.mid, trackId: 'v1' }, { mid: micT.mid, trackId: 'a1' }] });
  await sleep(5);

  // unpublish: message, then an offer without it
  const unpublishing = client.unpublish('v1');
  const unpublish = await ws.next('unpublish');
  assert.equal(unpublish.trackId, 'v1');
  ws.receive({ type: 'ok', id: unpublish.id });
  const third = await ws.next('offer', ws.sent.indexOf(second) + 1);
  assert.deepEqual(third.publish.map((p) => p.source), ['microphone']);
  assert.equal(cam.direction, 'inactive');
  ws.receive({ type: 'answer', id: third.id, sdp: 'answer3', tracks: [], published: [{ mid: micT.mid, trackId: 'a1' }] });
  await unpublishing;
  await client.leave();
});

test('a refused offer rolls back and fails the new publication', async () => {
  const { client, ws } = await connected([]);
  const stream = { getVideoTracks: () => [new FakeTrack('video')] };
  const camera = client.publishCamera({ stream });
  const offer = await ws.next('offer');
  ws.receive({ type: 'error', id: offer.id, code: 'too_many_tracks', message: 'limit 1' });
  await assert.rejects(camera, (e) => e.code === 'too_many_tracks');
  assert.equal(client.pc.signalingState, 'stable');
  assert.equal(client.pc.getTransceivers()[0].direction, 'stopped');
  await client.leave();
});

test('renegotiate reuses receive sections, adds the missing ones, and a vanished mid ends its track', async () => {
  const { client, ws } = await connected([BOB]);
  const events = recorder(client, 'track', 'trackended', 'participantjoined', 'trackpublished', 'participantleft');
  const first = await ws.next('offer');
  const pc = client.pc;
  const [a0, v0] = pc.getTransceivers();
  ws.receive({ type: 'answer', id: first.id, sdp: 'a', published: [], tracks: [
    { mid: a0.mid, trackId: 'b-audio', participantId: 'bob' }, { mid: v0.mid, trackId: 'b-video', participantId: 'bob' }] });
  await sleep(5);

  const cid = { id: 'cid', name: 'Cid', metadata: null, tracks: [] };
  ws.receive({ type: 'participantJoined', participant: cid });
  ws.receive({ type: 'trackPublished', track: { id: 'c-video', participantId: 'cid', kind: 'video', source: 'camera', muted: false } });
  ws.receive({ type: 'renegotiate', audio: 1, video: 2 });
  const second = await ws.next('offer', ws.sent.indexOf(first) + 1);
  assert.equal(pc.getTransceivers().length, 3, 'one more video section, the existing ones reused');
  const v1 = pc.getTransceivers()[2];
  ws.receive({ type: 'answer', id: second.id, sdp: 'b', published: [], tracks: [
    { mid: a0.mid, trackId: 'b-audio', participantId: 'bob' }, { mid: v0.mid, trackId: 'b-video', participantId: 'bob' },
    { mid: v1.mid, trackId: 'c-video', participantId: 'cid' }] });
  await sleep(5);
  assert.deepEqual(events.slice(2).map((e) => e.type), ['participantjoined', 'trackpublished', 'track']);
  assert.equal(client.participants.get('cid').tracks.get('c-video').mediaStreamTrack, v1.receiver.track);

  ws.receive({ type: 'participantLeft', participantId: 'bob', reason: 'left' });
  ws.receive({ type: 'renegotiate', audio: 0, video: 1 });
  const third = await ws.next('offer', ws.sent.indexOf(second) + 1);
  assert.equal(pc.getTransceivers().length, 3);
  ws.receive({ type: 'answer', id: third.id, sdp: 'c', published: [], tracks: [
    { mid: v1.mid, trackId: 'c-video', participantId: 'cid' }] });
  await sleep(5);
  const ended = events.filter((e) => e.type === 'trackended');
  assert.deepEqual(ended.map((e) => e.trackId).sort(), ['b-audio', 'b-video']);
  assert.ok(events.some((e) => e.type === 'participantleft' && e.participantId === 'bob'));
  await client.leave();
});

test('a dropped socket is resumed, the state reconciled, and the offer lost in flight re-sent', async () => {
  const { client, ws } = await connected([BOB]);
  const events = recorder(client, 'reconnecting', 'reconnected', 'participantleft', 'participantjoined', 'removed');
  const lost = await ws.next('offer');
  ws.drop(1006);
  assert.equal(client.state, 'reconnecting');
  await sleep(520);
  const ws2 = lastSocket();
  assert.notEqual(ws2, ws);
  const join = await ws2.next('join');
  assert.deepEqual(join.resume, { participantId: 'ann', resumeToken: 'secret' });
  client.pc.iceConnectionState = 'disconnected';
  const dan = { id: 'dan', name: 'Dan', metadata: null, tracks: [] };
  ws2.receive(joinedReply(join, [dan], { resumed: true, resumeToken: 'secret2' }));
  const resent = await ws2.next('offer');
  assert.equal(client.pc.signalingState, 'have-local-offer');
  assert.match(resent.sdp, /restart/, 'ICE restart because the connection was disconnected');
  assert.notEqual(resent.sdp, lost.sdp);
  assert.deepEqual(events.map((e) => e.type).sort(), ['participantjoined', 'participantleft', 'reconnected', 'reconnecting']);
  assert.ok(!client.participants.has('bob'));
  assert.ok(client.participants.has('dan'));
  ws2.receive({ type: 'answer', id: resent.id, sdp: 'a', published: [], tracks: [] });
  await sleep(5);
  assert.equal(client.pc.signalingState, 'stable');
  await client.leave();
});

test('a superseded socket (4409) does not reconnect', async () => {
  const { client, ws } = await connected([]);
  const events = recorder(client, 'reconnecting', 'removed');
  const count = FakeWebSocket.instances.length;
  ws.drop(4409);
  await sleep(600);
  assert.equal(FakeWebSocket.instances.length, count);
  assert.deepEqual(events.map((e) => e.type), ['removed']);
  assert.equal(client.state, 'closed');
});

test('resume_failed ends the session with removed', async () => {
  const { client, ws } = await connected([]);
  const events = recorder(client, 'removed');
  ws.drop(1006);
  await sleep(520);
  const ws2 = lastSocket();
  const join = await ws2.next('join');
  ws2.receive({ type: 'error', id: join.id, code: 'resume_failed', message: 'grace expired' });
  await sleep(5);
  assert.deepEqual(events, [{ type: 'removed', reason: 'resume_failed' }]);
  assert.equal(client.state, 'closed');
});

test('server removal closes the client; leave sends leave and closes the socket', async () => {
  const { client, ws } = await connected([]);
  const events = recorder(client, 'removed');
  ws.receive({ type: 'removed', reason: 'kicked' });
  assert.deepEqual(events, [{ type: 'removed', reason: 'kicked' }]);
  assert.equal(client.state, 'closed');

  const second = await connected([]);
  await second.client.leave();
  assert.equal(second.ws.all('leave').length, 1);
  assert.equal(second.ws.closedWith, 1000);
});

test('events update the participant view', async () => {
  const { client, ws } = await connected([BOB]);
  const events = recorder(client, 'participantupdated', 'trackmuted', 'trackunpublished', 'activespeakers');
  ws.receive({ type: 'participantUpdated', participant: { id: 'bob', name: 'Robert', metadata: { x: 1 }, tracks: [] } });
  ws.receive({ type: 'trackMuted', participantId: 'bob', trackId: 'b-audio', muted: true });
  ws.receive({ type: 'trackUnpublished', participantId: 'bob', trackId: 'b-video' });
  ws.receive({ type: 'activeSpeakers', speakers: [{ participantId: 'bob', level: 0.5 }] });
  assert.deepEqual(events.map((e) => e.type), ['participantupdated', 'trackmuted', 'trackunpublished', 'activespeakers']);
  const bob = client.participants.get('bob');
  assert.equal(bob.name, 'Robert');
  assert.equal(bob.tracks.get('b-audio').info.muted, true);
  assert.ok(!bob.tracks.has('b-video'));
  assert.equal(events[3].speakers[0].participantId, 'bob');
  await client.leave();
});

test('subscriptionState is an event and the state of the remote track', async () => {
  const { client, ws } = await connected([BOB]);
  const events = recorder(client, 'subscriptionstate');
  ws.receive({ type: 'subscriptionState', participantId: 'bob', trackId: 'b-video', state: 'paused', reason: 'bandwidth' });
  assert.deepEqual(client.participants.get('bob').tracks.get('b-video').subscription, { state: 'paused', reason: 'bandwidth' });
  ws.receive({ type: 'subscriptionState', participantId: 'bob', trackId: 'b-video', state: 'active' });
  assert.deepEqual(events.map((e) => [e.type, e.trackId, e.state, e.reason]),
    [['subscriptionstate', 'b-video', 'paused', 'bandwidth'], ['subscriptionstate', 'b-video', 'active', undefined]]);
  assert.deepEqual(client.participants.get('bob').tracks.get('b-video').subscription, { state: 'active' });
  await client.leave();
});

test('an answer that overtakes trackPublished still attaches the track when it is announced', async () => {
  const { client, ws } = await connected([{ id: 'eve', name: 'Eve', metadata: null, tracks: [] }]);
  const events = recorder(client, 'track');
  ws.receive({ type: 'renegotiate', audio: 0, video: 1 });
  const offer = await ws.next('offer');
  const [video] = client.pc.getTransceivers();
  ws.receive({ type: 'answer', id: offer.id, sdp: 'a', published: [], tracks: [{ mid: video.mid, trackId: 'e-video', participantId: 'eve' }] });
  await sleep(5);
  assert.equal(events.length, 1);
  ws.receive({ type: 'trackPublished', track: { id: 'e-video', participantId: 'eve', kind: 'video', source: 'camera', muted: false } });
  assert.equal(client.participants.get('eve').tracks.get('e-video').mediaStreamTrack, video.receiver.track);
  await client.leave();
});

test('stats() reports received and sent media per track with bitrates from deltas', async () => {
  const { client, ws } = await connected([BOB]);
  const offer = await ws.next('offer');
  const [audio, video] = client.pc.getTransceivers();
  ws.receive({ type: 'answer', id: offer.id, sdp: 'a', published: [], tracks: [
    { mid: audio.mid, trackId: 'b-audio', participantId: 'bob' }, { mid: video.mid, trackId: 'b-video', participantId: 'bob' }] });
  await sleep(5);
  let bytes = 1000;
  let now = 1000;
  client.pc.getStats = async () => new Map([
    ['in-v', { id: 'in-v', type: 'inbound-rtp', kind: 'video', mid: video.mid, timestamp: now, bytesReceived: bytes,
      frameWidth: 320, frameHeight: 180, framesPerSecond: 30, packetsReceived: 10, framesDecoded: 5 }],
    ['in-a', { id: 'in-a', type: 'inbound-rtp', kind: 'audio', trackIdentifier: audio.receiver.track.id, timestamp: now,
      bytesReceived: bytes / 10, packetsReceived: 50 }],
  ]);
  await client.stats();
  bytes += 125000;
  now += 1000;
  const { remote } = await client.stats();
  const v = remote.find((r) => r.kind === 'video');
  assert.deepEqual([v.participantId, v.trackId, v.width, v.height, v.fps, v.bitrate], ['bob', 'b-video', 320, 180, 30, 1000000]);
  const a = remote.find((r) => r.kind === 'audio');
  assert.deepEqual([a.trackId, a.bitrate, a.packetsReceived], ['b-audio', 100000, 50]);
  await client.leave();
});

test('a local track that ends by itself is unpublished', async () => {
  const { client, ws } = await connected([]);
  const track = new FakeTrack('video');
  const listeners = {};
  track.addEventListener = (type, fn) => { listeners[type] = fn; };
  const camera = client.publishCamera({ stream: { getVideoTracks: () => [track] } });
  const offer = await ws.next('offer');
  const [t] = client.pc.getTransceivers();
  ws.receive({ type: 'answer', id: offer.id, sdp: 'a', tracks: [], published: [{ mid: t.mid, trackId: 'v1' }] });
  assert.equal(await camera, 'v1');
  listeners.ended();
  const unpublish = await ws.next('unpublish');
  assert.equal(unpublish.trackId, 'v1');
  ws.receive({ type: 'ok', id: unpublish.id });
  const second = await ws.next('offer', ws.sent.indexOf(offer) + 1);
  assert.deepEqual(second.publish, []);
  ws.receive({ type: 'answer', id: second.id, sdp: 'b', tracks: [], published: [] });
  await sleep(5);
  await client.leave();
});

test('a refused join closes the socket', async () => {
  const connecting = SluiceClient.connect({ room: 'demo' });
  await sleep(1);
  const ws = lastSocket();
  const join = await ws.next('join');
  ws.receive({ type: 'error', id: join.id, code: 'room_full', message: 'limit 2' });
  await assert.rejects(connecting, (e) => e.code === 'room_full');
  assert.equal(ws.closedWith, 1000);
});

test('a failed ICE connection while signaling is up is restarted', async () => {
  const { client, ws } = await connected([BOB]);
  const first = await ws.next('offer');
  ws.receive({ type: 'answer', id: first.id, sdp: 'a', published: [], tracks: [] });
  await sleep(5);
  client.pc.iceConnectionState = 'failed';
  client.pc.dispatchEvent(new Event('iceconnectionstatechange'));
  const restart = await ws.next('offer', ws.sent.indexOf(first) + 1);
  assert.match(restart.sdp, /restart/);
  ws.receive({ type: 'answer', id: restart.id, sdp: 'b', published: [], tracks: [] });
  await sleep(5);
  await client.leave();
});

// ------------------------------------------------------------------ layers

const VIDEO_CODECS = [
  { mimeType: 'video/VP8', clockRate: 90000 },
  { mimeType: 'video/rtx', clockRate: 90000, sdpFmtpLine: 'apt=96' },
  { mimeType: 'video/VP9', clockRate: 90000, sdpFmtpLine: 'profile-id=2' },
  { mimeType: 'video/VP9', clockRate: 90000, sdpFmtpLine: 'profile-id=0' },
  { mimeType: 'video/H264', clockRate: 90000, sdpFmtpLine: 'packetization-mode=1' },
];

test('a camera with a scalability mode and a codec preference declares them in the offer', async () => {
  globalThis.RTCRtpReceiver = { getCapabilities: (kind) => (kind === 'video' ? { codecs: VIDEO_CODECS } : null) };
  try {
    const { client, ws } = await connected([]);
    const stream = { getVideoTracks: () => [new FakeTrack('video')] };
    const publishing = client.publishCamera({ stream, scalabilityMode: 'L3T3_KEY', codec: 'VP9' });
    const offer = await ws.next('offer');
    const [cam] = client.pc.getTransceivers();
    assert.deepEqual(cam.init.sendEncodings, [{ scalabilityMode: 'L3T3_KEY' }]);
    assert.deepEqual(cam.codecPreferences.map((c) => `${c.mimeType} ${c.sdpFmtpLine ?? ''}`.trim()), [
      'video/VP9 profile-id=0', 'video/VP9 profile-id=2', 'video/VP8', 'video/rtx apt=96',
      'video/H264 packetization-mode=1']);
    assert.deepEqual(offer.publish, [
      { mid: cam.mid, source: 'camera', muted: false, width: 640, height: 360, scalabilityMode: 'L3T3_KEY' }]);
    ws.receive({ type: 'answer', id: offer.id, sdp: 'answer', tracks: [], published: [{ mid: cam.mid, trackId: 'v1' }] });
    assert.equal(await publishing, 'v1');
    await client.leave();
  } finally {
    delete globalThis.RTCRtpReceiver;
  }
});

test('simulcast encodings get their own scalability modes; no codec preference without a codec', async () => {
  const { client, ws } = await connected([]);
  const stream = { getVideoTracks: () => [new FakeTrack('video')] };
  const publishing = client.publishCamera({ stream, simulcast: true, scalabilityMode: ['L1T1', 'L1T2', 'L1T3'] });
  const offer = await ws.next('offer');
  const [cam] = client.pc.getTransceivers();
  assert.deepEqual(cam.init.sendEncodings.map((e) => `${e.rid}/${e.scalabilityMode}`), ['q/L1T1', 'h/L1T2', 'f/L1T3']);
  assert.equal(cam.codecPreferences, undefined);
  assert.deepEqual(offer.publish, [
    { mid: cam.mid, source: 'camera', muted: false, layers: simulcastLayers(640, 360), scalabilityMode: 'L1T3' }]);
  ws.receive({ type: 'answer', id: offer.id, sdp: 'answer', tracks: [], published: [{ mid: cam.mid, trackId: 'v1' }] });
  await publishing;

  // One mode for every encoding.
  const second = client.publishCamera({ stream: { getVideoTracks: () => [new FakeTrack('video')] }, simulcast: true,
    scalabilityMode: 'L1T3' });
  const offer2 = await ws.next('offer', ws.sent.indexOf(offer) + 1);
  const cam2 = client.pc.getTransceivers()[1];
  assert.deepEqual(cam2.init.sendEncodings.map((e) => e.scalabilityMode), ['L1T3', 'L1T3', 'L1T3']);
  ws.receive({ type: 'answer', id: offer2.id, sdp: 'answer', tracks: [],
    published: [{ mid: cam.mid, trackId: 'v1' }, { mid: cam2.mid, trackId: 'v2' }] });
  assert.equal(await second, 'v2');
  await client.leave();
});

test('a codec the browser lacks, or no codec preferences at all, is refused', () => {
  const transceiver = new FakeTransceiver('video', {}, null);
  assert.throws(() => preferCodec(transceiver, 'video', 'VP9'), /not_supported/);
  globalThis.RTCRtpReceiver = { getCapabilities: () => ({ codecs: VIDEO_CODECS }) };
  try {
    assert.throws(() => preferCodec(transceiver, 'video', 'AV1'), /no AV1 codec/);
    preferCodec(transceiver, 'video', 'video/h264');
    assert.equal(transceiver.codecPreferences[0].mimeType, 'video/H264');
    assert.equal(transceiver.codecPreferences.length, VIDEO_CODECS.length);
  } finally {
    delete globalThis.RTCRtpReceiver;
  }
});

test('setPreferences sends the frame rate and layer limits it is given, and only those', async () => {
  const { client, ws } = await connected([BOB]);
  const setting = client.setPreferences('b-video', { maxFramerate: 7.5, maxTemporalLayer: 1 });
  const message = await ws.next('preferences');
  assert.deepEqual({ ...message, id: undefined, v: undefined },
    { type: 'preferences', trackId: 'b-video', maxFramerate: 7.5, maxTemporalLayer: 1, id: undefined, v: undefined });
  ws.receive({ type: 'ok', id: message.id });
  await setting;
  const lifting = client.setPreferences('b-video', { maxFramerate: 0, maxSpatialLayer: -1, maxHeight: 0 });
  const lift = await ws.next('preferences', ws.sent.indexOf(message) + 1);
  assert.deepEqual([lift.maxFramerate, lift.maxSpatialLayer, lift.maxHeight, 'maxTemporalLayer' in lift], [0, -1, 0, false]);
  ws.receive({ type: 'ok', id: lift.id });
  await lifting;
  await client.leave();
});

test('publicationLayers switches the simulcast encodings of the named track on and off by rid', async () => {
  const { client, ws } = await connected([]);
  const stream = { getVideoTracks: () => [new FakeTrack('video')], getAudioTracks: () => [] };
  const camera = client.publishCamera({ stream, simulcast: true });
  const offer = await ws.next('offer');
  const [cam] = client.pc.getTransceivers();
  ws.receive({ type: 'answer', id: offer.id, sdp: 'answer', tracks: [], published: [{ mid: cam.mid, trackId: 'v1' }] });
  assert.equal(await camera, 'v1');
  const events = recorder(client, 'publicationlayers');

  ws.receive({ type: 'publicationLayers', trackId: 'v1', active: { q: true, h: false, f: false } });
  await sleep(10);
  assert.deepEqual(cam.encodings.map((e) => `${e.rid}:${e.active}`), ['q:true', 'h:false', 'f:false']);
  assert.deepEqual(events, [{ type: 'publicationlayers', trackId: 'v1', active: { q: true, h: false, f: false } }]);

  // Two wishes in quick succession: applied in order, the last one wins.
  ws.receive({ type: 'publicationLayers', trackId: 'v1', active: { q: true, h: true, f: false } });
  ws.receive({ type: 'publicationLayers', trackId: 'v1', active: { q: true, h: true, f: true } });
  await sleep(20);
  assert.deepEqual(cam.encodings.map((e) => `${e.rid}:${e.active}`), ['q:true', 'h:true', 'f:true']);
  assert.deepEqual(cam.parameterSets, ['q:true h:false f:false', 'q:true h:true f:true']);

  // An unknown track or a malformed message changes nothing; rids not named keep their state.
  ws.receive({ type: 'publicationLayers', trackId: 'nope', active: { q: false } });
  ws.receive({ type: 'publicationLayers', trackId: 'v1', active: null });
  ws.receive({ type: 'publicationLayers', trackId: 'v1', active: { f: false } });
  await sleep(10);
  assert.deepEqual(cam.encodings.map((e) => `${e.rid}:${e.active}`), ['q:true', 'h:true', 'f:false']);
  await client.leave();
});

// ------------------------------------------------------------------ room messages

test('an envelope round-trips text and binary, with the bytes the server parses', () => {
  const text = encodeEnvelope({ topic: 'chat', ids: ['PAb', 'PAc'], data: 'héllo' });
  assert.deepEqual([...text.subarray(0, 8)], [1, 1, 4, 99, 104, 97, 116, 2]);
  assert.deepEqual(decodeEnvelope(text), { topic: 'chat', ids: ['PAb', 'PAc'], data: 'héllo' });
  const binary = decodeEnvelope(encodeEnvelope({ data: new Uint8Array([0, 255, 7]) }));
  assert.equal(binary.topic, '');
  assert.deepEqual(binary.ids, []);
  assert.deepEqual([...new Uint8Array(binary.data)], [0, 255, 7]);
});

test('a malformed envelope decodes to null', () => {
  assert.equal(decodeEnvelope(new Uint8Array([2, 0, 0, 0])), null, 'version');
  assert.equal(decodeEnvelope(new Uint8Array([1, 2, 0, 0])), null, 'unknown flag');
  assert.equal(decodeEnvelope(new Uint8Array([1, 0, 9, 0])), null, 'topic past the end');
  assert.equal(decodeEnvelope(new Uint8Array([1, 0, 0, 1, 5, 65])), null, 'id past the end');
  assert.equal(decodeEnvelope(new Uint8Array([1, 1, 0, 0, 0xff])), null, 'text not UTF-8');
  assert.throws(() => encodeEnvelope({ topic: 'x'.repeat(65), data: '' }));
});

test('without messaging channels, sendData goes over the socket and data events come from it', async () => {
  const connecting = SluiceClient.connect({ room: 'demo', name: 'Ann' });
  await sleep(1);
  const ws = lastSocket();
  ws.receive(joinedReply(await ws.next('join'), []));
  const client = await connecting;
  const sending = client.sendData(new Uint8Array([1, 2, 3]), { to: ['bob'], topic: 't', reliable: false });
  const data = await ws.next('data');
  assert.deepEqual({ data: data.data, binary: data.binary, to: data.to, topic: data.topic, reliable: data.reliable },
    { data: 'AQID', binary: true, to: ['bob'], topic: 't', reliable: false });
  ws.receive({ type: 'ok', id: data.id });
  await sending;
  const topics = client.followTopics(['t']);
  const follow = await ws.next('dataTopics');
  assert.deepEqual(follow.topics, ['t']);
  ws.receive({ type: 'ok', id: follow.id });
  await topics;
  const got = [];
  client.addEventListener('data', (e) => got.push(e.detail));
  ws.receive({ type: 'data', from: 'bob', topic: 't', data: 'hi' });
  ws.receive({ type: 'data', from: 'bob', data: 'AAE=', binary: true });
  assert.equal(got.length, 2);
  assert.equal(got[0].data, 'hi');
  assert.equal(got[0].topic, 't');
  assert.deepEqual([...new Uint8Array(got[1].data)], [0, 1]);
  const limited = client.sendData('x');
  const second = (await Promise.all([ws.next('data', ws.sent.indexOf(data) + 1)]))[0];
  ws.receive({ type: 'error', id: second.id, code: 'rate_limited', message: 'over' });
  await assert.rejects(limited, (e) => e.code === 'rate_limited');
  await client.leave();
});

test('a join answered wrong_node goes to the node that serves the room and stays there', async () => {
  const connecting = SluiceClient.connect({ room: 'demo', name: 'Ann' });
  await sleep(1);
  const first = lastSocket();
  const join = await first.next('join');
  first.receive({ type: 'error', id: join.id, code: 'wrong_node', message: 'served elsewhere', url: 'ws://node2.test:8080/ws' });
  await sleep(5);
  const second = lastSocket();
  assert.notEqual(second, first);
  assert.equal(second.url, 'ws://node2.test:8080/ws');
  assert.equal(first.readyState, 3, 'the first socket is closed');
  second.receive(joinedReply(await second.next('join'), []));
  const client = await connecting;
  assert.equal(client.self.id, 'ann');
  await client.leave();
});

test('when the node wrong_node sent the client to is gone, it joins afresh through its URL and publishes again', async () => {
  const connecting = SluiceClient.connect({ room: 'demo', name: 'Ann', url: 'ws://entry.test:8080/ws' });
  await sleep(1);
  const entry = lastSocket();
  const first = await entry.next('join');
  entry.receive({ type: 'error', id: first.id, code: 'wrong_node', message: 'elsewhere', url: 'ws://node2.test:8080/ws' });
  await sleep(5);
  const ws = lastSocket();
  ws.receive(joinedReply(await ws.next('join'), [BOB]));
  const client = await connecting;
  const stream = { getVideoTracks: () => [new FakeTrack('video')], getAudioTracks: () => [new FakeTrack('audio')] };
  const mic = client.publishMicrophone({ stream });
  const offer = await ws.next('offer');
  const oldPc = client.pc;
  const [micT] = oldPc.getTransceivers().filter((t) => t.direction === 'sendonly');
  ws.receive({ type: 'answer', id: offer.id, sdp: 'answer', tracks: [], published: [{ mid: micT.mid, trackId: 'a1' }] });
  assert.equal(await mic, 'a1');
  const events = recorder(client, 'reconnecting', 'reconnected', 'participantleft', 'participantjoined', 'removed');

  // node2 dies: the socket drops and every attempt to reopen it is refused.
  FakeWebSocket.refused.add('ws://node2.test:8080/ws');
  ws.drop(1006);
  for (let refused = 0; refused < 2; refused++) {
    const before = FakeWebSocket.instances.length;
    await until(() => FakeWebSocket.instances.length > before, 3000);
    assert.equal(lastSocket().url, 'ws://node2.test:8080/ws', 'resumes are tried at the node first');
  }
  // Then a fresh join (no resume) through the URL the application gave.
  const before = FakeWebSocket.instances.length;
  await until(() => FakeWebSocket.instances.length > before, 3000);
  const fresh = lastSocket();
  assert.equal(fresh.url, 'ws://entry.test:8080/ws');
  const join = await fresh.next('join');
  assert.equal(join.resume, undefined);
  const dan = { id: 'dan', name: 'Dan', metadata: null, tracks: [] };
  fresh.receive({ ...joinedReply(join, [dan]), self: { id: 'ann2', name: 'Ann', metadata: null, tracks: [] } });
  const republished = await fresh.next('offer');
  assert.notEqual(client.pc, oldPc, 'a new peer connection');
  assert.equal(oldPc.closed, true, 'the old peer connection is closed');
  assert.deepEqual(republished.publish.map((p) => p.source), ['microphone']);
  assert.equal(client.self.id, 'ann2');
  assert.ok(client.participants.has('dan'));
  assert.ok(!client.participants.has('bob'));
  assert.deepEqual(events.map((e) => e.type).sort(),
    ['participantjoined', 'participantleft', 'reconnected', 'reconnecting']);
  assert.equal(events.find((e) => e.type === 'reconnected').rejoined, true);
  const [newMic] = client.pc.getTransceivers().filter((t) => t.direction === 'sendonly');
  fresh.receive({ type: 'answer', id: republished.id, sdp: 'a', tracks: [], published: [{ mid: newMic.mid, trackId: 'a2' }] });
  await sleep(5);
  assert.ok(client.self.tracks.has('a2'));
  FakeWebSocket.refused.clear();
  await client.leave();
});

async function until(condition, timeoutMillis) {
  const deadline = Date.now() + timeoutMillis;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}
