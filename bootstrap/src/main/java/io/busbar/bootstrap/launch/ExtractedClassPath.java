package io.busbar.bootstrap.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The jars of Busbar's executable jar as plain files in a cache directory, in the order of its
 * {@code BOOT-INF/classpath.idx}: the application classes as {@code busbar-classes.jar} (with the
 * executable jar's manifest, so {@code Implementation-Version} still answers) followed by the
 * libraries.
 *
 * <p>Why: the nested-jar class loader looks a class up by building a {@code jar:nested:} URL and
 * opening a connection for every jar it tries, ~47 per class and ~10,500 classes to the first
 * reading; a JFR profile of {@code busbar run} put 40-60 % of the main thread's samples there
 * (issue 12). The JDK's own loader finds a class in a plain jar with a hash lookup.
 *
 * <p>A version is extracted once per jar (path, size and modification time) into
 * {@code <cache>/<path hash>/<size-mtime>}, into a temporary directory first and renamed when
 * complete, so two launches at once (the bench starts {@code simulate} and {@code run} together)
 * never see half a version. A running Busbar holds a shared lock on its version's lock file for
 * its lifetime; an extraction removes the other versions of the same jar that nobody holds, so a
 * rebuilt jar does not leave 120 MB behind per build, and a running service whose jar was replaced
 * keeps the jars it still loads classes from.
 */
final class ExtractedClassPath {

    private static final String CLASSES = "BOOT-INF/classes/";
    private static final String INDEX = "BOOT-INF/classpath.idx";
    private static final String LOCK = ".in-use";
    private static final String COMPLETE = ".complete";

    private ExtractedClassPath() {
    }

    /**
     * The jars of {@code executableJar} in class-path order, extracted under {@code cache} if they
     * are not there yet. The returned version stays locked (shared) until the JVM exits.
     */
    static List<Path> of(Path executableJar, Path cache) throws IOException {
        Path jar = executableJar.toRealPath();
        Path versions = cache.resolve(hash(jar.toString()));
        Path version = versions.resolve(Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis());
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> libraries = libraries(zip);
            if (!Files.exists(version.resolve(COMPLETE))) {
                extract(zip, libraries, versions, version);
                removeUnusedVersions(versions, version);
            }
            holdWhileRunning(version);
            List<Path> jars = new ArrayList<>();
            jars.add(version.resolve("busbar-classes.jar"));
            for (String library : libraries) {
                jars.add(version.resolve(fileName(library)));
            }
            return jars;
        }
    }

    private static List<String> libraries(ZipFile zip) throws IOException {
        ZipEntry index = zip.getEntry(INDEX);
        if (index == null) {
            throw new IOException("no " + INDEX + " in " + zip.getName());
        }
        List<String> libraries = new ArrayList<>();
        try (InputStream in = zip.getInputStream(index)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String trimmed = line.trim();
                if (trimmed.startsWith("- \"") && trimmed.endsWith("\"")) {
                    libraries.add(trimmed.substring(3, trimmed.length() - 1));
                }
            }
        }
        return libraries;
    }

    private static void extract(ZipFile zip, List<String> libraries, Path versions, Path version) throws IOException {
        Files.createDirectories(versions);
        Path partial = Files.createTempDirectory(versions, "extracting-");
        try {
            writeClasses(zip, partial.resolve("busbar-classes.jar"));
            for (String library : libraries) {
                ZipEntry entry = zip.getEntry(library);
                if (entry == null) {
                    throw new IOException(library + " is in " + INDEX + " but not in " + zip.getName());
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, partial.resolve(fileName(library)));
                }
            }
            Files.createFile(partial.resolve(COMPLETE));
            try {
                Files.move(partial, version, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // another launch finished the same version first: use theirs
                if (!Files.exists(version.resolve(COMPLETE))) {
                    throw e;
                }
            }
        } finally {
            deleteTree(partial);
        }
    }

    /** BOOT-INF/classes as one jar, so its classes get the executable jar's manifest as before. */
    private static void writeClasses(ZipFile zip, Path target) throws IOException {
        Manifest manifest;
        try (InputStream in = zip.getInputStream(zip.getEntry("META-INF/MANIFEST.MF"))) {
            manifest = new Manifest(in);
        }
        try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file, manifest)) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.startsWith(CLASSES) || name.length() == CLASSES.length()
                        || name.equals(CLASSES + "META-INF/MANIFEST.MF")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name.substring(CLASSES.length())));
                if (!entry.isDirectory()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        }
    }

    private static void holdWhileRunning(Path version) throws IOException {
        FileChannel channel = FileChannel.open(version.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        FileLock lock;
        try {
            // never released: the operating system drops the lock when this JVM ends
            lock = channel.tryLock(0, Long.MAX_VALUE, true);
        } catch (OverlappingFileLockException e) {
            channel.close();
            return; // this JVM holds it already
        }
        if (lock == null) {
            channel.close();
            throw new IOException("cannot lock " + version.resolve(LOCK));
        }
    }

    private static void removeUnusedVersions(Path versions, Path current) {
        try (DirectoryStream<Path> others = Files.newDirectoryStream(versions)) {
            for (Path other : others) {
                if (other.equals(current) || !Files.exists(other.resolve(COMPLETE))) {
                    continue; // half-extracted directories belong to a launch still writing them
                }
                try (FileChannel channel = FileChannel.open(other.resolve(LOCK), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
                    if (lock != null) {
                        Files.delete(other.resolve(COMPLETE));
                        deleteTree(other);
                    }
                } catch (OverlappingFileLockException e) {
                    // this JVM runs from that version itself
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // an old version left behind costs disk space, not correctness
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static Path defaultCache() throws IOException {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        Path cache = base.resolve("busbar").resolve("classpath");
        if (!Files.isDirectory(cache)) {
            Files.createDirectories(cache);
            try {
                Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its default permissions apply
            }
        }
        return cache;
    }

    private static String fileName(String library) {
        return library.substring(library.lastIndexOf('/') + 1);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
