package org.sluice.core.forward;

/**
 * A token bucket of bytes that bounds one receiver's retransmissions, so a receiver that NACKs
 * everything (a broken client, or a link that loses most packets) cannot make the SFU send more
 * repair than media. Pure arithmetic on the caller's clock; one loop only.
 */
final class RetransmissionBudget {

    private final long bytesPerSecond;
    private final long burstBytes;
    private long tokens;
    private long lastRefillNanos;
    private boolean started;

    RetransmissionBudget(long bitsPerSecond, long burstBytes) {
        this.bytesPerSecond = bitsPerSecond / 8;
        this.burstBytes = burstBytes;
        this.tokens = burstBytes;
    }

    /** Takes {@code bytes} if the budget has them. */
    boolean tryTake(int bytes, long nowNanos) {
        if (!started) {
            started = true;
            lastRefillNanos = nowNanos;
        }
        long elapsed = Math.min(nowNanos - lastRefillNanos, 10_000_000_000L);
        long refill = elapsed * bytesPerSecond / 1_000_000_000L;
        if (refill > 0) {
            tokens = Math.min(burstBytes, tokens + refill);
            lastRefillNanos = nowNanos;
        }
        if (tokens < bytes) {
            return false;
        }
        tokens -= bytes;
        return true;
    }
}
