/**
 * Test support shipped in rtp's test-jar: the Netty leak guard and packet builders used by the
 * tests of every module.
 */
package org.sluice.rtp.testing;
