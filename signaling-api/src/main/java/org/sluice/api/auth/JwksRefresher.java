package org.sluice.api.auth;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads every JWKS source into the {@link KeyRing}. A source that cannot be read or parsed keeps the keys it
 * last gave (logged and counted); a source that gives a new set replaces its old keys, so a key removed from the
 * JWKS stops verifying tokens at the next refresh. Blocking: run it on a worker thread.
 */
public final class JwksRefresher {

    private static final Logger LOG = LoggerFactory.getLogger(JwksRefresher.class);

    private final KeyRing ring;
    private final List<String> sources;
    private final JwksLoader loader;
    private final AtomicLong failures = new AtomicLong();

    JwksRefresher(KeyRing ring, List<String> sources, JwksLoader loader) {
        this.ring = ring;
        this.sources = List.copyOf(sources);
        this.loader = loader;
    }

    /** Re-reads every source once. */
    public void refreshAll() {
        for (String source : sources) {
            try {
                ring.replace(source, loader.load(source));
            } catch (KeyFormatException e) {
                failures.incrementAndGet();
                LOG.warn("keeping the last keys of {}: {}", source, e.getMessage());
            }
        }
    }

    /** How many reads of a source have failed since start. */
    public long failures() {
        return failures.get();
    }

    /** True if there is anything to refresh. */
    public boolean hasSources() {
        return !sources.isEmpty();
    }
}
