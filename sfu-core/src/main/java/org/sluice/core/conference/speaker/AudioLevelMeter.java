package org.sluice.core.conference.speaker;

/**
 * The smoothed loudness of one published audio track, fed by the RFC 6464 audio level header extension of
 * each packet.
 *
 * <p>Each level (0..127, -dBov) becomes a linear energy {@code 10^(-level/10)} (1 = full scale) and enters a
 * time-decayed average with time constant {@code tau}: the average decays by {@code exp(-dt/tau)} over the
 * gap {@code dt} since the previous packet, and the new packet adds its energy weighted for the audio it
 * covers (the gap, at most {@link #MAX_PACKET_NANOS}; a first packet counts as one 20 ms frame). A packet
 * after a long DTX gap therefore weighs one frame, not the whole gap. Readers decay the average up to their
 * own time, and a meter without a packet for longer than the staleness limit reads as silent.
 *
 * <p>Threading: {@link #record} has one writer (the publisher's event loop), takes no lock and allocates
 * nothing; its working state is plain fields. After each packet it publishes the average and the packet
 * time through two volatile longs, the energy first and the time second, and readers (any thread) read
 * them in the opposite order. A volatile {@code long} is never torn, and a racy read sees at worst the
 * previous packet's values or an energy one packet newer than the time, which is harmless.
 */
public final class AudioLevelMeter {

    /** Default smoothing time constant. */
    public static final long DEFAULT_TIME_CONSTANT_NANOS = 200_000_000L;
    /** Default time without packets after which the meter reads silent (DTX or a stopped track). */
    public static final long DEFAULT_STALE_NANOS = 500_000_000L;
    /** The most audio one packet is taken to represent. */
    static final long MAX_PACKET_NANOS = 60_000_000L;
    private static final long FIRST_PACKET_NANOS = 20_000_000L;
    private static final int SILENCE = 127;
    private static final double[] ENERGY = energyTable();

    private final double timeConstantNanos;
    private final long staleNanos;

    private boolean started;
    private long lastNanos;
    private double energy;

    private volatile long publishedEnergyBits;
    private volatile long publishedNanos;
    private volatile boolean publishedStarted;

    /** A meter with the default time constant (200 ms) and staleness limit (500 ms). */
    public AudioLevelMeter() {
        this(DEFAULT_TIME_CONSTANT_NANOS, DEFAULT_STALE_NANOS);
    }

    /**
     * @param timeConstantNanos the smoothing time constant, positive
     * @param staleNanos        time without packets after which the meter reads silent, positive
     */
    public AudioLevelMeter(long timeConstantNanos, long staleNanos) {
        if (timeConstantNanos <= 0 || staleNanos <= 0) {
            throw new IllegalArgumentException("time constant and staleness limit must be positive");
        }
        this.timeConstantNanos = timeConstantNanos;
        this.staleNanos = staleNanos;
    }

    /**
     * Records one packet's audio level; values outside 0..127 are ignored. Single writer (the publisher's
     * loop); no allocation, no lock.
     *
     * @param level    RFC 6464 level, 0 (loudest) to 127 (silence), in -dBov
     * @param nowNanos the packet's arrival time on the meter's clock
     */
    public void record(int level, long nowNanos) {
        if (level < 0 || level > SILENCE) {
            return;
        }
        double packetEnergy = ENERGY[level];
        if (!started) {
            energy = packetEnergy * weight(FIRST_PACKET_NANOS);
            started = true;
        } else {
            long gap = Math.max(nowNanos - lastNanos, 0);
            double decayed = energy * Math.exp(-gap / timeConstantNanos);
            energy = decayed + packetEnergy * weight(Math.min(gap, MAX_PACKET_NANOS));
        }
        lastNanos = nowNanos;
        publishedEnergyBits = Double.doubleToRawLongBits(energy);
        publishedNanos = nowNanos;
        publishedStarted = true;
    }

    private double weight(long coveredNanos) {
        return 1 - Math.exp(-coveredNanos / timeConstantNanos);
    }

    /**
     * The smoothed linear energy at {@code nowNanos}, 0 (silence) to 1 (full scale): the published average
     * decayed over the time since the last packet, or 0 when there has been no packet for longer than the
     * staleness limit (or never). Any thread.
     */
    public double energy(long nowNanos) {
        if (!publishedStarted) {
            return 0;
        }
        long at = publishedNanos;
        double value = Double.longBitsToDouble(publishedEnergyBits);
        long age = nowNanos - at;
        if (age > staleNanos) {
            return 0;
        }
        return age <= 0 ? value : value * Math.exp(-age / timeConstantNanos);
    }

    /**
     * The smoothed loudness at {@code nowNanos} as a linear amplitude, 0 (silence) to 1 (full scale): the
     * square root of {@link #energy}. -20 dBov reads 0.1, -40 dBov 0.01. Any thread.
     */
    public double level(long nowNanos) {
        return Math.sqrt(energy(nowNanos));
    }

    /** The linear amplitude of an RFC 6464 level: {@code 10^(-level/20)}; 127 counts as silence (0). */
    public static double amplitudeOf(int level) {
        if (level < 0 || level > SILENCE) {
            throw new IllegalArgumentException("level must be 0..127: " + level);
        }
        return Math.sqrt(ENERGY[level]);
    }

    private static double[] energyTable() {
        double[] table = new double[SILENCE + 1];
        for (int level = 0; level < SILENCE; level++) {
            table[level] = Math.pow(10, -level / 10.0);
        }
        table[SILENCE] = 0; // RFC 6464: 127 means digital silence
        return table;
    }
}
