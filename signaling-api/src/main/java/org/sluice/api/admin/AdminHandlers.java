package org.sluice.api.admin;

/** The handler objects an {@link AdminEndpoint} picks its handler from. */
record AdminHandlers(RoomHandlers rooms, BroadcastHandlers broadcasts, ClusterHandlers cluster, TokenMinting tokens,
                     OpenApiDocument openApi) {
}
