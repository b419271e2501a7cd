package io.busbar.mappings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.BrowsedNode;
import io.busbar.mappings.model.Medium;
import io.busbar.mappings.model.Meter;
import io.busbar.mappings.model.MeterAttributes;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.support.Fixtures;
import io.busbar.mappings.units.UnitCatalog;
import io.busbar.mappings.units.UnitConversion;
import io.busbar.mappings.validation.BadQualityPolicy;
import io.busbar.mappings.validation.RateLimit;
import io.busbar.mappings.validation.ValidationRules;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.Problem;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One fixture per case; each invalid one asserts the exact lines {@code busbar validate} prints. */
class MappingFileTest {

    /** The first mapping-file version's full fixture, unchanged: it must keep loading to the same registers. */
    @Test
    void legacyFile_compilesEveryRegisterInFileOrder() {
        Mapping mapping = load("legacy.yaml");

        assertThat(mapping.pair()).isEqualTo("plant-a");
        assertThat(mapping.nodeIds()).containsExactly(
                "ns=2;s=Meter001.EnergyImport",
                "ns=2;s=Meter001.EnergyImportT1",
                "ns=2;s=Meter001.ActivePower",
                "ns=3;i=1042",
                "nsu=urn:plant:a;g=09087e75-8e5e-499b-954f-f2a9603db28a",
                "ns=4;b=AAECAw==");
        assertThat(mapping.register("ns=2;s=Meter001.EnergyImport")).isEqualTo(new Register(
                "ns=2;s=Meter001.EnergyImport", "MTR-001", "1-0:1.8.0", "kWh", new BigDecimal("0.001"), new BigDecimal("0")));
        assertThat(mapping.register("ns=2;s=Meter001.EnergyImportT1").unit())
                .as("an alias gives the anchored value").isEqualTo("kWh");
        Register power = mapping.register("ns=2;s=Meter001.ActivePower");
        assertThat(power.scale()).isEqualByComparingTo("0.001");
        assertThat(power.offset()).isEqualByComparingTo("-0.5");
        assertThat(mapping.register("ns=3;i=1042")).isEqualTo(new Register(
                "ns=3;i=1042", "HEAT-7", "6-0:1.8.0", "GJ", new BigDecimal("0.0001"), new BigDecimal("12.5")));
        Register water = mapping.register("nsu=urn:plant:a;g=09087e75-8e5e-499b-954f-f2a9603db28a");
        assertThat(water.scale()).isEqualTo(Register.DEFAULT_SCALE);
        assertThat(water.offset()).isEqualTo(Register.DEFAULT_OFFSET);
        assertThat(mapping.register("ns=4;b=AAECAw==").scale()).isEqualByComparingTo("10");
    }

    @Test
    void minimalFile_getsDefaultScaleAndOffset() {
        Mapping mapping = load("minimal.yaml");

        assertThat(mapping.size()).isEqualTo(1);
        assertThat(mapping.register("ns=2;i=1")).isEqualTo(new Register(
                "ns=2;i=1", "M1", "1-0:1.8.0", "kWh", Register.DEFAULT_SCALE, Register.DEFAULT_OFFSET));
    }

    @Test
    void parsingText_givesTheSameMappingAsLoadingTheFile() {
        Mapping parsed = MappingFile.parse("plant-a", Fixtures.text("full.yaml"), "full.yaml");

        Mapping loaded = load("full.yaml");
        assertThat(parsed.size()).isEqualTo(60);
        assertThat(parsed.nodeIds()).isEqualTo(loaded.nodeIds());
        parsed.nodeIds().forEach(node -> assertThat(parsed.register(node)).isEqualTo(loaded.register(node)));
    }

    @Test
    void yamlSyntaxError_isReportedWithItsLine() {
        assertProblems("invalid-syntax.yaml",
                "invalid-syntax.yaml:5:33: YAML syntax error: mapping values are not allowed here");
    }

    @Test
    void unknownKey_isReportedWithItsLine() {
        assertProblems("invalid-unknown-key.yaml",
                "invalid-unknown-key.yaml:5:9: meters[0].registers[0].qantity: unknown key 'qantity'");
    }

    @Test
    void missingRequiredKey_isReportedAtTheObjectThatLacksIt() {
        assertProblems("invalid-missing-required.yaml",
                "invalid-missing-required.yaml:4:9: meters[0].registers[0]: missing required key 'unit'");
    }

    @Test
    void badQuantityCode_saysWhatACodeLooksLike() {
        assertProblems("invalid-quantity.yaml",
                "invalid-quantity.yaml:5:9: meters[0].registers[0].quantity: must be an OBIS-like code A-B:C.D.E such as 1-0:1.8.0");
    }

    @Test
    void scaleZero_isRejected() {
        assertProblems("invalid-scale-zero.yaml",
                "invalid-scale-zero.yaml:7:9: meters[0].registers[0].scale: must not be 0 (every value would be the offset)");
    }

    @Test
    void invalidNodeId_showsTheExpectedSyntaxAndTheBadValue() {
        assertProblems("invalid-node-id.yaml",
                "invalid-node-id.yaml:4:9: meters[0].registers[0].node: must be an OPC UA NodeId such as "
                        + "ns=2;s=Meter001.Energy or ns=0;i=2267, not 'Meter001.Energy'");
    }

    @Test
    void duplicateMeterId_isReportedAtTheSecondAndNamesTheFirst() {
        assertProblems("invalid-duplicate-meter.yaml",
                "invalid-duplicate-meter.yaml:7:5: meters[1].id: meter 'M1' is already defined at meters[0] (line 2)");
    }

    @Test
    void nodeMappedTwice_isReportedAtTheSecondAndNamesTheFirst() {
        assertProblems("invalid-node-mapped-twice.yaml",
                "invalid-node-mapped-twice.yaml:9:9: meters[1].registers[0].node: node ns=2;i=1 is already mapped at meters[0].registers[0] (line 4)");
    }

    @Test
    void duplicateYamlKey_isReportedAtTheSecondOccurrence() {
        assertProblems("invalid-duplicate-yaml-key.yaml",
                "invalid-duplicate-yaml-key.yaml:7:9: meters[0].registers[0].unit: duplicate key 'unit'");
    }

    @Test
    void stringForScale_isAWrongType() {
        assertProblems("invalid-scale-string.yaml",
                "invalid-scale-string.yaml:7:9: meters[0].registers[0].scale: string found, number expected");
    }

    @Test
    void severalProblems_areAllListedSortedByLine() {
        assertProblems("invalid-several.yaml",
                "invalid-several.yaml:5:9: meters[0].registers[0].quantity: must be an OBIS-like code A-B:C.D.E such as 1-0:1.8.0",
                "invalid-several.yaml:7:9: meters[0].registers[0].scale: must not be 0 (every value would be the offset)",
                "invalid-several.yaml:10:9: meters[1].registers[0]: missing required key 'node' (or 'browse' with a browse path)",
                "invalid-several.yaml:10:9: meters[1].registers[0].nod: unknown key 'nod'");
    }

    /** Regression: cross checks used to be skipped whenever the schema check had found anything. */
    @Test
    void schemaAndCrossCheckProblems_areReportedTogether() {
        assertProblems("invalid-mixed.yaml",
                "invalid-mixed.yaml:7:9: meters[0].registers[0].sacle: unknown key 'sacle'",
                "invalid-mixed.yaml:8:5: meters[1].id: meter 'M1' is already defined at meters[0] (line 2)",
                "invalid-mixed.yaml:10:9: meters[1].registers[0].node: must be an OPC UA NodeId such as "
                        + "ns=2;s=Meter001.Energy or ns=0;i=2267, not 'ns=2;Meter002.Energy'");
    }

    @Test
    void missingFile_isFileNotFound(@TempDir Path dir) {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> MappingFile.load("plant-a", dir.resolve("absent.yaml"), "mappings/absent.yaml"));

        assertThat(e.problems()).map(Problem::toString).containsExactly("mappings/absent.yaml:0:0: file not found");
    }

    @Test
    void emptyFile_lacksMetersOrTemplatesAsAFileLevelProblem() {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> MappingFile.parse("plant-a", "# nothing mapped yet\n", "empty.yaml"));

        assertThat(e.problems()).map(Problem::toString).containsExactly("empty.yaml:0:0: missing required key 'meters' (or 'templates')");
    }

    /**
     * Regression: such scales passed the schema; then Mapping.map computed for minutes (1e99999999)
     * or threw ArithmeticException out of map (1e999999999) when it wrote the value without exponent.
     */
    @Test
    void scaleOrOffsetWithAHugeExponent_isRejectedBeforeMappingChokesOnIt() {
        String yaml = """
                meters:
                  - id: M1
                    registers:
                      - node: ns=2;i=1
                        quantity: 1-0:1.8.0
                        unit: kWh
                        scale: 1e99999999
                        offset: 1e-200
                """;

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> MappingFile.parse("plant-a", yaml, "huge.yaml"));

        assertThat(e.problems()).map(Problem::toString).containsExactly(
                "huge.yaml:7:9: meters[0].registers[0].scale: must be below 1E+100 in size, with at most 100 decimal places",
                "huge.yaml:8:9: meters[0].registers[0].offset: must be below 1E+100 in size, with at most 100 decimal places");
    }

    @Test
    void problemsPrintedByTheException_areTheSortedProblemLines() {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class, () -> load("invalid-several.yaml"));

        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems().stream().map(Problem::toString).toList()));
        assertThat(e.problems()).isSorted();
    }

    // ---- the second version: meter attributes, units, accumulation, templates, validation ----

    @Test
    void fullFile_carriesMeterAttributesToEveryRegister() {
        Mapping mapping = load("full.yaml");

        Register energy = mapping.register("ns=2;s=Meter001.EnergyImport");
        assertThat(energy.attributes()).isEqualTo(new MeterAttributes(
                "033807", "5087875888", "Minsk, Main St 1, apt 7", List.of("bld-12", "feeder-3"), Medium.ELECTRICITY));
        assertThat(mapping.register("ns=2;s=Meter001.ActivePower").attributes()).isEqualTo(energy.attributes());
        assertThat(mapping.register("ns=3;i=1042").medium()).isEqualTo(Medium.HEAT);
    }

    @Test
    void fullFile_energyRegister_convertsWattHoursToExactKilowattHours() {
        Register energy = load("full.yaml").register("ns=2;s=Meter001.EnergyImport");

        assertThat(energy.unit()).isEqualTo("kWh");
        assertThat(energy.sourceUnit()).isEqualTo("Wh");
        assertThat(energy.conversion().decimalFactor()).isEqualTo(new BigDecimal("0.001"));
        assertThat(energy.value(new BigDecimal("1523456"))).isEqualTo(new BigDecimal("1523.456"));
        assertThat(energy.accumulation()).isEqualTo(Accumulation.REGISTER);
        assertThat(energy.digits()).isEqualTo(9);
        assertThat(energy.modulus()).isEqualTo(new BigDecimal("1000000000"));
        assertThat(energy.tariff()).isEqualTo("T0");
        assertThat(energy.deadband()).isEqualByComparingTo("0.5");
        assertThat(energy.rawDeadband()).as("0.5 kWh in Wh").isEqualByComparingTo("500");
    }

    @Test
    void fullFile_defaults_comeFromTheQuantityCode() {
        Mapping mapping = load("full.yaml");

        Register t1 = mapping.register("ns=2;s=Meter001.EnergyImportT1");
        assertThat(t1.accumulation()).as("D = 8").isEqualTo(Accumulation.REGISTER);
        assertThat(t1.tariff()).as("E = 1").isEqualTo("T1");
        assertThat(t1.conversion()).isEqualTo(UnitConversion.NONE);
        Register power = mapping.register("ns=2;s=Meter001.ActivePower");
        assertThat(power.accumulation()).as("D = 7").isEqualTo(Accumulation.INSTANTANEOUS);
        assertThat(power.tariff()).as("instantaneous values have none").isNull();
        assertThat(power.value(new BigDecimal("1500"))).as("(1500 W − 500 W) in kW").isEqualTo(new BigDecimal("1"));
    }

    @Test
    void fullFile_heat_convertsGigacaloriesToExactGigajoules() {
        Register heat = load("full.yaml").register("ns=3;i=1042");

        assertThat(heat.value(new BigDecimal("10000"))).as("1 Gcal").isEqualTo(new BigDecimal("4.1868"));
        assertThat(heat.tariff()).isEqualTo("T0");
    }

    @Test
    void fullFile_validationBlocks_overrideTheFileDefaultsKeyByKey() {
        Mapping mapping = load("full.yaml");

        ValidationRules fileRules = new ValidationRules(BadQualityPolicy.DEAD_LETTER, Duration.ofMinutes(2), Duration.ofDays(7),
                Duration.ofMinutes(15), RateLimit.parse("5000/h"), 12);
        assertThat(mapping.register("ns=2;s=Meter001.EnergyImport").validation()).isEqualTo(fileRules);
        assertThat(mapping.register("ns=2;s=Meter001.ActivePower").validation())
                .as("spike-rate off (YAML reads off as false), frozen-count set on an instantaneous value")
                .isEqualTo(new ValidationRules(BadQualityPolicy.DEAD_LETTER, Duration.ofMinutes(2), Duration.ofDays(7),
                        Duration.ofMinutes(15), null, 5));
        assertThat(mapping.register("ns=3;i=1042").validation()).isEqualTo(new ValidationRules(BadQualityPolicy.PASS_FLAGGED,
                Duration.ofMinutes(2), Duration.ofDays(7), Duration.ofHours(1), RateLimit.parse("5000/h"), 12));
    }

    @Test
    void fullFile_forTemplates_expandToEveryMeterInOrder() {
        Mapping mapping = load("full.yaml");

        List<String> meters = mapping.meters().stream().map(Meter::id).toList();
        assertThat(meters).hasSize(2 + 50 + 6);
        assertThat(meters.subList(0, 4)).containsExactly("MTR-001", "HEAT-7", "APT-0001", "APT-0002");
        assertThat(meters.subList(52, 58)).containsExactly("A-1", "A-2", "A-3", "B-1", "B-2", "B-3");
        Register apartment = mapping.register("ns=2;s=Apt0042.Energy");
        assertThat(apartment.meter()).isEqualTo("APT-0042");
        assertThat(apartment.attributes()).isEqualTo(new MeterAttributes(
                "SN0042", "ACC-0042", "Bld 12 {north}, apt 0042", List.of("bld-12"), Medium.ELECTRICITY));
        assertThat(apartment.digits()).isEqualTo(8);
        assertThat(apartment.validation().frozenCount()).as("the file's validation block applies to expanded meters").isEqualTo(12);
        assertThat(mapping.register("ns=5;s=B.2.Heat").meter()).isEqualTo("B-2");
    }

    @Test
    void fullFile_withoutAnAddressSpace_waitsForItsBrowsePaths() {
        Mapping mapping = load("full.yaml");

        assertThat(mapping.needsAddressSpace()).isTrue();
        assertThat(mapping.meters()).extracting(Meter::id).as("a meter with a browse path waits whole").doesNotContain("WATER-9");
        assertThat(mapping.browsePrefixes()).containsExactly("Objects/Water/W9", "Objects/Meters");
        assertThat(mapping.templates()).extracting(Template::kind).containsExactly(Template.Kind.FOR, Template.Kind.FOR, Template.Kind.BROWSE);
    }

    @Test
    void fullFile_withAnAddressSpace_isComplete() {
        List<BrowsedNode> addressSpace = List.of(
                new BrowsedNode("Objects/Water/W9/HotVolume", "ns=6;i=9"),
                new BrowsedNode("Objects/Meters/E-17/Energy", "ns=7;s=E17.E"),
                new BrowsedNode("Objects/Meters/E-17/Power", "ns=7;s=E17.P"),
                new BrowsedNode("Objects/Meters/E-18/Energy", "ns=7;s=E18.E"),
                new BrowsedNode("Objects/Meters/E-18/Power", "ns=7;s=E18.P"));

        Mapping mapping = MappingFile.load("plant-a", Fixtures.path("full.yaml"), "full.yaml", addressSpace);

        assertThat(mapping.needsAddressSpace()).isFalse();
        assertThat(mapping.size()).isEqualTo(60 + 2 + 4);
        Register water = mapping.register("nsu=urn:plant:a;g=09087e75-8e5e-499b-954f-f2a9603db28a");
        assertThat(water.medium()).as("A = 8").isEqualTo(Medium.WATER_COLD);
        assertThat(water.value(new BigDecimal("1234"))).as("litres in m³").isEqualTo(new BigDecimal("1.234"));
        Register hot = mapping.register("ns=6;i=9");
        assertThat(hot.meter()).isEqualTo("WATER-9");
        assertThat(hot.accumulation()).isEqualTo(Accumulation.INTERVAL);
        assertThat(hot.tariff()).isEqualTo("T0");
        assertThat(hot.medium()).as("A = 9").isEqualTo(Medium.WATER_HOT);
        assertThat(hot.validation().staleAfter()).isNull();
        Register browsed = mapping.register("ns=7;s=E18.P");
        assertThat(browsed.meter()).isEqualTo("E-18");
        assertThat(browsed.attributes().groups()).containsExactly("browsed");
        assertThat(browsed.value(new BigDecimal("2500"))).isEqualTo(new BigDecimal("2.5"));
    }

    @Test
    void minimalTemplate_isAFileWithoutMeters() {
        Mapping mapping = load("minimal-template.yaml");

        assertThat(mapping.nodeIds()).containsExactly("ns=2;s=M1.Energy", "ns=2;s=M2.Energy", "ns=2;s=M3.Energy");
        assertThat(mapping.register("ns=2;s=M2.Energy")).isEqualTo(new Register(
                "ns=2;s=M2.Energy", "M2", "1-0:1.8.0", "kWh", Register.DEFAULT_SCALE, Register.DEFAULT_OFFSET));
    }

    @Test
    void unknownUnits_areNamedWithASuggestionOrTheList() {
        assertProblems("invalid-unknown-unit.yaml",
                "invalid-unknown-unit.yaml:7:9: meters[0].registers[0].source-unit: unknown unit 'wh' (did you mean 'Wh'?)",
                "invalid-unknown-unit.yaml:10:9: meters[0].registers[1].unit: cannot convert from source-unit 'Wh': "
                        + "unknown unit 'KWH' (did you mean 'kWh'?)",
                "invalid-unknown-unit.yaml:15:9: meters[0].registers[2].source-unit: unknown unit 'pulses'; units that convert: "
                        + String.join(", ", UnitCatalog.symbols()));
        assertThat(UnitCatalog.symbols()).contains("Wh", "kWh", "MWh", "GWh", "W", "kW", "MW", "varh", "kvarh", "m³", "l",
                "Gcal", "GJ");
    }

    @Test
    void incompatibleUnits_sayWhatEachMeasures() {
        assertProblems("invalid-incompatible-units.yaml",
                "invalid-incompatible-units.yaml:6:9: meters[0].registers[0].unit: cannot convert from source-unit 'm³' (volume) to 'kWh' (energy)",
                "invalid-incompatible-units.yaml:10:9: meters[0].registers[1].unit: cannot convert from source-unit 'kvarh' "
                        + "(reactive energy) to 'kWh' (energy)");
    }

    @Test
    void badDigits_areRejected() {
        assertProblems("invalid-digits.yaml",
                "invalid-digits.yaml:7:9: meters[0].registers[0].digits: must be a whole number of digits from 1 to 30",
                "invalid-digits.yaml:11:9: meters[0].registers[1].digits: must be a whole number of digits from 1 to 30",
                "invalid-digits.yaml:15:9: meters[0].registers[2].digits: only a register rolls over: digits needs "
                        + "accumulation: register (this one is instantaneous)");
    }

    @Test
    void badEnumerations_listTheAllowedValues() {
        assertProblems("invalid-enums.yaml",
                "invalid-enums.yaml:3:5: meters[0].medium: must be one of electricity, heat, gas, water-cold, water-hot, other",
                "invalid-enums.yaml:4:5: meters[0].groups: must have only unique items in the array",
                "invalid-enums.yaml:9:9: meters[0].registers[0].accumulation: must be one of register, interval, instantaneous",
                "invalid-enums.yaml:10:9: meters[0].registers[0].tariff: must be a tariff T0 to T9",
                "invalid-enums.yaml:11:9: meters[0].registers[0].deadband: must have a minimum value of 0");
    }

    @Test
    void nodeAndBrowseTogether_isAmbiguous() {
        assertProblems("invalid-node-and-browse.yaml",
                "invalid-node-and-browse.yaml:5:9: meters[0].registers[0].browse: a register has either 'node' or 'browse', not both");
    }

    @Test
    void templateWithAnUnknownOrBrokenPlaceholder_isRejectedWhereItIsWritten() {
        assertProblems("invalid-template-unknown-placeholder.yaml",
                "invalid-template-unknown-placeholder.yaml:3:5: templates[0].id: unknown placeholder {metre}; this template defines {meter}",
                "invalid-template-unknown-placeholder.yaml:4:14: templates[0].groups[0]: unknown placeholder {building}; "
                        + "this template defines {meter}",
                "invalid-template-unknown-placeholder.yaml:6:9: templates[0].registers[0].node: '}' at position 23 closes no "
                        + "placeholder (write '}}' for a literal brace)");
    }

    @Test
    void templateProducingDuplicates_namesBothPlacesAndTheVariables() {
        assertProblems("invalid-template-duplicates.yaml",
                "invalid-template-duplicates.yaml:9:5: templates[0].id: meter 'M0002' (meter=0002) is already defined at meters[0] (line 2)",
                "invalid-template-duplicates.yaml:11:9: templates[0].registers[0].node: node ns=2;s=M0002.Energy (meter=0002) "
                        + "is already mapped at meters[0].registers[0] (line 4)",
                "invalid-template-duplicates.yaml:15:5: templates[1].id: meter 'X' (n=b) is already defined at templates[1] (line 14, n=a)");
    }

    @Test
    void templateShapes_forAndBrowseAreExclusive_rangesAndFormatsAreChecked() {
        assertProblems("invalid-template-shape.yaml",
                "invalid-template-shape.yaml:3:5: templates[0].browse: a template has either 'for' or 'browse', not both",
                "invalid-template-shape.yaml:7:5: templates[1]: missing required key 'for' (variables with ranges or lists) "
                        + "or 'browse' (a browse-path pattern)",
                "invalid-template-shape.yaml:10:28: templates[2].for.meter.to: must not be less than 'from' (9)",
                "invalid-template-shape.yaml:14:35: templates[3].for.meter.format: must be a format with one %d, such as %04d or M-%d",
                "invalid-template-shape.yaml:14:50: templates[3].for.building: must be a range with from, to and an optional "
                        + "format, or a list of values",
                "invalid-template-shape.yaml:18:5: templates[4].browse: must capture at least one placeholder, such as "
                        + "Objects/Meters/{meter}/Energy");
    }

    @Test
    void templateExpandingToTooManyMeters_isRejectedBeforeExpanding() {
        assertProblems("invalid-template-too-many.yaml",
                "invalid-template-too-many.yaml:2:5: templates[0].for: expands to 101000 meters; a mapping file may have at most 100000");
    }

    @Test
    void expandedIdsAndNodeIds_areCheckedLikeWrittenOnes() {
        assertProblems("invalid-template-expanded.yaml",
                "invalid-template-expanded.yaml:3:5: templates[0].id: must be a meter id without spaces or '/', at most 128 "
                        + "characters, not 'M-x y' (meter=x y)",
                "invalid-template-expanded.yaml:3:5: templates[0].id: must be a meter id without spaces or '/', at most 128 "
                        + "characters, not 'M-x/y' (meter=x/y)",
                "invalid-template-expanded.yaml:5:9: templates[0].registers[0].node: must be an OPC UA NodeId such as "
                        + "ns=2;s=Meter001.Energy or ns=0;i=2267, not 'ns=x y;s=Energy' (meter=x y)",
                "invalid-template-expanded.yaml:5:9: templates[0].registers[0].node: must be an OPC UA NodeId such as "
                        + "ns=2;s=Meter001.Energy or ns=0;i=2267, not 'ns=x/y;s=Energy' (meter=x/y)");
    }

    @Test
    void aTemplateWithTheSameMistakeForEveryMeter_listsTenAndCountsTheRest() {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> load("invalid-template-many-problems.yaml"));

        assertThat(e.problems()).hasSize(11);
        assertThat(e.problems().get(0).toString()).isEqualTo(
                "invalid-template-many-problems.yaml:2:5: templates[0]: 39 more problem(s) from expanding this template are not shown");
        assertThat(e.problems()).map(Problem::toString).contains(
                "invalid-template-many-problems.yaml:3:5: templates[0].id: meter 'SAME' (meter=2) is already defined at templates[0] "
                        + "(line 2, meter=1)");
    }

    @Test
    void badValidationSettings_areEachReported() {
        assertProblems("invalid-validation.yaml",
                "invalid-validation.yaml:2:3: validation.bad-quality: must be dead-letter or pass-flagged",
                "invalid-validation.yaml:3:3: validation.future-tolerance: must be a duration such as 500ms, 10s, 5m, 1h or 2d, or off",
                "invalid-validation.yaml:4:3: validation.max-gap: must be longer than 0 (write 'off' to turn the rule off)",
                "invalid-validation.yaml:5:3: validation.spike-rate: must be a rate above zero such as 500/h",
                "invalid-validation.yaml:6:3: validation.frozen-count: must be a count from 2 to 1000000, or off",
                "invalid-validation.yaml:7:3: validation.max-gapp: unknown key 'max-gapp'",
                "invalid-validation.yaml:15:11: meters[0].registers[0].validation.stale-after: must be a duration such as 500ms, "
                        + "10s, 5m, 1h or 2d, or off");
    }

    /** Regression: a schema message with braces went through MessageFormat inside the validator and threw. */
    @Test
    void schemaMessages_holdNoBraces() {
        assertThat(MappingFile.schema().schemaText().lines().filter(line -> line.contains("must ")))
                .noneMatch(line -> line.replaceFirst("\"description\".*", "").contains("{"));
    }

    private static Mapping load(String fixture) {
        return MappingFile.load("plant-a", Fixtures.path(fixture), fixture);
    }

    private static void assertProblems(String fixture, String... expectedLines) {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class, () -> load(fixture));

        assertThat(e).as("%s must not load", fixture).isNotNull();
        assertThat(e.problems()).map(Problem::toString).containsExactly(expectedLines);
    }
}
