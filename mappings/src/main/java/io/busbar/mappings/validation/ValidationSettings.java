package io.busbar.mappings.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One {@code validation:} block of a mapping file as written: the top-level one (defaults for the
 * file) or a register's own (overrides). A null field was not written; an empty Optional was
 * written as {@code off}.
 *
 * <p>Precedence, per key: the register's block, then the file's block, then the defaults in
 * {@link ValidationRules}. One exception: {@code frozen-count} from the file's block applies to
 * registers and interval values only; an instantaneous value is checked for being frozen only when
 * its own block asks for it.
 */
public record ValidationSettings(
        BadQualityPolicy badQuality,
        Optional<Duration> futureTolerance,
        Optional<Duration> staleAfter,
        Optional<Duration> maxGap,
        Optional<RateLimit> spikeRate,
        Optional<Integer> frozenCount) {

    public static final ValidationSettings NONE = new ValidationSettings(null, null, null, null, null, null);
    public static final String OFF = "off";

    /**
     * Reads a block the schema has already checked; values of the wrong shape are skipped (the schema
     * reported them), values of the right shape but out of range are reported here.
     */
    public static ValidationSettings parse(LocatedDocument document, String pointer, List<Problem> problems) {
        JsonNode block = document.at(pointer);
        if (block == null || !block.isObject()) {
            return NONE;
        }
        BadQualityPolicy badQuality = null;
        JsonNode bad = block.path("bad-quality");
        if (bad.isTextual()) {
            try {
                badQuality = BadQualityPolicy.fromWireName(bad.asText());
            } catch (IllegalArgumentException e) {
                // the schema names the allowed values
            }
        }
        return new ValidationSettings(
                badQuality,
                duration(document, pointer + "/future-tolerance", false, problems),
                duration(document, pointer + "/stale-after", true, problems),
                duration(document, pointer + "/max-gap", true, problems),
                rate(document, pointer + "/spike-rate", problems),
                frozenCount(block.path("frozen-count")));
    }

    /** The effective rules of a register with these file-level settings and its own. */
    public ValidationRules resolve(ValidationSettings own, Accumulation accumulation) {
        int frozen;
        if (own.frozenCount != null) {
            frozen = own.frozenCount.orElse(ValidationRules.FROZEN_OFF);
        } else if (accumulation == Accumulation.INSTANTANEOUS) {
            frozen = ValidationRules.FROZEN_OFF;
        } else if (frozenCount != null) {
            frozen = frozenCount.orElse(ValidationRules.FROZEN_OFF);
        } else {
            frozen = ValidationRules.DEFAULT_FROZEN_COUNT;
        }
        return new ValidationRules(
                own.badQuality != null ? own.badQuality : badQuality != null ? badQuality : ValidationRules.DEFAULT_BAD_QUALITY,
                pick(own.futureTolerance, futureTolerance, ValidationRules.DEFAULT_FUTURE_TOLERANCE),
                pick(own.staleAfter, staleAfter, ValidationRules.DEFAULT_STALE_AFTER),
                pick(own.maxGap, maxGap, ValidationRules.DEFAULT_MAX_GAP),
                pick(own.spikeRate, spikeRate, ValidationRules.DEFAULT_SPIKE_RATE),
                frozen);
    }

    private static <T> T pick(Optional<T> own, Optional<T> file, T fallback) {
        if (own != null) {
            return own.orElse(null);
        }
        if (file != null) {
            return file.orElse(null);
        }
        return fallback;
    }

    private static Optional<Duration> duration(LocatedDocument document, String pointer, boolean positive, List<Problem> problems) {
        return rule(document, pointer, text -> {
            try {
                Duration duration = Durations.parse(text);
                if (positive && duration.isZero()) {
                    problems.add(document.problemAt(pointer, "must be longer than 0 (write 'off' to turn the rule off)"));
                    return null;
                }
                return Optional.of(duration);
            } catch (IllegalArgumentException e) {
                return null; // the schema says what a duration looks like
            }
        });
    }

    private static Optional<RateLimit> rate(LocatedDocument document, String pointer, List<Problem> problems) {
        return rule(document, pointer, text -> {
            try {
                return Optional.of(RateLimit.parse(text));
            } catch (IllegalArgumentException e) {
                if (text.matches("^" + RateLimit.REGEX + "$")) {
                    problems.add(document.problemAt(pointer, "must be a rate above zero such as 500/h"));
                }
                return null;
            }
        });
    }

    /**
     * A rule written as text or {@code off}: empty for off; null where it is absent or not text (the
     * schema reports a wrong type), else what {@code parse} makes of the text (null where it cannot).
     */
    private static <T> Optional<T> rule(LocatedDocument document, String pointer, Function<String, Optional<T>> parse) {
        JsonNode value = document.at(pointer);
        if (isOff(value)) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            return null;
        }
        return parse.apply(value.asText());
    }

    /** {@code off}, which YAML 1.1 (SnakeYAML) reads as the boolean false unless it is quoted. */
    private static boolean isOff(JsonNode value) {
        return value.isBoolean() && !value.booleanValue() || value.isTextual() && OFF.equals(value.asText());
    }

    private static Optional<Integer> frozenCount(JsonNode value) {
        if (isOff(value)) {
            return Optional.empty();
        }
        if (value.isIntegralNumber() && value.canConvertToInt() && value.intValue() >= 2) {
            return Optional.of(value.intValue());
        }
        return null;
    }
}
