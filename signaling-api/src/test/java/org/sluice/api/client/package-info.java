/** Tests of the JavaScript client module served at {@code /js/sluice-client.js}, run under Node. */
package org.sluice.api.client;
