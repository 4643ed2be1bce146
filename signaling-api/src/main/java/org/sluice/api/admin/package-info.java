/**
 * The admin REST API under {@code /api}: rooms and participants of the conferencing engine, token
 * minting and the OpenAPI document. {@link org.sluice.api.admin.AdminRoutes} installs it on a
 * router; every route but {@code GET /api/openapi.json} needs an admin grant.
 */
package org.sluice.api.admin;
