/**
 * What a GraalVM/Mandrel native image must be told about because it cannot see it by itself.
 *
 * <ul>
 *   <li>{@link lectern.nativeimage.JsonTypes}: the records and enums Jackson reads and writes by reflection. Quarkus
 *       registers the declared body and return types of REST methods, but not what travels inside a
 *       {@code Response} (every 201 with a Location, lists with headers, problem bodies) or what is read with
 *       {@code ObjectMapper.treeToValue}.</li>
 *   <li>{@code META-INF/native-image/dev.lectern/lectern/jni-config.json}: the ONNX Runtime classes and constructors
 *       that its JNI library ({@code libonnxruntime4j_jni.so}) looks up from C (FindClass/GetMethodID).</li>
 *   <li>{@code quarkus.native.resources.includes} in application.properties: the embedded PostgreSQL archives,
 *       zonky's distribution script, and ONNX Runtime's native libraries, which are read from the class path at run
 *       time.</li>
 *   <li>picocli commands: the {@code native} Maven profile runs picocli-codegen's annotation processor, which writes
 *       their reflection config at compile time.</li>
 * </ul>
 * Panache entities, Flyway migrations, the web UI's static files and the REST resources are registered by Quarkus.
 * {@code lectern.gpt.VectorKernels} is deliberately registered nowhere: the native image has no Vector API and must
 * not pull it in (see {@link lectern.LecternMain}). NativeImageConfigTest checks all of this on the JVM.
 */
package lectern.nativeimage;
