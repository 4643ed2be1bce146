/**
 * Browser interop tests of multi-party conferencing: Chromium pages run the JavaScript client
 * ({@code /js/sluice-client.js}) and the conference demo ({@code /}) against the real server and engine on
 * loopback, and read what they receive back over the DevTools protocol ({@link org.sluice.api.conference.ConferencePages}).
 */
package org.sluice.api.conference;
