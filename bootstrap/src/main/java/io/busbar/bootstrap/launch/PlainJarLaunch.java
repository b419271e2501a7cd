package io.busbar.bootstrap.launch;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a main class again from the executable jar's libraries extracted as plain jars
 * ({@link ExtractedClassPath}), when the JVM was started with {@code java -jar busbar.jar}. The
 * command stays the same; class loading to the first reading gets cheaper (issue 12).
 *
 * <p>It steps aside, and the caller runs as before, when Busbar was not started from the executable
 * jar (tests, the image's already extracted layout), when {@code -Dbusbar.extract=false}, or when the
 * cache directory cannot be written (a read-only home): being slower is better than not starting.
 */
public final class PlainJarLaunch {

    /** {@code -Dbusbar.extract=false} keeps the nested-jar class loader. */
    static final String ENABLED_PROPERTY = "busbar.extract";
    /** {@code -Dbusbar.extract.dir=DIR}: where the plain jars go instead of ~/.cache/busbar/classpath. */
    static final String DIR_PROPERTY = "busbar.extract.dir";

    private static final String NESTED_JAR_LOADER = "org.springframework.boot.loader.launch.LaunchedClassLoader";

    private PlainJarLaunch() {
    }

    /**
     * Runs {@code mainClass.main(args)} from the plain jars if it applies.
     *
     * @return false when it does not apply and the caller should run as usual; when it applies,
     *         the relaunched main ran (it normally ends the JVM itself)
     */
    public static boolean relaunched(Class<?> mainClass, String[] args) throws Throwable {
        if (!applies(mainClass)) {
            return false;
        }
        ClassLoader plain;
        try {
            plain = loader(Path.of(System.getProperty("java.class.path")));
        } catch (IOException | RuntimeException e) {
            return false;
        }
        Thread.currentThread().setContextClassLoader(plain);
        Method main = Class.forName(mainClass.getName(), true, plain).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        return true;
    }

    static boolean applies(Class<?> mainClass) {
        ClassLoader loader = mainClass.getClassLoader();
        String classPath = System.getProperty("java.class.path", "");
        return !"false".equals(System.getProperty(ENABLED_PROPERTY))
                && loader != null && NESTED_JAR_LOADER.equals(loader.getClass().getName())
                && classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)
                && Files.isRegularFile(Path.of(classPath));
    }

    private static ClassLoader loader(Path executableJar) throws IOException {
        String dir = System.getProperty(DIR_PROPERTY);
        Path cache = dir != null ? Path.of(dir) : ExtractedClassPath.defaultCache();
        List<Path> jars = ExtractedClassPath.of(executableJar, cache);
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = url(jars.get(i));
        }
        // the application class loader stays the parent, as under Spring Boot's launcher: it holds
        // only the launcher's own classes at the executable jar's root
        return new URLClassLoader("busbar", urls, ClassLoader.getSystemClassLoader());
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
