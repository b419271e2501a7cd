package io.busbar.mappings.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The mapping-file fixtures under {@code src/test/resources/mappings/}. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The fixture file on disk, e.g. {@code path("full.yaml")}. */
    public static Path path(String name) {
        URL url = Fixtures.class.getClassLoader().getResource("mappings/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture mappings/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(String name) {
        try {
            return Files.readString(path(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
