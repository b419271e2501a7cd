package io.busbar.bootstrap.config;

import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets in the configuration: a value written as {@code ${NAME}} is taken from the environment
 * variable NAME; anything else is the secret itself. An unset variable is a configuration problem.
 */
final class Secrets {

    private static final Pattern ENV_REFERENCE = Pattern.compile("^\\$\\{([A-Za-z_][A-Za-z0-9_]*)}$");

    private final LocatedDocument document;
    private final Function<String, String> environment;
    private final List<Problem> problems;

    Secrets(LocatedDocument document, Function<String, String> environment, List<Problem> problems) {
        this.document = document;
        this.environment = environment;
        this.problems = problems;
    }

    /**
     * @param pointer where to report an unset variable; null when checked already (then null is returned)
     */
    String resolve(String value, String pointer) {
        Matcher reference = ENV_REFERENCE.matcher(value);
        if (!reference.matches()) {
            return value;
        }
        String resolved = environment.apply(reference.group(1));
        if (resolved == null && pointer != null) {
            problems.add(document.problemAt(pointer, "environment variable " + reference.group(1) + " is not set"));
        }
        return resolved;
    }
}
