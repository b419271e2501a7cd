package io.busbar.mappings.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.mappings.template.PlaceholderSyntax.Literal;
import io.busbar.mappings.template.PlaceholderSyntax.Placeholder;
import io.busbar.mappings.template.PlaceholderSyntax.StrayBrace;
import org.junit.jupiter.api.Test;

class PlaceholderSyntaxTest {

    private static final PlaceholderSyntax WITH_ARGUMENT = PlaceholderSyntax.of("\\{([a-z]+)(?::([^}]*))?}", false);

    @Test
    void scan_splitsLiteralsPlaceholdersAndStrayBraces_withOneBasedPositions() {
        assertThat(WITH_ARGUMENT.scan("a{date}-{time:HH}}{X}")).containsExactly(
                new Literal("a"), new Placeholder("date", null, 2), new Literal("-"),
                new Placeholder("time", "HH", 9), new StrayBrace('}', 18), new StrayBrace('{', 19),
                new Literal("X"), new StrayBrace('}', 21));
        assertThat(WITH_ARGUMENT.scan("")).isEmpty();
        assertThat(WITH_ARGUMENT.scan("{time:}")).containsExactly(new Placeholder("time", "", 1));
    }

    @Test
    void doubledBraces_areLiteralOnlyWhenAsked() {
        PlaceholderSyntax doubled = PlaceholderSyntax.of("\\{([a-z]+)}", true);
        assertThat(doubled.scan("{{a}}{b}")).containsExactly(new Literal("{a}"), new Placeholder("b", null, 6));
        assertThat(PlaceholderSyntax.of("\\{([a-z]+)}", false).scan("{{a}}")).containsExactly(
                new StrayBrace('{', 1), new Placeholder("a", null, 2), new StrayBrace('}', 5));
    }

    @Test
    void aPatternWithoutANameGroup_isRefused() {
        assertThatThrownBy(() -> PlaceholderSyntax.of("\\{[a-z]+}", false))
                .hasMessageContaining("has no group for the name");
    }
}
