package io.busbar.mappings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mapping templates' placeholder syntax, pinned when its parser became the shared one (issue 17). */
class PlaceholdersTest {

    @Test
    void doubledBraces_areLiteral_andNamesComeInOrderOfFirstUse() {
        assertThat(Placeholders.parse("{{a}}{meter}-x")).containsExactly(
                new Placeholders.Piece("{a}", false), new Placeholders.Piece("meter", true),
                new Placeholders.Piece("-x", false));
        assertThat(Placeholders.parse("")).containsExactly(new Placeholders.Piece("", false));
        assertThat(Placeholders.names("{b}{a}{b}")).isEqualTo(List.of("b", "a"));
        assertThat(Placeholders.substitute("M{{{n}}}", Map.of("n", "7"))).isEqualTo("M{7}");
    }

    @Test
    void strayBraces_areNamedByTheirPosition() {
        assertThatThrownBy(() -> Placeholders.parse("ab{c"))
                .hasMessage("'{' at position 3 does not start a placeholder such as {meter} (write '{{' for a literal brace)");
        assertThatThrownBy(() -> Placeholders.parse("{a b}"))
                .hasMessage("'{' at position 1 does not start a placeholder such as {meter} (write '{{' for a literal brace)");
        assertThatThrownBy(() -> Placeholders.parse("{a{b}"))
                .hasMessage("'{' at position 1 does not start a placeholder such as {meter} (write '{{' for a literal brace)");
        assertThatThrownBy(() -> Placeholders.parse("{" + "a".repeat(33) + "}"))
                .hasMessage("'{' at position 1 does not start a placeholder such as {meter} (write '{{' for a literal brace)");
        assertThatThrownBy(() -> Placeholders.parse("{a}}"))
                .hasMessage("'}' at position 4 closes no placeholder (write '}}' for a literal brace)");
        assertThatThrownBy(() -> Placeholders.parse("x{{a}"))
                .hasMessage("'}' at position 5 closes no placeholder (write '}}' for a literal brace)");
        assertThatThrownBy(() -> Placeholders.substitute("{a}", Map.of()))
                .hasMessage("unknown placeholder {a}");
    }
}
