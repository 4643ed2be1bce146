package org.sluice.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=simulcast} (RFC 8853): the streams sent and received, each a list of alternatives (written with
 * {@code ,}) of RIDs, streams separated by {@code ;}; a RID written with {@code ~} is paused.
 *
 * @param send streams offered for sending; each inner list holds the alternatives of one stream
 * @param recv streams offered for receiving
 */
public record Simulcast(List<List<Layer>> send, List<List<Layer>> recv) {

    /** One RID in a simulcast stream list. */
    public record Layer(String rid, boolean paused) {

        @Override
        public String toString() {
            return paused ? "~" + rid : rid;
        }
    }

    public Simulcast {
        send = copy(send);
        recv = copy(recv);
    }

    private static List<List<Layer>> copy(List<List<Layer>> streams) {
        List<List<Layer>> out = new ArrayList<>(streams.size());
        for (List<Layer> alternatives : streams) {
            out.add(List.copyOf(alternatives));
        }
        return List.copyOf(out);
    }

    /** The same streams with send and receive swapped, as an answerer mirrors an offer. */
    public Simulcast mirrored() {
        return new Simulcast(recv, send);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!send.isEmpty()) {
            sb.append("send ");
            appendStreams(sb, send);
        }
        if (!recv.isEmpty()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append("recv ");
            appendStreams(sb, recv);
        }
        return sb.toString();
    }

    private static void appendStreams(StringBuilder sb, List<List<Layer>> streams) {
        for (int i = 0; i < streams.size(); i++) {
            if (i > 0) {
                sb.append(';');
            }
            List<Layer> alternatives = streams.get(i);
            for (int j = 0; j < alternatives.size(); j++) {
                if (j > 0) {
                    sb.append(',');
                }
                sb.append(alternatives.get(j));
            }
        }
    }
}
