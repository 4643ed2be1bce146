package org.sluice.core.sdp;

import java.util.List;

/** {@code a=ssrc-group:<semantics> <ssrc> ...} (RFC 5576), e.g. {@code FID 1 2} (RTX) or {@code SIM 1 2 3}. */
public record SsrcGroup(String semantics, List<Long> ssrcs) {

    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(semantics);
        for (Long s : ssrcs) {
            sb.append(' ').append(s);
        }
        return sb.toString();
    }
}
