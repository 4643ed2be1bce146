// WHIP publisher (RFC 9725): sends a MediaStream to /whip/{room}.
import { exchange, endSession } from './negotiate.js';

export class WhipPublisher {
  /** @param endpoint e.g. '/whip/lobby'; @param token optional bearer token */
  constructor(endpoint, token) {
    this.endpoint = endpoint;
    this.token = token;
    this.pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    this.resource = null;
  }

  /** Publishes every track of stream (send-only, one BUNDLE group). */
  async publish(stream) {
    for (const track of stream.getTracks()) {
      this.pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    }
    this.resource = await exchange(this.pc, this.endpoint, this.token);
  }

  /** Closes the connection and DELETEs the session. */
  async stop() {
    this.pc.close();
    const resource = this.resource;
    this.resource = null;
    await endSession(resource, this.token);
  }
}
