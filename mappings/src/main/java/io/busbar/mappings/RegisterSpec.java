package io.busbar.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.MeterAttributes;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.units.UnitCatalog;
import io.busbar.mappings.units.UnitConversion;
import io.busbar.mappings.validation.ValidationRules;
import io.busbar.mappings.validation.ValidationSettings;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.math.BigDecimal;
import java.util.List;

/**
 * A register as the mapping file writes it, compiled once: everything but its node, which may hold
 * template placeholders or be a browse path to look up in the server's address space.
 */
record RegisterSpec(
        String pointer,
        String node,
        String browse,
        String quantity,
        String unit,
        BigDecimal scale,
        BigDecimal offset,
        Accumulation accumulation,
        String tariff,
        Integer digits,
        BigDecimal deadband,
        UnitConversion conversion,
        ValidationRules rules) {

    /** Most digits a scale, offset or deadband may have before, and after, the decimal point. */
    static final int MAX_DIGITS = 100;
    static final String DECIMAL_RANGE = "must be below 1E+" + MAX_DIGITS + " in size, with at most " + MAX_DIGITS + " decimal places";

    /**
     * Reads a register the schema has checked (or found fault with: values of the wrong shape are
     * skipped, the schema reported them) and adds the problems only Java can see.
     *
     * @param variables the template's placeholder names, or null for a meter written out
     */
    static RegisterSpec compile(LocatedDocument document, String pointer, ValidationSettings fileSettings,
                                List<String> variables, List<Problem> problems) {
        JsonNode register = document.at(pointer);
        String node = text(register, "node");
        String browse = text(register, "browse");
        if (register.isObject()) {
            if (node != null && browse != null) {
                problems.add(document.problemAt(pointer + "/browse", "a register has either 'node' or 'browse', not both"));
            } else if (!register.has("node") && !register.has("browse")) {
                problems.add(document.problemAt(pointer, "missing required key 'node' (or 'browse' with a browse path)"));
            }
        }
        if (variables != null) {
            checkPlaceholders(document, pointer + "/node", node, variables, problems);
            checkPlaceholders(document, pointer + "/browse", browse, variables, problems);
        }
        String quantity = text(register, "quantity");
        String unit = text(register, "unit");
        BigDecimal scale = decimal(document, pointer, "scale", Register.DEFAULT_SCALE, problems);
        BigDecimal offset = decimal(document, pointer, "offset", Register.DEFAULT_OFFSET, problems);
        BigDecimal deadband = decimal(document, pointer, "deadband", null, problems);
        UnitConversion conversion = conversion(document, pointer, text(register, "source-unit"), unit, problems);

        String q = quantity == null ? "" : quantity;
        String accumulationName = text(register, "accumulation");
        Accumulation accumulation = Accumulation.defaultFor(q, unit);
        if (accumulationName != null) {
            try {
                accumulation = Accumulation.fromWireName(accumulationName);
            } catch (IllegalArgumentException e) {
                // the schema lists the allowed values
            }
        }
        String tariff = text(register, "tariff");
        if (tariff == null) {
            tariff = Register.defaultTariff(q, accumulation);
        }
        Integer digits = null;
        JsonNode digitsNode = register.path("digits");
        if (digitsNode.isIntegralNumber() && digitsNode.canConvertToInt()) {
            digits = digitsNode.intValue();
            if (accumulation != Accumulation.REGISTER) {
                problems.add(document.problemAt(pointer + "/digits", "only a register rolls over: digits needs accumulation: register"
                        + " (this one is " + accumulation.wireName() + ")"));
            }
        }
        ValidationRules rules = fileSettings.resolve(ValidationSettings.parse(document, pointer + "/validation", problems), accumulation);
        // every register of a large file repeats these: one shared instance each (see Canonical)
        return new RegisterSpec(pointer, node, browse, Canonical.of(q), Canonical.of(unit), Canonical.of(scale),
                Canonical.of(offset), accumulation, Canonical.of(tariff), digits, Canonical.of(deadband), conversion,
                Canonical.of(rules));
    }

    Register build(String nodeId, String meter, MeterAttributes attributes) {
        return new Register(nodeId, meter, quantity, unit, scale, offset, attributes, accumulation, tariff, digits, deadband,
                conversion, rules);
    }

    /** A conversion needs both units in the catalogue, measuring the same kind of thing. */
    private static UnitConversion conversion(LocatedDocument document, String pointer, String sourceUnit, String unit,
                                             List<Problem> problems) {
        if (sourceUnit == null || unit == null) {
            return UnitConversion.NONE;
        }
        boolean known = true;
        if (!UnitCatalog.isKnown(sourceUnit)) {
            problems.add(document.problemAt(pointer + "/source-unit", UnitCatalog.unknownUnitMessage(sourceUnit)));
            known = false;
        }
        if (!UnitCatalog.isKnown(unit)) {
            problems.add(document.problemAt(pointer + "/unit", "cannot convert from source-unit '" + sourceUnit + "': "
                    + UnitCatalog.unknownUnitMessage(unit)));
            known = false;
        }
        if (!known) {
            return UnitConversion.NONE;
        }
        UnitCatalog.Kind from = UnitCatalog.kindOf(sourceUnit).orElseThrow();
        UnitCatalog.Kind to = UnitCatalog.kindOf(unit).orElseThrow();
        if (from != to) {
            problems.add(document.problemAt(pointer + "/unit", "cannot convert from source-unit '" + sourceUnit + "' ("
                    + from.label() + ") to '" + unit + "' (" + to.label() + ")"));
            return UnitConversion.NONE;
        }
        return UnitCatalog.conversion(sourceUnit, unit);
    }

    static void checkPlaceholders(LocatedDocument document, String pointer, String text, List<String> variables,
                                  List<Problem> problems) {
        if (text == null) {
            return;
        }
        try {
            for (String name : Placeholders.names(text)) {
                if (!variables.contains(name)) {
                    problems.add(document.problemAt(pointer, "unknown placeholder {" + name + "}; this template defines "
                            + String.join(", ", variables.stream().map(v -> "{" + v + "}").toList())));
                }
            }
        } catch (IllegalArgumentException e) {
            problems.add(document.problemAt(pointer, e.getMessage()));
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    /**
     * Bounds scale, offset and deadband so that scaling stays cheap and the wire format can write the
     * value plainly: {@code scale: 1e99999999} passes the schema but would make {@link Register#value}
     * build a number with 10^8 digits (minutes of work; with one more 9 an ArithmeticException).
     */
    private static BigDecimal decimal(LocatedDocument document, String pointer, String field, BigDecimal fallback,
                                      List<Problem> problems) {
        JsonNode value = document.at(pointer + "/" + field);
        if (!value.isNumber()) {
            return fallback;
        }
        BigDecimal decimal = value.decimalValue();
        BigDecimal stripped = decimal.stripTrailingZeros();
        int decimalPlaces = stripped.scale();
        int integerDigits = stripped.precision() - stripped.scale();
        if (decimalPlaces > MAX_DIGITS || integerDigits > MAX_DIGITS) {
            problems.add(document.problemAt(pointer + "/" + field, DECIMAL_RANGE));
            return fallback;
        }
        return decimal;
    }
}
