package lectern.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lectern.gpt.BpeTokenizer;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import lectern.gpt.onnx.ClassifierHead;
import lectern.gpt.onnx.ModelPackage;
import lectern.llm.GenerationSettings;
import lectern.llm.OnnxRuntimeLibraries;
import lectern.llm.ServedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Classify latency end to end over HTTP (issue 4's target: p50 under 20 ms on GPT-mini), side by side with
 * {@code ServedModel.classify} in this JVM on the same model directory and the same texts: the difference is what
 * HTTP, authentication, JSON and the thread hops cost. By default it exports a random GPT-mini, starts the packaged
 * jar on it (embedded PostgreSQL in a temporary data directory, a fresh user and token), measures, and stops it.
 */
@Command(name = "bench-http", mixinStandardHelpOptions = true,
        description = "Benchmarks POST /api/llm/classify over HTTP (keep-alive, bearer token) against in-process "
                + "ServedModel.classify on the same model and texts; prints p50/p95/p99 and the ratio.")
public final class BenchHttpCommand implements Callable<Integer> {

    static final double TARGET_CLASSIFY_MS = 20.0;

    @Option(names = "--model", description = "Model directory (default: a random GPT-mini exported to a temp directory).")
    Path model;

    @Option(names = "--config", defaultValue = "mini", description = "Random model when no --model: mini or micro (default ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--tokenizer", description = "tokenizer.json for the random model (default: byte-level, as bench-llm: one token per byte).")
    Path tokenizerFile;

    @Option(names = "--server", description = "A running Lectern serving the same model (default: start the packaged jar).")
    String server;

    @Option(names = "--token", description = "Bearer token for --server (default: LECTERN_TOKEN).")
    String token;

    @Option(names = "--jar", description = "quarkus-run.jar to start (default: the jar running this command).")
    Path jar;

    @Option(names = "--server-java-options", defaultValue = "",
            description = "Extra JVM options for the started server, e.g. -XX:StartFlightRecording=filename=/tmp/s.jfr")
    String serverJavaOptions;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads, here and in the started server; 0 = one per core.")
    int threads;

    @Option(names = "--texts", defaultValue = "100", description = "Distinct texts (default ${DEFAULT-VALUE}).")
    int textCount;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds over the texts, alternating HTTP and in-process (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "40", description = "Untimed passes over the texts first, each way, so that both JITs have settled: on 2 cores the "
                    + "server's C2 still used 1.3 ms per call after 15 passes, 0.2 ms after 40 (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--generate", description = "Benchmark POST /api/llm/generate instead: --tokens-long generations "
            + "(minTokens = maxTokens), tokens/s over HTTP and in process, against the target of 2,000 tokens/s.")
    boolean generate;

    @Option(names = "--tokens", defaultValue = "256", description = "Tokens per generation with --generate (default ${DEFAULT-VALUE}).")
    int generateTokens;

    static final double TARGET_GENERATE_TOKENS_PER_S = 2000;

    @Option(names = "--load", description = "Benchmark under load instead: --connections clients, each sending its next "
            + "request on its own keep-alive connection as soon as the last is answered, for --seconds on PUT /api/logs/{date} (the write path) and then on "
            + "GET /api/stats (the dashboard); prints requests/s, p50, p99 and errors.")
    boolean load;

    @Option(names = "--connections", defaultValue = "8", description = "Concurrent clients with --load (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--seconds", defaultValue = "45", description = "Timed seconds per endpoint with --load, after as many "
            + "untimed: the server's request path takes about that long to be compiled (default ${DEFAULT-VALUE}).")
    int seconds;

    static final double TARGET_WRITES_PER_S = 1000;
    static final double TARGET_WRITE_P99_MS = 50;

    private final ObjectMapper json = new ObjectMapper();
    private Process serverProcess;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Integer call() throws Exception {
        List<Path> temporary = new ArrayList<>();
        Process process = null;
        try {
            Path dir = model;
            if (dir == null) {
                dir = Files.createTempDirectory("lectern-bench-http-model");
                temporary.add(dir);
                exportRandomModel(dir);
            }
            String base = server;
            String bearer = token != null ? token : System.getenv("LECTERN_TOKEN");
            if (base == null) {
                Path data = Files.createTempDirectory("lectern-bench-http-data");
                temporary.add(data);
                int port = freePort();
                base = "http://localhost:" + port;
                process = startServer(dir, data, port);
                serverProcess = process;
                waitUntilUp(base, process, data.resolve("server.log"));
                bearer = signUp(base);
            } else if (bearer == null || bearer.isBlank()) {
                throw new IllegalArgumentException("--server needs --token or LECTERN_TOKEN");
            }
            base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            OnnxRuntimeLibraries.prepare(OnnxRuntimeLibraries.defaultCacheDir());
            try (ServedModel local = ServedModel.load(dir, ServedModel.DeviceChoice.CPU, 0, threads)) {
                if (load) {
                    measureLoad(base, bearer, process);
                } else if (generate) {
                    measureGeneration(local, ModelPackage.readModelJson(dir).path(ModelPackage.LM_WEIGHTS).asText("float32"), base, bearer,
                            process != null);
                } else {
                    measure(local, base, bearer, process != null);
                }
            }
        } finally {
            if (process != null) {
                stop(process);
            }
            for (Path p : temporary) {
                deleteTree(p);
            }
        }
        return 0;
    }

    private void measure(ServedModel local, String base, String bearer, boolean started) throws Exception {
        List<String> texts = texts(textCount, 7);
        double tokens = texts.stream().mapToInt(t -> local.tokenizer().encode(t).length + 1).average().orElse(0);
        HttpRequest me = HttpRequest.newBuilder(URI.create(base + "/api/auth/me"))
                .header("Authorization", "Bearer " + bearer).GET().build();
        HttpRequest live = HttpRequest.newBuilder(URI.create(base + "/q/health/live")).GET().build();
        List<HttpRequest> requests = new ArrayList<>();
        for (String t : texts) {
            requests.add(HttpRequest.newBuilder(URI.create(base + "/api/llm/classify"))
                    .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("text", t)))).build());
        }

        // the same label from both ways also checks that the server serves this model
        for (int w = 0; w < warmup; w++) {
            for (int i = 0; i < texts.size(); i++) {
                String served = json.readTree(send(requests.get(i))).path("label").asText();
                String here = local.classify(texts.get(i)).label();
                if (!served.equals(here)) {
                    throw new IllegalStateException("the server answers '" + served + "' where this model answers '" + here
                            + "' for text " + i + ": is the server serving --model?");
                }
                send(me);
                send(live);
            }
        }
        Series http = new Series(rounds * texts.size());
        Series inProcess = new Series(rounds * texts.size());
        Series authOnly = new Series(rounds * texts.size());
        Series floor = new Series(rounds * texts.size());
        double[] serverModelMs = new double[rounds * texts.size()]; // the server's tookMs: its model call, whole ms
        ProcessHandle serverProcess = started ? this.serverProcess.toHandle() : null;
        Map<String, Double> threadsBefore = cpuMillisByThread(serverProcess);
        for (int r = 0; r < rounds; r++) {
            // one block of each per round, in turn: a busy spell on the shared machine falls on all of them alike
            int first = http.count;
            String[] answers = new String[texts.size()];
            http.time(texts.size(), i -> answers[i] = send(requests.get(i)), () -> cpuMillis(serverProcess));
            for (int i = 0; i < answers.length; i++) {
                serverModelMs[first + i] = json.readTree(answers[i]).path("tookMs").asDouble();
            }
            inProcess.time(texts.size(), i -> local.classify(texts.get(i)), BenchHttpCommand::ownCpuMillis);
            authOnly.time(texts.size(), i -> send(me), () -> cpuMillis(serverProcess));
            floor.time(texts.size(), i -> send(live), () -> cpuMillis(serverProcess));
        }
        Map<String, Double> threadsAfter = cpuMillisByThread(serverProcess);
        System.out.printf("bench-http: %s, %d texts x %d rounds (mean %.0f tokens), ONNX Runtime threads %s, cores %d, %s%n",
                local.info().name(), texts.size(), rounds, tokens, threads == 0 ? "one per core" : threads,
                Runtime.getRuntime().availableProcessors(), started ? "server started from the jar" : "server " + base);
        System.out.printf("%-44s %8s %8s %8s  %s%n", "", "p50", "p95", "p99",
                started ? "CPU per call (in process: this JVM; HTTP: server JVM + PostgreSQL)" : "CPU per call");
        inProcess.print("classify in process (ServedModel.classify)");
        http.print("POST /api/llm/classify over HTTP");
        authOnly.print("GET /api/auth/me over HTTP (auth, no model)");
        floor.print("GET /q/health/live over HTTP (no auth)");
        double inProcessWhole = Arrays.stream(inProcess.ms, 0, inProcess.count).map(Math::floor).average().orElse(0);
        System.out.printf("model call inside the server (its tookMs, whole ms): mean %.2f ms; in process, cut to whole ms alike: "
                + "mean %.2f ms%n", Arrays.stream(serverModelMs).average().orElse(0), inProcessWhole);
        if (!threadsAfter.isEmpty()) {
            int calls = http.count + authOnly.count + floor.count;
            // per thread first (a worker thread that ended in between takes its time with it), then summed by name
            Map<String, Double> byName = new java.util.TreeMap<>();
            threadsAfter.forEach((thread, ms) -> byName.merge(thread.substring(0, thread.indexOf('|')),
                    ms - threadsBefore.getOrDefault(thread, 0.0), Double::sum));
            StringBuilder b = new StringBuilder("server CPU in the timed rounds by thread, ms per HTTP call (all kinds):");
            byName.entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(10)
                    .forEach(e -> b.append(String.format(" %s %.2f;", e.getKey(), e.getValue() / calls)));
            System.out.println(b);
        }
        double p50 = http.percentile(50);
        System.out.printf("HTTP / in process: p50 %.2fx (+%.2f ms), p95 %.2fx, p99 %.2fx; target p50 < %.0f ms over HTTP -> %s%n",
                p50 / inProcess.percentile(50), p50 - inProcess.percentile(50),
                http.percentile(95) / inProcess.percentile(95), http.percentile(99) / inProcess.percentile(99),
                TARGET_CLASSIFY_MS, p50 < TARGET_CLASSIFY_MS ? "met" : "missed");
        System.out.printf("load average %.2f (a busy machine makes every figure slower)%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * Generation tokens/s: rounds of the same requests over HTTP and in process, alternating; over HTTP both the
     * client's figure (tokens over the whole request) and the server's own (its tokensPerSecond, the model loop only).
     */
    private void measureGeneration(ServedModel local, String lmWeights, String base, String bearer, boolean started)
            throws Exception {
        String[] prompts = {"The PostgreSQL server", "Finished chapter 3 of the book and", "This package provides",
                "A library for", "Notes on the attention paper:"};
        int n = generateTokens;
        List<HttpRequest> requests = new ArrayList<>();
        for (int i = 0; i < prompts.length; i++) {
            requests.add(HttpRequest.newBuilder(URI.create(base + "/api/llm/generate"))
                    .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("prompt", prompts[i],
                            "maxTokens", n, "minTokens", n, "seed", i + 1)))).build());
        }
        // a long-running server has compiled its request path: --warmup passes of one-token requests get it there
        // (one 256-token request runs that path once, so a handful would leave it interpreted), then 3 full passes
        for (int w = 0; w < warmup; w++) {
            for (int i = 0; i < prompts.length; i++) {
                send(HttpRequest.newBuilder(URI.create(base + "/api/llm/generate"))
                        .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("prompt", prompts[i],
                                "maxTokens", 1, "seed", w)))).build());
            }
        }
        int passes = Math.max(1, Math.min(warmup, 3));
        for (int w = 0; w < passes; w++) {
            for (int i = 0; i < prompts.length; i++) {
                String served = json.readTree(send(requests.get(i))).path("text").asText();
                String here = local.generate(prompts[i], new GenerationSettings(n, 0.8f, 40, 0.95f, i + 1, n), null).text();
                if (!served.equals(here)) {
                    throw new IllegalStateException("the server generated other text than this model for prompt " + i
                            + ": is the server serving --model?");
                }
            }
        }
        int count = rounds * prompts.length;
        double[] httpClient = new double[count];
        double[] httpServer = new double[count];
        double[] inProcess = new double[count];
        int at = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < prompts.length; i++, at++) {
                long s = System.nanoTime();
                JsonNode answer = json.readTree(send(requests.get(i)));
                double seconds = (System.nanoTime() - s) / 1e9;
                httpClient[at] = answer.path("tokens").asInt() / seconds;
                httpServer[at] = answer.path("tokensPerSecond").asDouble();
                inProcess[at] = local.generate(prompts[i], new GenerationSettings(n, 0.8f, 40, 0.95f, i + 1, n), null)
                        .tokensPerSecond();
            }
        }
        System.out.printf("bench-http --generate: %s (lm weights %s), %d generations of %d tokens x %d rounds, "
                        + "ONNX Runtime threads %s, cores %d, %s%n", local.info().name(), lmWeights,
                prompts.length, n, rounds, threads == 0 ? "one per core" : threads, Runtime.getRuntime().availableProcessors(),
                started ? "server started from the jar" : "server " + base);
        System.out.printf("%-58s %8s %8s %8s%n", "tokens/s", "median", "min", "max");
        printRates("generate in process (ServedModel.generate)", inProcess);
        printRates("POST /api/llm/generate, the server's tokensPerSecond", httpServer);
        printRates("POST /api/llm/generate, tokens over the whole request", httpClient);
        double whole = BenchLlmCommand.percentile(httpClient, 50);
        System.out.printf("over HTTP / in process: %.2fx; target %,.0f tokens/s over HTTP -> %s (%.2fx)%n",
                whole / BenchLlmCommand.percentile(inProcess, 50), TARGET_GENERATE_TOKENS_PER_S,
                whole >= TARGET_GENERATE_TOKENS_PER_S ? "met" : "missed", whole / TARGET_GENERATE_TOKENS_PER_S);
        System.out.printf("load average %.2f (a busy machine makes every figure slower)%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** One endpoint under load: what each client sends next ({@code i} counts that client's requests). */
    interface NextRequest {
        LoadCall build(int client, int i);
    }

    /** One request of a load run: method, path, and a text body (null: none). */
    private record LoadCall(String method, String path, String body) {
    }

    /**
     * A keep-alive HTTP/1.1 connection with as little client work as a request needs (wrk's way): the JDK's HttpClient
     * took about as much CPU per request as the server, on the same two cores, and so halved what a run could show.
     * Reads a response's status, Content-Length or chunked body.
     */
    private static final class LeanConnection implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.BufferedInputStream in;
        private final java.io.OutputStream out;
        private final String host;
        private final String bearer;

        LeanConnection(URI base, String bearer) throws IOException {
            socket = new java.net.Socket(base.getHost(), base.getPort());
            socket.setTcpNoDelay(true);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 14);
            host = base.getHost() + ":" + base.getPort();
            this.bearer = bearer;
        }

        /** Sends the call and reads the whole answer; returns the status, and the body when it is not 2xx. */
        String[] send(LoadCall call) throws IOException {
            byte[] body = call.body() == null ? new byte[0] : call.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(256).append(call.method()).append(' ').append(call.path())
                    .append(" HTTP/1.1\r\nHost: ").append(host).append("\r\nAuthorization: Bearer ").append(bearer)
                    .append("\r\n");
            if (call.body() != null) {
                head.append("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            java.io.ByteArrayOutputStream kept = code / 100 == 2 ? null : new java.io.ByteArrayOutputStream();
            if (chunked) {
                for (long n = Long.parseLong(line().split(";")[0].trim(), 16); n > 0; n = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    read(n, kept);
                    line();
                }
                line();
            } else if (length > 0) {
                read(length, kept);
            }
            return new String[] {Integer.toString(code), kept == null ? "" : kept.toString(java.nio.charset.StandardCharsets.UTF_8)};
        }

        private void read(long n, java.io.ByteArrayOutputStream kept) throws IOException {
            byte[] buf = new byte[8192];
            while (n > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, n));
                if (r < 0) {
                    throw new java.io.EOFException("the server closed the connection mid-answer");
                }
                if (kept != null) {
                    kept.write(buf, 0, r);
                }
                n -= r;
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new java.io.EOFException("the server closed the connection");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Requests/s, latency percentiles and failures of one endpoint driven by {@code connections} clients. */
    private record LoadResult(String name, double perSecond, double p50, double p99, double max, int requests, int errors,
                      double serverCpuPerRequestMs) {
    }

    private void measureLoad(String base, String bearer, Process server) throws Exception {
        ProcessHandle serverHandle = server != null ? server.toHandle() : null;
        String[] texts = {"[ML Grind] Finished: > read the attention paper %d Plan for today: > write the breakdown",
                "Finished: > chapter %d of the book > two exercises Have been working on: > the parser Plan for today: > tests"};
        NextRequest write = (client, i) -> {
            // each client writes its own days of 2024-2025 over and over: updates of existing days, as a daily log is
            LocalDate day = LocalDate.of(2024, 1, 1).plusDays((client * 97L + i) % 700);
            return new LoadCall("PUT", "/api/logs/" + day, String.format(texts[i % 2], i));
        };
        LoadCall stats = new LoadCall("GET", "/api/stats", null);
        List<LoadResult> results = new ArrayList<>();
        results.add(drive(URI.create(base), bearer, "PUT /api/logs/{date} (the write path)", write, serverHandle));
        results.add(drive(URI.create(base), bearer, "GET /api/stats (the dashboard)", (c, i) -> stats, serverHandle));
        System.out.printf("bench-http --load: %d connections, %d s timed per endpoint after %d s untimed, cores %d, %s%n",
                connections, seconds, seconds, Runtime.getRuntime().availableProcessors(),
                server != null ? "server started from the jar (embedded PostgreSQL)" : "server " + base);
        System.out.printf("%-40s %9s %9s %9s %9s %8s %s%n", "", "req/s", "p50", "p99", "max", "errors",
                server != null ? "server CPU per request (JVM + PostgreSQL)" : "");
        for (LoadResult r : results) {
            System.out.printf(java.util.Locale.ROOT, "%-40s %9.0f %6.2f ms %6.2f ms %6.1f ms %8d %s%n", r.name(), r.perSecond(),
                    r.p50(), r.p99(), r.max(), r.errors(),
                    r.serverCpuPerRequestMs() >= 0 ? String.format(java.util.Locale.ROOT, "%.2f ms", r.serverCpuPerRequestMs()) : "");
        }
        LoadResult w = results.get(0);
        System.out.printf("write path target: %,.0f writes/s with p99 under %.0f ms -> %s (the load generator shares the cores)%n",
                TARGET_WRITES_PER_S, TARGET_WRITE_P99_MS,
                w.perSecond() >= TARGET_WRITES_PER_S && w.p99() < TARGET_WRITE_P99_MS && w.errors() == 0 ? "met" : "missed");
        System.out.printf("load average %.2f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * Untimed for {@link #seconds}, then timed for as long: every client on its own keep-alive connection, in a loop,
     * the next request when one returns.
     */
    private LoadResult drive(URI base, String bearer, String name, NextRequest next, ProcessHandle server) throws Exception {
        java.util.concurrent.ConcurrentLinkedQueue<double[]> samples = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        long start = System.nanoTime();
        long timedFrom = start + TimeUnit.SECONDS.toNanos(seconds);
        long end = timedFrom + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                int i = 0;
                LeanConnection connection = null;
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    try {
                        if (connection == null) {
                            connection = new LeanConnection(base, bearer);
                        }
                        String[] answer = connection.send(next.build(client, i++));
                        long e = System.nanoTime();
                        boolean ok = answer[0].startsWith("2");
                        if (!ok) {
                            firstError.compareAndSet(null, answer[0] + ": " + answer[1]);
                        }
                        if (s >= timedFrom && e <= end) {
                            samples.add(new double[] {(e - s) / 1e6});
                            if (!ok) {
                                errors.incrementAndGet();
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        firstError.compareAndSet(null, e.toString());
                        if (s >= timedFrom) {
                            errors.incrementAndGet();
                        }
                        try {
                            if (connection != null) {
                                connection.close();
                            }
                        } catch (IOException ignored) {
                            // gone already
                        }
                        connection = null;
                    }
                }
                try {
                    if (connection != null) {
                        connection.close();
                    }
                } catch (IOException ignored) {
                    // the run is over
                }
            }, "load-" + c);
            t.start();
            clients.add(t);
        }
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(timedFrom - System.nanoTime())));
        double cpuAtStart = cpuMillis(server);
        for (Thread t : clients) {
            t.join();
        }
        double cpuUsed = cpuMillis(server) - cpuAtStart;
        double[] ms = samples.stream().mapToDouble(d -> d[0]).sorted().toArray();
        if (firstError.get() != null) {
            System.err.println(name + ": first failure: " + firstError.get());
        }
        return new LoadResult(name, ms.length / (double) seconds, BenchLlmCommand.percentile(ms, 50),
                BenchLlmCommand.percentile(ms, 99), ms.length == 0 ? 0 : ms[ms.length - 1], ms.length, errors.get(),
                server != null && cpuAtStart >= 0 ? cpuUsed / Math.max(1, ms.length) : -1);
    }

    private static void printRates(String name, double[] rates) {
        System.out.printf("%-58s %8.0f %8.0f %8.0f%n", name, BenchLlmCommand.percentile(rates, 50),
                Arrays.stream(rates).min().orElse(0), Arrays.stream(rates).max().orElse(0));
    }

    interface Call {
        void run(int i) throws Exception;
    }

    /** Wall-clock milliseconds of each call, and the CPU milliseconds spent per call by whoever does the work. */
    static final class Series {
        final double[] ms;
        int count;
        double cpuMs;
        boolean cpuKnown = true;

        Series(int capacity) {
            ms = new double[capacity];
        }

        void time(int calls, Call call, java.util.function.DoubleSupplier cpu) throws Exception {
            double cpuBefore = cpu.getAsDouble();
            for (int i = 0; i < calls; i++) {
                long s = System.nanoTime();
                call.run(i);
                ms[count++] = (System.nanoTime() - s) / 1e6;
            }
            double cpuAfter = cpu.getAsDouble();
            cpuKnown &= cpuBefore >= 0 && cpuAfter >= 0;
            cpuMs += cpuAfter - cpuBefore;
        }

        double percentile(int p) {
            return BenchLlmCommand.percentile(Arrays.copyOf(ms, count), p);
        }

        void print(String name) {
            System.out.printf("%-44s %5.2f ms %5.2f ms %5.2f ms  %s%n", name, percentile(50), percentile(95), percentile(99),
                    cpuKnown ? String.format("%.2f ms", cpuMs / count) : "-");
        }
    }

    /** CPU time of this JVM, all threads (ONNX Runtime's included). */
    static double ownCpuMillis() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e6 : -1;
    }

    /**
     * CPU time of every thread of a process and of its descendants, in milliseconds, keyed by "name|tid" with the
     * name's digits replaced by '#' (executor-thread-#, C# CompilerThre#, postgres); empty without /proc.
     */
    static Map<String, Double> cpuMillisByThread(ProcessHandle root) {
        Map<String, Double> byThread = new java.util.TreeMap<>();
        if (root == null) {
            return byThread;
        }
        for (ProcessHandle p : Stream.concat(Stream.of(root), root.descendants()).toList()) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        byThread.put(name + "|" + task.getFileName(), (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0);
                    } catch (IOException | RuntimeException gone) {
                        // a thread that ended meanwhile
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // a process that ended meanwhile
            }
        }
        return byThread;
    }

    /**
     * CPU time of a process and its descendants (the embedded PostgreSQL's backends) from /proc, in milliseconds;
     * -1 where there is no /proc or no process. /proc counts in clock ticks (10 ms), fine over a block of calls.
     */
    static double cpuMillis(ProcessHandle root) {
        if (root == null) {
            return -1;
        }
        double ticks = 0;
        for (ProcessHandle p : Stream.concat(Stream.of(root), root.descendants()).toList()) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15 of stat)
            } catch (IOException | RuntimeException gone) {
                // a process that ended between listing and reading: its time is lost to this block either way
            }
        }
        return ticks * 10; // USER_HZ is 100 on Linux
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    /** Log-item-like texts of 3 to 20 words, the same for a given seed. */
    static List<String> texts(int count, long seed) {
        String[] words = ("finished read chapter notes on attention heads paper about transformers course week lecture "
                + "project wrote draft essay review book pages started the of and with a for deep learning garden kitchen "
                + "ran 5 km proof exercise solved section 3.2 meeting refactored parser tests Lectern").split(" ");
        Random rng = new Random(seed);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = 3 + rng.nextInt(18);
            StringBuilder b = new StringBuilder();
            for (int w = 0; w < n; w++) {
                b.append(w == 0 ? "" : " ").append(words[rng.nextInt(words.length)]);
            }
            texts.add(b.toString());
        }
        return texts;
    }

    private void exportRandomModel(Path dir) throws IOException {
        GptConfig cfg = "micro".equals(config) ? GptConfig.micro() : GptConfig.mini();
        GptModel gpt = new GptModel(cfg);
        gpt.initialize(1337);
        BpeTokenizer tokenizer = tokenizerFile != null ? BpeTokenizer.load(tokenizerFile)
                : BpeTokenizer.of(new int[0][], BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
        ModelPackage.write(gpt, tokenizer, ClassifierHead.untrained(ModelPackage.DEFAULT_LABELS, cfg.nEmbd(), 1), false, dir,
                json.createObjectNode(), json.createObjectNode().put("source", "bench-http random weights"));
    }

    private Process startServer(Path modelDir, Path data, int port) throws IOException {
        Path runJar = jar != null ? jar : runningJar();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        if (!serverJavaOptions.isBlank()) {
            command.addAll(Arrays.asList(serverJavaOptions.trim().split("\\s+")));
        }
        command.add("-jar");
        command.add(runJar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(data.resolve("server.log").toFile());
        Map<String, String> env = builder.environment();
        env.remove("DB_URL");
        env.put("LECTERN_DATA_DIR", data.resolve("db").toString());
        env.put("LECTERN_MODEL_DIR", modelDir.toAbsolutePath().toString());
        env.put("LECTERN_MODEL_DEVICE", "cpu");
        env.put("LECTERN_MODEL_THREADS", Integer.toString(threads));
        env.put("LECTERN_SIGNUP", "first-user");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        System.out.printf("bench-http: starting %s on port %d%n", String.join(" ", command), port);
        return builder.start();
    }

    private static Path runningJar() {
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.endsWith("quarkus-run.jar") && !classPath.contains(java.io.File.pathSeparator)) {
            return Path.of(classPath).toAbsolutePath();
        }
        Path built = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (Files.isRegularFile(built)) {
            return built.toAbsolutePath();
        }
        throw new IllegalArgumentException("cannot tell which jar to start: pass --jar target/quarkus-app/quarkus-run.jar");
    }

    private void waitUntilUp(String base, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server stopped at start (exit " + process.exitValue() + "); see " + log
                        + ":\n" + tail(log));
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the server did not become ready in 240 s:\n" + tail(log));
    }

    private String signUp(String base) throws Exception {
        String body = json.writeValueAsString(Map.of("username", "bench", "password", "bench-http-password"));
        for (String path : List.of("/api/auth/signup", "/api/auth/tokens")) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
            }
            if (path.endsWith("tokens")) {
                JsonNode answer = json.readTree(r.body());
                return answer.path("token").asText();
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: Quarkus shuts down and stops its embedded PostgreSQL
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
