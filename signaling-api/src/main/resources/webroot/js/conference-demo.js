// The conference demo at /: joins a room with camera and microphone and shows one tile per participant.
// URL parameters: room, name, token, autojoin=1 (join at once), video=WxH (camera size, default 640x360).
// Tests read window.sluiceDemo = {client, tiles, chat}; chat is the room's data channel labelled 'chat', whose
// messages are JSON {name, text}.
import { SluiceClient } from './sluice-client.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
/** participantId -> tile element (self included) */
const tiles = new Map();
const demo = { client: null, tiles, stream: null, chat: null };
window.sluiceDemo = demo;

let statsTimer = null;
let micTrackId = null;
let cameraTrackId = null;

for (const field of ['room', 'name', 'token']) {
  if (params.has(field)) $(field).value = params.get(field);
}

function status(text) {
  $('status').textContent = text;
}

function videoSize() {
  const match = /^(\d{2,4})x(\d{2,4})$/.exec(params.get('video') ?? '');
  return match ? { width: Number(match[1]), height: Number(match[2]) } : { width: 640, height: 360 };
}

/** Creates the tile of a participant: video, name, stats overlay, audio elements. */
function addTile(id, name, isSelf) {
  if (tiles.has(id)) return tiles.get(id);
  const tile = document.createElement('div');
  tile.className = isSelf ? 'tile self' : 'tile';
  tile.dataset.participantId = id;
  const video = document.createElement('video');
  video.autoplay = true;
  video.playsInline = true;
  video.muted = true;
  const label = document.createElement('div');
  label.className = 'tile-name';
  const overlay = document.createElement('div');
  overlay.className = 'tile-stats';
  overlay.textContent = '–';
  const audio = document.createElement('div');
  audio.className = 'tile-audio';
  tile.append(video, label, overlay, audio);
  $('grid').append(tile);
  tiles.set(id, tile);
  setTileName(id, name, isSelf);
  updateCount();
  return tile;
}

function setTileName(id, name, isSelf = id === demo.client?.self?.id) {
  const tile = tiles.get(id);
  if (!tile) return;
  const shown = name || id.slice(0, 8);
  tile.querySelector('.tile-name').textContent = isSelf ? `${shown} (you)` : shown;
}

function removeTile(id) {
  const tile = tiles.get(id);
  if (!tile) return;
  tile.querySelector('video').srcObject = null;
  tile.querySelectorAll('audio').forEach((a) => { a.srcObject = null; });
  tile.remove();
  tiles.delete(id);
  updateCount();
}

function updateCount() {
  $('participant-count').textContent = String(tiles.size);
}

/** Shows a tile's muted state from its participant's tracks. */
function refreshMuted(participantId) {
  const tile = tiles.get(participantId);
  const participant = demo.client?.participants.get(participantId);
  if (!tile || !participant) return;
  const tracks = [...participant.tracks.values()].map((t) => t.info);
  tile.classList.toggle('audio-muted', tracks.some((t) => t.kind === 'audio' && t.muted));
  tile.classList.toggle('video-muted', tracks.some((t) => t.kind === 'video' && t.muted));
}

function onTrack({ participantId, trackId, kind, track }) {
  const tile = tiles.get(participantId) ?? addTile(participantId, demo.client.participants.get(participantId)?.name);
  if (kind === 'video') {
    const video = tile.querySelector('video');
    video.srcObject = new MediaStream([track]);
    video.dataset.trackId = trackId;
    video.play().catch(() => {});
  } else {
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.dataset.trackId = trackId;
    audio.srcObject = new MediaStream([track]);
    tile.querySelector('.tile-audio').append(audio);
    audio.play().catch(() => {});
  }
}

function onTrackEnded({ participantId, trackId }) {
  const tile = tiles.get(participantId);
  if (!tile) return;
  const video = tile.querySelector('video');
  if (video.dataset.trackId === trackId) {
    video.srcObject = null;
    delete video.dataset.trackId;
  }
  tile.querySelectorAll('audio').forEach((a) => {
    if (a.dataset.trackId === trackId) {
      a.srcObject = null;
      a.remove();
    }
  });
}

function onActiveSpeakers({ speakers }) {
  const speaking = new Set(speakers.map((s) => s.participantId));
  for (const [id, tile] of tiles) tile.classList.toggle('speaking', speaking.has(id));
}

/**
 * The browser's estimate of its uplink (from the server's transport-cc feedback): the selected candidate pair's
 * availableOutgoingBitrate, 0 when unknown.
 */
async function uplinkEstimate(pc) {
  if (!pc) return 0;
  try {
    const report = await pc.getStats();
    for (const s of report.values()) {
      if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && s.availableOutgoingBitrate) {
        return s.availableOutgoingBitrate;
      }
    }
  } catch (e) {
    // the connection closed meanwhile
  }
  return 0;
}

async function refreshStats() {
  const client = demo.client;
  if (!client) return;
  let stats;
  try {
    stats = await client.stats();
  } catch (e) {
    return;
  }
  const text = new Map();
  const kbps = (bitrate) => `${Math.round(bitrate / 1000)} kbit/s`;
  for (const s of stats.remote) {
    if (s.kind !== 'video') continue;
    text.set(s.participantId, `${s.width}x${s.height} · ${Math.round(s.fps)} fps · ${kbps(s.bitrate)}`);
  }
  const ownVideo = stats.local.find((s) => s.kind === 'video');
  if (ownVideo && client.self) {
    const estimate = await uplinkEstimate(client.pc);
    text.set(client.self.id, `${ownVideo.width}x${ownVideo.height} · ${Math.round(ownVideo.fps)} fps · ${kbps(ownVideo.bitrate)}`
        + (estimate > 0 ? ` · ↑ ${kbps(estimate)} available` : ''));
  }
  for (const [id, tile] of tiles) tile.querySelector('.tile-stats').textContent = text.get(id) ?? '–';
}

function wire(client) {
  client.addEventListener('participantjoined', (e) => addTile(e.detail.participant.id, e.detail.participant.name));
  client.addEventListener('participantleft', (e) => removeTile(e.detail.participantId));
  client.addEventListener('participantupdated', (e) => setTileName(e.detail.participant.id, e.detail.participant.name));
  client.addEventListener('trackpublished', (e) => refreshMuted(e.detail.participantId));
  client.addEventListener('trackunpublished', (e) => refreshMuted(e.detail.participantId));
  client.addEventListener('trackmuted', (e) => refreshMuted(e.detail.participantId));
  client.addEventListener('track', (e) => onTrack(e.detail));
  client.addEventListener('trackended', (e) => onTrackEnded(e.detail));
  client.addEventListener('activespeakers', (e) => onActiveSpeakers(e.detail));
  client.addEventListener('connectionstatechange', (e) => status(e.detail.state));
  client.addEventListener('reconnecting', () => status('reconnecting…'));
  client.addEventListener('reconnected', () => status(client.pc?.connectionState ?? 'reconnected'));
  client.addEventListener('removed', (e) => {
    status(`removed: ${e.detail.reason}`);
    teardown();
  });
  client.addEventListener('error', (e) => console.warn('sluice:', e.detail.error));
}

/** Camera and microphone; without a camera the microphone alone; without either, nothing (receive only). */
async function localMedia(width, height) {
  const video = { width: { ideal: width }, height: { ideal: height } };
  for (const constraints of [{ video, audio: true }, { audio: true }, { video }]) {
    try {
      return await navigator.mediaDevices.getUserMedia(constraints);
    } catch (e) {
      // try the next combination
    }
  }
  return new MediaStream();
}

async function join() {
  $('join').disabled = true;
  status('getting camera and microphone');
  try {
    const { width, height } = videoSize();
    const stream = await localMedia(width, height);
    demo.stream = stream;
    status('joining');
    const client = await SluiceClient.connect({
      room: $('room').value, name: $('name').value || undefined, token: $('token').value || undefined });
    demo.client = client;
    wire(client);
    $('join-form').hidden = true;
    $('controls').hidden = false;
    $('room-name').textContent = client.room;

    const self = addTile(client.self.id, client.self.name, true);
    self.querySelector('video').srcObject = new MediaStream(stream.getVideoTracks());
    for (const participant of client.participants.values()) {
      addTile(participant.id, participant.name);
      refreshMuted(participant.id);
    }
    status('publishing');
    // Published in the same turn: one offer carries both.
    [micTrackId, cameraTrackId] = await Promise.all([
      stream.getAudioTracks().length ? client.publishMicrophone({ stream }) : null,
      stream.getVideoTracks().length ? client.publishCamera({ stream, width, height }) : null]);
    $('mute-mic').disabled = micTrackId === null;
    $('mute-camera').disabled = cameraTrackId === null;
    status(client.pc?.connectionState ?? 'receiving only');
    statsTimer = setInterval(refreshStats, 1000);
    await openChat(client);
  } catch (e) {
    status(`error: ${e.message}`);
    teardown();
    $('join').disabled = false;
  }
}

/** Opens the room's chat channel and shows the panel; the call keeps working without it. */
async function openChat(client) {
  try {
    const chat = await client.openDataChannel('chat');
    chat.onmessage = (e) => {
      try {
        const m = JSON.parse(e.data);
        addChatLine(String(m.name ?? '?'), String(m.text ?? ''), false);
      } catch {
        // not a chat message
      }
    };
    demo.chat = chat;
    $('chat').hidden = false;
  } catch (e) {
    status(`chat unavailable: ${e.message}`);
  }
}

function addChatLine(name, text, own) {
  const line = document.createElement('div');
  line.className = own ? 'chat-line own' : 'chat-line';
  const who = document.createElement('b');
  who.textContent = `${name}: `;
  line.append(who, document.createTextNode(text));
  $('chat-log').append(line);
  $('chat-log').scrollTop = $('chat-log').scrollHeight;
}

function sendChat() {
  const text = $('chat-input').value.trim();
  if (!text || demo.chat?.readyState !== 'open') return;
  const name = demo.client?.self?.name || 'me';
  demo.chat.send(JSON.stringify({ name, text }));
  addChatLine(name, text, true);
  $('chat-input').value = '';
}

function teardown() {
  demo.chat?.close();
  demo.chat = null;
  $('chat').hidden = true;
  $('chat-log').replaceChildren();
  clearInterval(statsTimer);
  statsTimer = null;
  for (const id of [...tiles.keys()]) removeTile(id);
  demo.stream?.getTracks().forEach((t) => t.stop());
  demo.stream = null;
  micTrackId = null;
  cameraTrackId = null;
  $('controls').hidden = true;
  $('join-form').hidden = false;
  $('join').disabled = false;
  $('mute-mic').textContent = 'Mute microphone';
  $('mute-camera').textContent = 'Stop camera';
}

async function toggle(button, trackId, labels) {
  const track = demo.client.self.tracks.get(trackId);
  const muted = !(track?.info.muted ?? false);
  button.disabled = true;
  try {
    await demo.client.setMuted(trackId, muted);
    button.textContent = muted ? labels[1] : labels[0];
    const self = tiles.get(demo.client.self.id);
    self?.classList.toggle(trackId === micTrackId ? 'audio-muted' : 'video-muted', muted);
  } catch (e) {
    status(`error: ${e.message}`);
  } finally {
    button.disabled = false;
  }
}

$('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  join();
});
$('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sendChat();
});
$('mute-mic').onclick = () => toggle($('mute-mic'), micTrackId, ['Mute microphone', 'Unmute microphone']);
$('mute-camera').onclick = () => toggle($('mute-camera'), cameraTrackId, ['Stop camera', 'Start camera']);
$('leave').onclick = async () => {
  const client = demo.client;
  await client?.leave();
  teardown();
  status('left');
};

if (params.get('autojoin') === '1') join();
