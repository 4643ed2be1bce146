package org.sluice.core.stun;

/** The result of checking a message's MESSAGE-INTEGRITY(-SHA256). */
public enum IntegrityCheck {
    /** The integrity attribute that was checked matches. */
    VALID,
    /** Neither MESSAGE-INTEGRITY nor MESSAGE-INTEGRITY-SHA256 is present. */
    MISSING,
    /** The integrity attribute does not match the key. */
    MISMATCH
}
