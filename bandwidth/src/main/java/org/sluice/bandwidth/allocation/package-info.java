/**
 * Bitrate allocation as a pure function: {@link org.sluice.bandwidth.allocation.BitrateAllocator}
 * divides one receiver's estimated bitrate over its subscriptions (audio first, then screen share,
 * active speaker, others) and picks each video's layer, with hysteresis on upgrades and a probe
 * request when an upgrade needs more than the estimate. Inputs and outputs are reusable mutable
 * objects ({@link org.sluice.bandwidth.allocation.AllocationInput},
 * {@link org.sluice.bandwidth.allocation.AllocationTarget}), so an allocation creates no objects.
 * The leg that owns the allocator applies its targets to the layer selectors.
 */
package org.sluice.bandwidth.allocation;
