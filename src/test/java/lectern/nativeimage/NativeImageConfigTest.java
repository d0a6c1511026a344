package lectern.nativeimage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import lectern.LecternMain;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The native-image registrations, checked on the JVM (no GraalVM here): every class and constructor the config files
 * name exists in the jars we ship, every app record and enum is registered for Jackson, every resource pattern
 * matches the files the code reads, and the Vector API kernels are registered nowhere.
 */
class NativeImageConfigTest {

    private static final String CONFIG_DIR = "META-INF/native-image/dev.lectern/lectern/";
    private static final ClassLoader LOADER = NativeImageConfigTest.class.getClassLoader();

    @Test
    void jniConfigNamesClassesAndConstructorsThatExist() throws Exception {
        JsonNode config = readConfig("jni-config.json");
        assertTrue(config.size() > 0);
        List<String> wrong = new ArrayList<>();
        for (JsonNode entry : config) {
            String name = entry.path("name").asText();
            Class<?> type;
            try {
                type = Class.forName(name, false, LOADER);
            } catch (ClassNotFoundException e) {
                wrong.add("no class " + name);
                continue;
            }
            for (JsonNode method : entry.path("methods")) {
                List<Class<?>> parameters = new ArrayList<>();
                for (JsonNode p : method.path("parameterTypes")) {
                    parameters.add(typeNamed(p.asText()));
                }
                Class<?>[] types = parameters.toArray(Class<?>[]::new);
                String methodName = method.path("name").asText();
                try {
                    if (methodName.equals("<init>")) {
                        type.getDeclaredConstructor(types);
                    } else {
                        type.getDeclaredMethod(methodName, types);
                    }
                } catch (NoSuchMethodException e) {
                    wrong.add(name + "." + methodName + parameters);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** The ONNX Runtime classes its JNI library constructs from C must all be in the JNI config. */
    @Test
    void jniConfigCoversWhatOnnxRuntimeCreatesFromNativeCode() throws Exception {
        Set<String> named = new TreeSet<>();
        readConfig("jni-config.json").forEach(e -> named.add(e.path("name").asText()));
        // FindClass targets of libonnxruntime4j_jni.so 1.24.3 (from `strings` on the library)
        for (String cls : List.of("OrtException", "TensorInfo", "MapInfo", "SequenceInfo", "NodeInfo", "OnnxTensor",
                "OnnxSparseTensor", "OnnxMap", "OnnxSequence", "OnnxModelMetadata", "OnnxValue")) {
            assertTrue(named.contains("ai.onnxruntime." + cls), cls);
        }
    }

    @Test
    void everyAppRecordAndEnumIsRegisteredForJackson() throws Exception {
        RegisterForReflection registration = JsonTypes.class.getAnnotation(RegisterForReflection.class);
        Set<String> registered = Arrays.stream(registration.targets())
                .map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
        registered.addAll(Arrays.asList(registration.classNames()));
        Set<String> missing = new TreeSet<>();
        for (Class<?> type : appClasses()) {
            boolean jsonShaped = type.isRecord() || type.isEnum();
            boolean reachable = !Modifier.isPrivate(type.getModifiers()) && !type.isLocalClass() && !type.isAnonymousClass();
            if (jsonShaped && reachable && !type.getName().startsWith("lectern.gpt.")) {
                if (!registered.contains(type.getName())) {
                    missing.add(type.getName());
                }
            }
        }
        assertEquals(Set.of(), missing, "add these to lectern.nativeimage.JsonTypes");
        assertTrue(registered.contains("lectern.api.Problem$FieldError"));
    }

    @Test
    void vectorApiKernelsAreRegisteredNowhere() throws Exception {
        String vector = "lectern.gpt.VectorKernels";
        assertNotNull(Class.forName(vector, false, LOADER), "the class this guards against exists");
        assertFalse(Arrays.stream(JsonTypes.class.getAnnotation(RegisterForReflection.class).targets())
                .anyMatch(c -> c.getName().equals(vector)));
        for (String file : List.of("jni-config.json", "reflect-config.json", "resource-config.json")) {
            try (InputStream in = LOADER.getResourceAsStream(CONFIG_DIR + file)) {
                if (in != null) {
                    assertFalse(new String(in.readAllBytes()).contains(vector), file);
                }
            }
        }
    }

    /** Each file the code reads from the class path at run time is in the jars and included in the native image. */
    @Test
    void resourcePatternsIncludeTheFilesReadAtRunTime() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = LOADER.getResourceAsStream("application.properties")) {
            properties.load(in);
        }
        List<Pattern> includes = globs(properties.getProperty("quarkus.native.resources.includes"));
        List<String> needed = List.of(
                "postgres-linux-x86_64.txz", "postgres-linux-arm_64.txz", // zonky's DefaultPostgresBinaryResolver
                "sh/detect_linux_distribution.sh", // zonky's LinuxUtils
                "ai/onnxruntime/native/linux-x64/libonnxruntime.so", // OnnxRuntime and lectern.llm.OnnxRuntimeLibraries
                "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
                "ai/onnxruntime/native/linux-x64/libonnxruntime_providers_shared.so",
                "ai/onnxruntime/native/linux-x64/libonnxruntime_providers_cuda.so");
        for (String resource : needed) {
            assertNotNull(LOADER.getResource(resource), resource + " is on the class path");
            assertTrue(includes.stream().anyMatch(p -> p.matcher(resource).matches()), resource + " is included");
        }
        String tensorrt = "ai/onnxruntime/native/linux-x64/libonnxruntime_providers_tensorrt.so";
        assertNotNull(LOADER.getResource(tensorrt));
        assertFalse(includes.stream().anyMatch(p -> p.matcher(tensorrt).matches()), "TensorRT provider left out");
        assertFalse(includes.stream().anyMatch(p -> p.matcher("ai/onnxruntime/native/win-x64/onnxruntime.dll").matches()));
    }

    /** Quarkus's glob syntax for resource includes: ** crosses directories, * and ? do not. */
    static List<Pattern> globs(String commaSeparated) {
        List<Pattern> patterns = new ArrayList<>();
        for (String glob : commaSeparated.split(",")) {
            if (glob.isBlank()) {
                continue;
            }
            StringBuilder regex = new StringBuilder();
            String g = glob.trim();
            for (int i = 0; i < g.length(); i++) {
                char c = g.charAt(i);
                if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append("[^/]");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            patterns.add(Pattern.compile(regex.toString()));
        }
        return patterns;
    }

    @Test
    void globsBehaveLikeQuarkus() {
        Pattern p = globs("a/*/c.so,x/**").get(0);
        assertTrue(p.matcher("a/b/c.so").matches());
        assertFalse(p.matcher("a/b/d/c.so").matches());
        assertTrue(globs("x/**").get(0).matcher("x/y/z").matches());
    }

    private static JsonNode readConfig(String file) throws IOException {
        try (InputStream in = LOADER.getResourceAsStream(CONFIG_DIR + file)) {
            if (in == null) {
                fail(CONFIG_DIR + file + " is not on the class path");
            }
            return new ObjectMapper().readTree(in);
        }
    }

    private static Class<?> typeNamed(String name) throws ClassNotFoundException {
        if (name.endsWith("[]")) {
            return typeNamed(name.substring(0, name.length() - 2)).arrayType();
        }
        return switch (name) {
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            case "boolean" -> boolean.class;
            case "byte" -> byte.class;
            case "short" -> short.class;
            case "char" -> char.class;
            default -> Class.forName(name, false, LOADER);
        };
    }

    /** Every class compiled from src/main/java (the directory LecternMain was loaded from). */
    private static List<Class<?>> appClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(LecternMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(root.resolve("lectern")), "classes directory " + root);
        List<String> names;
        try (Stream<Path> files = Files.walk(root.resolve("lectern"))) {
            names = files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .toList();
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            classes.add(Class.forName(name, false, LOADER));
        }
        assertTrue(classes.size() > 50, "found " + classes.size() + " classes");
        return classes;
    }
}
