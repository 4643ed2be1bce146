package org.sluice.core.ice;

/** Either a parsed candidate or the constant reason it was rejected. */
public record CandidateParseResult(RemoteCandidate candidate, String rejectReason) {

    static CandidateParseResult accepted(RemoteCandidate candidate) {
        return new CandidateParseResult(candidate, null);
    }

    static CandidateParseResult rejected(String reason) {
        return new CandidateParseResult(null, reason);
    }

    public boolean isAccepted() {
        return candidate != null;
    }
}
