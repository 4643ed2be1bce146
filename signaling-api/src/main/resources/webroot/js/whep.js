// WHEP player: receives what is published in /whep/{room}.
import { exchange, endSession } from './negotiate.js';

export class WhepViewer {
  /** @param endpoint e.g. '/whep/lobby'; @param token optional bearer token */
  constructor(endpoint, token) {
    this.endpoint = endpoint;
    this.token = token;
    this.pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    this.resource = null;
    this.stream = new MediaStream();
    this.pc.addEventListener('track', (event) => this.stream.addTrack(event.track));
  }

  /** Offers to receive one video and one audio track; resolves with the MediaStream they arrive in. */
  async watch() {
    this.pc.addTransceiver('video', { direction: 'recvonly' });
    this.pc.addTransceiver('audio', { direction: 'recvonly' });
    this.resource = await exchange(this.pc, this.endpoint, this.token);
    return this.stream;
  }

  /** Closes the connection and DELETEs the session. */
  async stop() {
    this.pc.close();
    const resource = this.resource;
    this.resource = null;
    await endSession(resource, this.token);
  }
}
