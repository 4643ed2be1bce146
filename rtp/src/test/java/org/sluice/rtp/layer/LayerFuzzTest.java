package org.sluice.rtp.layer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.av1.Av1DependencyDescriptor;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile input never throws, decisions are valid, rewriters write nothing on refusal; no per-packet garbage. */
class LayerFuzzTest {

    private static final int ROUNDS = 100_000;

    @Test
    void randomPayloadsNeverThrowAndDecisionsAreValid() {
        SplittableRandom random = new SplittableRandom(0x5111ceL);
        Vp8TemporalFilter vp8Filter = new Vp8TemporalFilter();
        Vp8Rewriter vp8Rewriter = new Vp8Rewriter();
        Vp9LayerFilter vp9Filter = new Vp9LayerFilter();
        Vp9Rewriter vp9Rewriter = new Vp9Rewriter();
        Av1LayerFilter av1Filter = new Av1LayerFilter();
        Av1DependencyDescriptor av1View = new Av1DependencyDescriptor();
        ByteBuf src = Unpooled.buffer(64);
        ByteBuf out = Unpooled.buffer(2048);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                src.clear();
                int length = random.nextInt(0, 40);
                for (int i = 0; i < length; i++) {
                    // Mostly descriptor-like first bytes, so deep paths are reached.
                    src.writeByte(i < 2 && random.nextBoolean() ? 0x80 | random.nextInt(256) : random.nextInt(256));
                }
                int off = random.nextInt(-2, 6);
                int len = random.nextInt(-2, length + 4);
                if (random.nextInt(50) == 0) {
                    vp8Filter.setTarget(random.nextInt(-3, 6));
                    vp9Filter.setTarget(random.nextInt(-3, 9), random.nextInt(-3, 9));
                    av1Filter.setTarget(random.nextInt(-3, 40));
                }
                if (random.nextInt(200) == 0) {
                    vp8Rewriter.rebase();
                    vp9Rewriter.rebase();
                    vp8Filter.reset();
                }
                boolean marker = random.nextBoolean();

                int d8 = random.nextBoolean() ? vp8Filter.decide(src, off, len, random.nextLong())
                        : vp8Filter.decide(src, off, len);
                assertThat(d8 == LayerDecision.FORWARD || d8 == LayerDecision.DROP).isTrue();
                check(vp8Rewriter.rewrite(src, off, len, out.clear()), out, len, Vp8Rewriter.MAX_DESCRIPTOR_LENGTH);
                vp8Rewriter.dropped(src, off, len);

                assertThat(LayerDecision.isValid(vp9Filter.decide(src, off, len, marker))).isTrue();
                check(vp9Rewriter.rewrite(src, off, len, out.clear()), out, len, 2048);
                vp9Rewriter.dropped(src, off, len);

                av1View.parse(src, off, len);
                assertThat(LayerDecision.isValid(av1Filter.decide(av1View, marker))).isTrue();
            }
        } finally {
            src.release();
            out.release();
        }
    }

    private static void check(int consumed, ByteBuf out, int len, int maxWritten) {
        if (consumed < 0) {
            assertThat(consumed).isIn(-1, -2);
            assertThat(out.writerIndex()).isZero();
        } else {
            assertThat(consumed).isPositive().isLessThan(len);
            assertThat(out.writerIndex()).isBetween(1, Math.min(maxWritten, consumed + 1));
        }
    }

    @Test
    void idLinesSurviveRandomForwardsDropsAndRebases() {
        SplittableRandom random = new SplittableRandom(7);
        IdLine line = new IdLine(15);
        int[] widths = {7, 8, 15};
        int width = 15;
        int id = 0;
        for (int i = 0; i < ROUNDS; i++) {
            if (random.nextInt(1000) == 0) {
                width = widths[random.nextInt(3)];
            }
            id += random.nextInt(-3, 5);
            if (random.nextInt(500) == 0) {
                id = random.nextInt();
                line.rebase();
            }
            if (random.nextInt(3) == 0) {
                line.drop(id, width);
            } else {
                int out = line.forward(id, width);
                assertThat(out).isBetween(-1, 0x7fff);
            }
            assertThat(line.lookup(id - random.nextInt(4), width)).isBetween(-1, 0x7fff);
        }
    }

    @Test
    void filteringAndRewritingAllocateNothingPerPacket() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(counter.isThreadAllocatedMemorySupported(), "no allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);
        ByteBuf vp8 = Unpooled.buffer(32);
        ByteBuf vp9 = Unpooled.buffer(32);
        ByteBuf out = Unpooled.buffer(64);
        Vp8TemporalFilter vp8Filter = new Vp8TemporalFilter();
        vp8Filter.setTarget(1);
        Vp8Rewriter vp8Rewriter = new Vp8Rewriter();
        Vp9LayerFilter vp9Filter = new Vp9LayerFilter();
        vp9Filter.setTarget(1, 1);
        Vp9Rewriter vp9Rewriter = new Vp9Rewriter();
        try {
            long sink = run(vp8, vp9, out, vp8Filter, vp8Rewriter, vp9Filter, vp9Rewriter, 0);
            long before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
            sink += run(vp8, vp9, out, vp8Filter, vp8Rewriter, vp9Filter, vp9Rewriter, ROUNDS);
            long allocated = counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertThat(sink).isPositive();
            assertThat(allocated).as("bytes allocated for %d packets", ROUNDS).isLessThan(64 * 1024);
        } finally {
            vp8.release();
            vp9.release();
            out.release();
        }
    }

    private static long run(ByteBuf vp8, ByteBuf vp9, ByteBuf out, Vp8TemporalFilter vp8Filter,
                            Vp8Rewriter vp8Rewriter, Vp9LayerFilter vp9Filter, Vp9Rewriter vp9Rewriter, int first) {
        int[] tids = {0, 2, 1, 2};
        long sink = 0;
        for (int f = first; f < first + ROUNDS; f++) {
            int tid = tids[f & 3];
            vp8.clear().writeByte(0x90).writeByte(0xe0).writeShort(0x8000 | f & 0x7fff).writeByte(f >>> 2)
                    .writeByte(tid << 6 | 0x20).writeByte(f == 0 ? 0 : 1).writeInt(f);
            int d = vp8Filter.decide(vp8, 0, vp8.writerIndex(), f * 3000L);
            if (LayerDecision.isForward(d)) {
                sink += vp8Rewriter.rewrite(vp8, 0, vp8.writerIndex(), out.clear());
            } else {
                vp8Rewriter.dropped(vp8, 0, vp8.writerIndex());
            }
            vp9.clear().writeByte(0x80 | (f == 0 ? 0 : 0x40) | 0x30 | 0x0c).writeShort(0x8000 | f & 0x7fff)
                    .writeByte(tid << 5 | 0x10);
            if (f != 0) {
                vp9.writeByte(1 << 1);
            }
            vp9.writeInt(f);
            d = vp9Filter.decide(vp9, 0, vp9.writerIndex(), true);
            if (LayerDecision.isForward(d)) {
                sink += vp9Rewriter.rewrite(vp9, 0, vp9.writerIndex(), out.clear());
            } else {
                vp9Rewriter.dropped(vp9, 0, vp9.writerIndex());
            }
        }
        return sink;
    }
}
