/**
 * Server configuration: the {@link org.sluice.api.config.ServerConfig} record and its loading from
 * embedded defaults, a config file (JSON or properties), {@code SLUICE_*} environment variables and
 * command-line flags, in that order of precedence.
 */
package org.sluice.api.config;
