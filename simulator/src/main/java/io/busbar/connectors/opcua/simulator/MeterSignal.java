package io.busbar.connectors.opcua.simulator;

import java.util.Locale;

/**
 * One simulated variable of one meter, and the pure functions that give its value at any whole
 * second.
 *
 * <p>The values depend only on the meter index and the second, never on when a server was started.
 * Two simulators started independently therefore publish identical readings for the same meter and
 * source time, like the two servers of a real redundant pair reading the same field device. {@link
 * StrictMath} keeps them bit-identical across JVMs and platforms as well.
 *
 * @param meter the meter index, 1-based
 * @param quantity which variable of the meter
 */
record MeterSignal(int meter, Quantity quantity) {

    /** The variables every simulated meter has; the name is the last part of the node id. */
    enum Quantity {
        /** Raw energy counter in Wh: an integer in a Double, strictly increasing. */
        ENERGY("Energy"),
        /** Active power in kW with three decimals. */
        POWER("Power");

        final String browseName;

        Quantity(String browseName) {
            this.browseName = browseName;
        }
    }

    /** The counters' zero point, 2020-01-01T00:00:00Z; earlier seconds are outside the model. */
    private static final long ORIGIN_EPOCH_SECOND = 1_577_836_800L;
    /** Every meter's counter starts at a different, recognisable value: meter × this. */
    private static final double COUNTER_START_WH_PER_METER_INDEX = 100_000;
    /** A slow five-minute load cycle and a faster 37 s ripple keep the power curve non-trivial. */
    private static final long SLOW_PERIOD_SECONDS = 300;
    private static final long FAST_PERIOD_SECONDS = 37;
    private static final double SLOW_SWING = 0.25;
    private static final double FAST_SWING = 0.10;
    private static final double KW_SECONDS_PER_WH = 3.6;

    /** The node id identifier of this variable, e.g. {@code Meter001.Energy}. */
    String identifier() {
        return meterId(meter) + "." + quantity.browseName;
    }

    double valueAt(long epochSecond) {
        return valueAtMillis(Math.multiplyExact(epochSecond, 1000L));
    }

    /**
     * The value at an instant given in epoch milliseconds: the same function as {@link
     * #valueAt(long)}, defined between whole seconds too, for servers that update faster than once a
     * second. At a whole second both give bit-identical values.
     */
    double valueAtMillis(long epochMilli) {
        return switch (quantity) {
            case ENERGY -> energyWhAtMillis(meter, epochMilli);
            case POWER -> powerKwAtMillis(meter, epochMilli);
        };
    }

    /** {@code Meter001} for meter 1: at least three digits, so ids sort like their meters. */
    static String meterId(int meter) {
        return String.format(Locale.ROOT, "Meter%03d", meter);
    }

    /**
     * Power at a whole second: the meter's rating (10 to 94 kW) modulated by at most ±35 %, so it
     * never drops below 6.5 kW, rounded to three decimals.
     */
    static double powerKw(int meter, long epochSecond) {
        return powerKwAtMillis(meter, Math.multiplyExact(epochSecond, 1000L));
    }

    /** {@link #powerKw} at an instant in epoch milliseconds (between whole seconds too). */
    static double powerKwAtMillis(int meter, long epochMilli) {
        double kw = ratedKw(meter)
                * (1
                        + SLOW_SWING * StrictMath.sin(angle(epochMilli, SLOW_PERIOD_SECONDS) + phase(meter))
                        + FAST_SWING * StrictMath.sin(angle(epochMilli, FAST_PERIOD_SECONDS)));
        return Math.round(kw * 1000) / 1000.0;
    }

    /**
     * The energy counter at a whole second: the closed-form integral of the power curve since the
     * origin, in whole Wh. Power never drops below 6.5 kW (1.8 Wh per second), so the floored
     * counter grows by at least 1 Wh every second: strictly increasing.
     */
    static double energyWh(int meter, long epochSecond) {
        return energyWhAtMillis(meter, Math.multiplyExact(epochSecond, 1000L));
    }

    /**
     * {@link #energyWh} at an instant in epoch milliseconds: the same integral, so between whole
     * seconds the counter is non-decreasing (it grows by at least 1 Wh per second, not per update).
     */
    static double energyWhAtMillis(int meter, long epochMilli) {
        double kwSeconds = ratedKw(meter)
                * (seconds(epochMilli - ORIGIN_EPOCH_SECOND * 1000)
                        - SLOW_SWING * StrictMath.cos(angle(epochMilli, SLOW_PERIOD_SECONDS) + phase(meter))
                                / omega(SLOW_PERIOD_SECONDS)
                        - FAST_SWING * StrictMath.cos(angle(epochMilli, FAST_PERIOD_SECONDS))
                                / omega(FAST_PERIOD_SECONDS));
        return Math.floor(meter * COUNTER_START_WH_PER_METER_INDEX + kwSeconds / KW_SECONDS_PER_WH);
    }

    private static double ratedKw(int meter) {
        return 10 + 7 * Math.floorMod(meter * 37, 13);
    }

    private static double phase(int meter) {
        return meter * 0.7;
    }

    /**
     * The angle within the period, from the time modulo the period so it stays exact. For a whole
     * second the millisecond remainder divided by 1000 is exactly the second's remainder, so the
     * angle is the same double as computed from seconds.
     */
    private static double angle(long epochMilli, long periodSeconds) {
        return omega(periodSeconds) * seconds(Math.floorMod(epochMilli, periodSeconds * 1000));
    }

    /** Milliseconds as seconds; exact for every whole second (a multiple of 1000 below 2^53). */
    private static double seconds(long millis) {
        return millis % 1000 == 0 ? (double) (millis / 1000) : millis / 1000.0;
    }

    private static double omega(long periodSeconds) {
        return 2 * Math.PI / periodSeconds;
    }
}
