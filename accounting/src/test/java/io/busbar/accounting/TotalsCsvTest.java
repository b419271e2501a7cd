package io.busbar.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TotalsCsvTest {

    private static final TotalRow ROW = new TotalRow("дом 12; подъезд 1", "1-0:1.8.1", "T1", Instant.parse("2026-10-31T21:00:00Z"),
            Instant.parse("2026-11-30T21:00:00Z"), 24, new BigDecimal("123456.789"), new BigDecimal("4321.5"), "kWh",
            new BigDecimal("12.25"), 0);

    @Test
    void defaultColumns_everyField_inTheAccountingZone() {
        assertThat(new TotalsCsv(ZoneId.of("Europe/Minsk"), '.', TotalsCsv.DEFAULT_DATE_FORMAT).render(List.of(ROW))).isEqualTo(
                TotalsCsv.HEADER + "\r\n\"дом 12; подъезд 1\";1-0:1.8.1;T1;2026-11-01 00:00;2026-12-01 00:00;24;123456.789;4321.5;kWh;"
                        + "12.25;0;estimated\r\n");
    }

    @Test
    void billingProgramsColumns_headersOfItsChoice_constants_decimalComma() {
        TotalsCsv csv = new TotalsCsv(ZoneId.of("Europe/Minsk"), ',', "dd.MM.yyyy", List.of(TotalsCsv.Column.field("Группа", "group"),
                TotalsCsv.Column.field("Зона", "tariff"), TotalsCsv.Column.field("Дата", "to"),
                TotalsCsv.Column.field("Показание", "register-sum"), TotalsCsv.Column.field("Расход", "consumption"),
                TotalsCsv.Column.text("Источник", "Busbar"), TotalsCsv.Column.field("Качество", "quality")));
        assertThat(csv.render(List.of(ROW))).isEqualTo("Группа;Зона;Дата;Показание;Расход;Источник;Качество\r\n"
                + "\"дом 12; подъезд 1\";T1;01.12.2026;123456,789;4321,5;Busbar;estimated\r\n");
    }

    @Test
    void unknownField_namesTheKnownOnes() {
        assertThatThrownBy(() -> TotalsCsv.Column.field("Account", "account"))
                .hasMessage("unknown field 'account' (known: group, quantity, tariff, from, to, meters, register-sum, consumption, unit,"
                        + " estimated, missing, quality)");
    }
}
