package org.sluice.core.ice;

import org.sluice.core.stun.StunIntegrity;
import org.sluice.core.stun.StunMessage;

import java.nio.charset.StandardCharsets;

/**
 * One generation of ICE credentials (they change on an ICE restart): our ufrag/pwd with a keyed
 * {@link StunIntegrity}, the peer's credentials if known, and the USERNAME bytes a check must carry.
 */
final class CredentialGeneration {

    private final IceCredentials local;
    private final StunIntegrity integrity;
    private final byte[] localPrefix;
    private IceCredentials remote;
    private byte[] expectedUsername;
    private boolean validated;

    CredentialGeneration(IceCredentials local, IceCredentials remote) {
        this.local = local;
        this.integrity = StunIntegrity.shortTerm(local.pwd());
        this.localPrefix = (local.ufrag() + ":").getBytes(StandardCharsets.UTF_8);
        setRemote(remote);
    }

    IceCredentials local() {
        return local;
    }

    IceCredentials remote() {
        return remote;
    }

    StunIntegrity integrity() {
        return integrity;
    }

    void setRemote(IceCredentials remote) {
        this.remote = remote;
        this.expectedUsername = remote == null ? null
                : (local.ufrag() + ":" + remote.ufrag()).getBytes(StandardCharsets.UTF_8);
    }

    /** USERNAME is "localUfrag:remoteUfrag", or "localUfrag:&lt;anything&gt;" while the remote ufrag is unknown. */
    boolean usernameMatches(StunMessage request) {
        return expectedUsername != null
                ? request.usernameEquals(expectedUsername)
                : request.usernameStartsWith(localPrefix);
    }

    boolean validated() {
        return validated;
    }

    void markValidated() {
        validated = true;
    }
}
