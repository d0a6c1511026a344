package lectern.llm;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * ONNX Runtime's jar carries its native libraries (the CUDA provider alone is 316 MB) and unpacks them into the temp
 * directory on every start. This copies them once into a cache directory and points {@code onnxruntime.native.path}
 * at it, so later starts load them from there. Must run before the first ONNX Runtime class is initialised.
 */
public final class OnnxRuntimeLibraries {

    private static final Logger LOG = Logger.getLogger(OnnxRuntimeLibraries.class);
    private static final String PROPERTY = "onnxruntime.native.path";
    private static final List<String> LIBRARIES = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so",
            "libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so");

    private OnnxRuntimeLibraries() {
    }

    /** The default cache: ~/.cache/lectern/onnxruntime (XDG_CACHE_HOME respected). */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("lectern").resolve("onnxruntime");
    }

    /**
     * Extracts the libraries of this platform into {@code cacheDir/<platform>} unless a copy of the same size is
     * there, and sets {@code onnxruntime.native.path}. Does nothing when the property is already set or the jar has no
     * libraries for this platform (ONNX Runtime then does its own extraction). Returns the directory used, or null.
     */
    public static synchronized Path prepare(Path cacheDir) {
        String already = System.getProperty(PROPERTY);
        if (already != null) {
            return Path.of(already);
        }
        String platform = platform();
        if (platform == null) {
            return null;
        }
        Path dir = cacheDir.resolve(platform);
        if (OnnxRuntimeLibraries.class.getClassLoader().getResource(resource(platform, LIBRARIES.get(0))) == null) {
            return null; // the jar has no libraries for this platform: let ONNX Runtime decide
        }
        try {
            long copied = extract(dir, platform, LIBRARIES);
            if (copied > 0) {
                LOG.infof("ONNX Runtime: extracted %d MB of native libraries once into %s", copied >> 20, dir);
            }
            System.setProperty(PROPERTY, dir.toString());
            return dir;
        } catch (IOException e) {
            LOG.warnf("ONNX Runtime: could not cache native libraries in %s (%s); it will extract them itself", dir, e.getMessage());
            return null;
        }
    }

    /**
     * Copies the named libraries of a platform from the class path into {@code dir}, skipping those already there
     * with the same size; returns the bytes copied.
     */
    static long extract(Path dir, String platform, List<String> libraries) throws IOException {
        ClassLoader loader = OnnxRuntimeLibraries.class.getClassLoader();
        long copied = 0;
        for (String lib : libraries) {
            URL url = loader.getResource(resource(platform, lib));
            if (url == null) {
                continue;
            }
            URLConnection connection = url.openConnection();
            long size = connection.getContentLengthLong();
            Path target = dir.resolve(lib);
            if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) {
                continue;
            }
            Files.createDirectories(dir);
            // a unique partial name: two processes extracting at once each finish their own copy
            Path partial = Files.createTempFile(dir, lib, ".partial");
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            copied += Files.size(target);
        }
        return copied;
    }

    private static String resource(String platform, String lib) {
        return "ai/onnxruntime/native/" + platform + "/" + lib;
    }

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(java.util.Locale.ROOT);
        if (!os.contains("linux")) {
            return null;
        }
        return switch (arch) {
            case "amd64", "x86_64" -> "linux-x64";
            case "aarch64", "arm64" -> "linux-aarch64";
            default -> null;
        };
    }
}
