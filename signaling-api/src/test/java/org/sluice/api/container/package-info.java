/** Driving rootful podman from tests: building the server image offline and running it in the test's network namespace. */
package org.sluice.api.container;
