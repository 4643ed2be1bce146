/**
 * Browser interop harness (test scope): headless {@link org.sluice.api.browser.Chromium} driven
 * over the DevTools protocol, the network-isolation precondition, and the interop tests that use
 * them ({@code *InteropTest}, run by the {@code interop} Surefire execution inside a network
 * namespace with only loopback).
 */
package org.sluice.api.browser;
