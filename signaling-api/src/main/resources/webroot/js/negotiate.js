// Shared by whip.js and whep.js: one non-trickle offer/answer exchange over HTTP (RFC 9725).

/** Resolves when ICE gathering is complete, or after timeoutMs, whichever comes first. */
export function iceGatheringDone(pc, timeoutMs = 2000) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, timeoutMs);
    function finish() {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onChange);
      resolve();
    }
    function onChange() {
      if (pc.iceGatheringState === 'complete') finish();
    }
    pc.addEventListener('icegatheringstatechange', onChange);
  });
}

function headers(token, extra) {
  const h = { ...extra };
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

/**
 * Creates the offer, waits for candidates, POSTs it to endpoint and applies the answer.
 * Returns the session resource URL (from Location).
 */
export async function exchange(pc, endpoint, token) {
  await pc.setLocalDescription(await pc.createOffer());
  await iceGatheringDone(pc);
  const post = (url) => fetch(url, {
    method: 'POST',
    headers: headers(token, { 'Content-Type': 'application/sdp' }),
    body: pc.localDescription.sdp,
  });
  let response = await post(endpoint);
  if (response.status === 401 && token && response.redirected) {
    // A cluster node redirected us (307) to the node that serves the room; browsers drop Authorization on a
    // redirect to another origin, so post again there with the token.
    response = await post(response.url);
  }
  if (response.status !== 201) {
    throw new Error(`${endpoint}: ${response.status} ${(await response.text()).trim()}`);
  }
  // Relative to where the offer finally went (after any redirect).
  const resource = new URL(response.headers.get('Location'), response.url || new URL(endpoint, location.href)).href;
  await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
  return resource;
}

/** Ends the session resource; errors are ignored (the server times sessions out anyway). */
export async function endSession(resource, token) {
  if (!resource) return;
  try {
    await fetch(resource, { method: 'DELETE', headers: headers(token, {}) });
  } catch (e) {
    // best effort
  }
}
