package io.busbar.bootstrap.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractedClassPathTest {

    @TempDir
    Path dir;

    @Test
    void extractsTheClassesAndLibrariesInClassPathIndexOrder_withTheExecutableJarsManifest() throws Exception {
        Path jar = executableJar("1.2.3");
        List<Path> jars = ExtractedClassPath.of(jar, dir.resolve("cache"));

        assertThat(jars).extracting(path -> path.getFileName().toString())
                .containsExactly("busbar-classes.jar", "second.jar", "first.jar");
        assertThat(Files.readString(jars.get(1))).isEqualTo("second's bytes");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jars.get(0).toUri().toURL()}, null)) {
            assertThat(new String(loader.getResourceAsStream("io/example/app.txt").readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("application resource");
            assertThat(new Manifest(loader.getResourceAsStream("META-INF/MANIFEST.MF"))
                    .getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION)).isEqualTo("1.2.3");
        }
    }

    @Test
    void reusesAnExtractedVersion_andReplacesItWhenTheJarChanges() throws Exception {
        Path jar = executableJar("1");
        Path cache = dir.resolve("cache");
        Path first = ExtractedClassPath.of(jar, cache).get(1);
        FileTime extracted = Files.getLastModifiedTime(first);

        assertThat(ExtractedClassPath.of(jar, cache).get(1)).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(first)).isEqualTo(extracted);

        executableJar("2");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        Path second = ExtractedClassPath.of(jar, cache).get(1);
        assertThat(second.getParent()).isNotEqualTo(first.getParent());
        // the first version is locked by this JVM, which still runs from it: it stays
        assertThat(first).exists();
        try (Stream<Path> versions = Files.list(second.getParent().getParent())) {
            assertThat(versions.filter(Files::isDirectory)).hasSize(2);
        }
    }

    @Test
    void doesNotApplyOutsideTheExecutableJar() {
        assertThat(PlainJarLaunch.applies(ExtractedClassPathTest.class)).isFalse();
    }

    private Path executableJar(String version) throws IOException {
        Path jar = dir.resolve("app.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            entry(out, "BOOT-INF/classes/io/example/app.txt", "application resource");
            entry(out, "BOOT-INF/lib/first.jar", "first's bytes");
            entry(out, "BOOT-INF/lib/second.jar", "second's bytes");
            entry(out, "BOOT-INF/classpath.idx", "- \"BOOT-INF/lib/second.jar\"\n- \"BOOT-INF/lib/first.jar\"\n");
        }
        return jar;
    }

    private static void entry(JarOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
