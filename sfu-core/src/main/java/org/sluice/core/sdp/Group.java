package org.sluice.core.sdp;

import java.util.List;

/** {@code a=group:<semantics> <mid> ...} (RFC 5888), e.g. {@code BUNDLE 0 1}. */
public record Group(String semantics, List<String> mids) {

    public Group {
        mids = List.copyOf(mids);
    }

    @Override
    public String toString() {
        return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
    }
}
