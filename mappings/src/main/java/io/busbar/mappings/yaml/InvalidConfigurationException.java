package io.busbar.mappings.yaml;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a configuration or mapping file has problems; carries all of them, sorted. */
public class InvalidConfigurationException extends RuntimeException {

    private final transient List<Problem> problems;

    public InvalidConfigurationException(List<Problem> problems) {
        super(problems.stream().sorted().distinct().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = problems.stream().sorted().distinct().toList();
    }

    public List<Problem> problems() {
        return problems;
    }
}
