package io.busbar.mappings.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.busbar.mappings.Mapping;
import io.busbar.mappings.MappingFile;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountingMappingTest {

    private static final String METERS = """
            meters:
              - id: main
                registers: [{node: "ns=2;s=main", quantity: "1-0:1.8.0", unit: kWh}]
              - id: apt-1
                registers: [{node: "ns=2;s=a1", quantity: "1-0:1.8.0", unit: kWh}]
              - id: apt-2
                registers: [{node: "ns=2;s=a2", quantity: "1-0:1.8.0", unit: kWh}]
              - id: apt-3
                registers: [{node: "ns=2;s=a3", quantity: "1-0:1.8.0", unit: Wh}]
            """;

    private static Mapping parse(String accounting) {
        return MappingFile.parse("plant", METERS + accounting, "meters.yaml");
    }

    private static List<String> problems(String accounting) {
        return catchThrowableOfType(InvalidConfigurationException.class, () -> parse(accounting)).problems().stream()
                .map(Object::toString).toList();
    }

    @Test
    void groupsNestedWithParentToleranceLimitsAndEstimation_compile() {
        Mapping mapping = parse("""
                accounting:
                  time-zone: Europe/Minsk
                  intervals: [day, 15min]
                  estimation: group-profile
                  meter-estimation: {apt-2: last-value}
                  groups:
                    - id: floor-1
                      members: [apt-1]
                    - id: building
                      members: [floor-1, apt-2]
                      parent: {"1-0:1.8.0": main}
                      tolerance: {percent: 3, absolute: 0.2}
                      limits: [{quantity: "1-0:1.8.0", interval: day, allowed: 80, maximum: 100}]
                """);

        AccountingSpec spec = mapping.accounting();
        assertThat(spec.timeZone()).isEqualTo(ZoneId.of("Europe/Minsk"));
        assertThat(spec.intervals()).containsExactly(IntervalLength.MIN15, IntervalLength.DAY);
        assertThat(spec.estimationFor("apt-1")).isEqualTo(EstimationMethod.GROUP_PROFILE);
        assertThat(spec.estimationFor("apt-2")).isEqualTo(EstimationMethod.LAST_VALUE);
        assertThat(spec.meters("building")).containsExactly("apt-1", "apt-2");
        GroupSpec building = spec.group("building");
        assertThat(building.parents()).isEqualTo(Map.of("1-0:1.8.0", "main"));
        assertThat(building.tolerance()).isEqualTo(new Tolerance(new BigDecimal("3"), new BigDecimal("0.2")));
        assertThat(building.limits()).containsExactly(new Limit("1-0:1.8.0", IntervalLength.DAY, new BigDecimal("80"), new BigDecimal("100")));
    }

    @Test
    void aFileWithoutAccounting_hasNone() {
        assertThat(parse("").accounting()).isEqualTo(AccountingSpec.NONE);
    }

    @Test
    void cycle_isReportedAtTheMemberThatClosesIt() {
        assertThat(problems("""
                accounting:
                  groups:
                    - id: a
                      members: [b]
                    - id: b
                      members: [apt-1, a]
                """)).containsExactly("meters.yaml:15:24: accounting.groups[1].members[1]: groups contain each other: a → b → a");
    }

    @Test
    void memberOrParentThatDoesNotExist_unknownZone_limitOverAnIntervalNotComputed() {
        assertThat(problems("""
                accounting:
                  time-zone: Mars/Olympus
                  intervals: [15min]
                  meter-estimation: {apt-9: linear}
                  groups:
                    - id: b
                      members: [apt-1, apt-7]
                      parent: {"1-0:1.8.0": mian, "1-0:2.8.0": main}
                      limits: [{quantity: "1-0:1.8.0", interval: day, maximum: 10}]
                """)).containsExactly(
                "meters.yaml:11:3: accounting.time-zone: unknown time zone 'Mars/Olympus' (an IANA name such as Europe/Minsk)",
                "meters.yaml:13:22: accounting.meter-estimation.apt-9: no meter 'apt-9' in this mapping file",
                "meters.yaml:16:24: accounting.groups[0].members[1]: no meter or group 'apt-7' in this mapping file",
                "meters.yaml:17:16: accounting.groups[0].parent.1-0:1.8.0: no meter 'mian' in this mapping file",
                "meters.yaml:17:35: accounting.groups[0].parent.1-0:2.8.0: meter 'main' has no register 1-0:2.8.0 (it has 1-0:1.8.0)",
                "meters.yaml:18:40: accounting.groups[0].limits[0].interval: interval day is not computed; add it to accounting.intervals");
    }

    @Test
    void memberCountingInAnotherUnitThanTheParent_isRejected() {
        assertThat(problems("""
                accounting:
                  groups:
                    - id: floor
                      members: [apt-3]
                    - id: b
                      members: [apt-1, floor]
                      parent: {"1-0:1.8.0": main}
                """)).containsExactly("meters.yaml:15:24: accounting.groups[1].members[1]: meter 'apt-3' counts 1-0:1.8.0 in Wh,"
                + " the parent meter 'main' in kWh; they cannot be compared");
    }

    @Test
    void unknownKeyInAGroup_isASchemaError() {
        assertThat(problems("""
                accounting:
                  groups:
                    - id: b
                      members: [apt-1]
                      tolerence: {percent: 2}
                """)).singleElement().asString().contains("accounting.groups[0].tolerence: unknown key 'tolerence'");
    }
}
