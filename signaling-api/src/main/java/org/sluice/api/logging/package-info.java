/** The logging backend (Logback) configured from the server's settings: levels, text or JSON lines. */
package org.sluice.api.logging;
