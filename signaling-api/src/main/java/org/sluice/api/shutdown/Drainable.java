package org.sluice.api.shutdown;

/** Something that can stop admitting sessions and say how many are still live. */
public interface Drainable {

    /** Refuses new sessions from now on (new offers get 503); live ones keep flowing. */
    void stopAdmitting();

    /** Sessions still live. */
    int liveSessions();

    /** A target with nothing to drain: admits forever, never has sessions. */
    Drainable NONE = new Drainable() {
        @Override
        public void stopAdmitting() {
        }

        @Override
        public int liveSessions() {
            return 0;
        }
    };
}
