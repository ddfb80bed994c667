package org.courier.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The errors found in one configuration source, reported in line order. */
final class ConfigurationErrors {

    private record Error(int line, String message) {
    }

    private final String fileName;
    private final List<Error> errors = new ArrayList<>();

    ConfigurationErrors(String fileName) {
        this.fileName = fileName;
    }

    /** Records an error at {@code line}; a line below 1 means the error concerns the whole file. */
    void add(int line, String message) {
        errors.add(new Error(line, message));
    }

    void clear() {
        errors.clear();
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    int size() {
        return errors.size();
    }

    /** The errors as {@code file:line: message}, sorted by line (stable). */
    List<String> formatted() {
        return errors.stream()
                .sorted(Comparator.comparingInt(Error::line))
                .map(this::format)
                .toList();
    }

    private String format(Error error) {
        String where = error.line() > 0 ? fileName + ":" + error.line() : fileName;
        return where + ": " + error.message();
    }
}
