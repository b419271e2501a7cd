package io.busbar.mappings;

import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.util.List;

/**
 * Collects problems, at most {@code limit} of them: a template that expands to 5,000 meters with
 * one mistake would otherwise print it 5,000 times. What is left out is counted and summarised.
 */
final class ProblemSink {

    private final List<Problem> problems;
    private final int limit;
    private int added;
    private int dropped;

    ProblemSink(List<Problem> problems, int limit) {
        this.problems = problems;
        this.limit = limit;
    }

    void add(Problem problem) {
        if (added < limit) {
            problems.add(problem);
            added++;
        } else {
            dropped++;
        }
    }

    /** Adds one problem at {@code pointer} saying how many were left out, if any were. */
    void summarize(LocatedDocument document, String pointer) {
        if (dropped > 0) {
            problems.add(document.problemAt(pointer, dropped + " more problem(s) from expanding this template are not shown"));
        }
    }
}
