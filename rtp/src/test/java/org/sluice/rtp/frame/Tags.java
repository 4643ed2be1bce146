package org.sluice.rtp.frame;

import org.sluice.rtp.codec.Codec;

/** Test helpers building {@link PacketTag}s by hand. */
final class Tags {

    private Tags() {
    }

    static PacketTag tag(Codec codec, boolean begin, boolean end) {
        PacketTag t = new PacketTag();
        t.clear();
        t.codec = codec;
        t.frameBegin = begin;
        t.frameEnd = end;
        t.interPicturePredicted = true;
        return t;
    }

    static PacketTag key(PacketTag t) {
        t.keyframe = true;
        t.switchPoint = true;
        t.interPicturePredicted = false;
        return t;
    }

    static PacketTag layers(PacketTag t, int spatialId, int temporalId) {
        t.spatialId = spatialId;
        t.temporalId = temporalId;
        return t;
    }

    static PacketTag picture(PacketTag t, int pictureId, int bits, int tl0PicIdx) {
        t.pictureId = pictureId;
        t.frameId = pictureId;
        t.frameIdBits = bits;
        t.tl0PicIdx = tl0PicIdx;
        return t;
    }

    static PacketTag refs(PacketTag t, int... distances) {
        t.referencesKnown = true;
        for (int d : distances) {
            t.addReference(d);
        }
        return t;
    }
}
