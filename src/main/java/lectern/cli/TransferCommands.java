package lectern.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lectern.transfer.ImportFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Flow;

/**
 * {@code import} and {@code export}: move a library to and from a running Lectern over HTTP, with a progress bar.
 * The command line does not start the server, so these talk to one (default http://localhost:8080) with a token.
 */
public final class TransferCommands {

    private TransferCommands() {
    }

    /** Adds import and export to the command line. */
    public static CommandLine register(CommandLine cli) {
        return cli.addSubcommand(new Import()).addSubcommand(new Export());
    }

    /** Bad arguments or a server that cannot be reached. */
    static final class UsageProblem extends Exception {
        UsageProblem(String message) {
            super(message);
        }
    }

    abstract static class ServerCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", defaultValue = "http://localhost:8080",
                description = "Lectern's address (default ${DEFAULT-VALUE}).")
        String server;

        @Option(names = "--token", description = "API token (default: LECTERN_TOKEN).")
        String token;

        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();

        @Override
        public final Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                return run(spec.commandLine().getOut(), err);
            } catch (UsageProblem e) {
                err.println(spec.name() + ": " + e.getMessage());
                err.flush();
                return 2;
            } catch (ConnectException | HttpTimeoutException e) {
                err.println(spec.name() + ": cannot reach Lectern at " + server + " (" + describe(e) + "); is it running?");
                err.flush();
                return 2;
            } catch (IOException e) {
                err.println(spec.name() + ": talking to " + server + " failed: " + describe(e));
                err.flush();
                return 2;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println(spec.name() + ": interrupted");
                err.flush();
                return 1;
            }
        }

        abstract int run(PrintWriter out, PrintWriter err) throws UsageProblem, IOException, InterruptedException;

        HttpRequest.Builder request(String path) throws UsageProblem {
            String bearer = token != null && !token.isBlank() ? token : System.getenv("LECTERN_TOKEN");
            if (bearer == null || bearer.isBlank()) {
                throw new UsageProblem("no token: pass --token or set LECTERN_TOKEN (create one in Settings > API tokens)");
            }
            URI uri;
            try {
                String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
                uri = URI.create(base + path);
                if (uri.getScheme() == null || uri.getHost() == null
                        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    throw new IllegalArgumentException("not an http(s) address");
                }
            } catch (IllegalArgumentException e) {
                throw new UsageProblem("bad --server '" + server + "': " + e.getMessage());
            }
            return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + bearer.trim());
        }

        /** Prints a 4xx/5xx answer: the problem's detail (or title, or the raw body) and the status. */
        static int failed(PrintWriter err, String command, int status, byte[] body) {
            String text = new String(body, StandardCharsets.UTF_8).trim();
            String message = text;
            try {
                JsonNode problem = new ObjectMapper().readTree(text);
                if (problem != null && problem.isObject()) {
                    if (problem.hasNonNull("detail")) {
                        message = problem.get("detail").asText();
                    } else if (problem.hasNonNull("title")) {
                        message = problem.get("title").asText();
                    }
                }
            } catch (IOException notJson) {
                // print the body as it came
            }
            err.println(command + " failed (HTTP " + status + "): " + (message.isEmpty() ? "no details" : message));
            err.flush();
            return 1;
        }

        private static String describe(Exception e) {
            return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Uploads a Goodreads or StoryGraph CSV, a Kindle 'My Clippings.txt', a BibTeX file or a Lectern "
                    + "backup to a running Lectern and prints the report. The format is recognized from the file's content.")
    static final class Import extends ServerCommand {

        @Option(names = "--format", description = "goodreads, storygraph, kindle, bibtex or backup "
                + "(default: recognized from the content).")
        String format;

        @Parameters(index = "0", paramLabel = "FILE", description = "The file to import.")
        Path file;

        @Override
        int run(PrintWriter out, PrintWriter err) throws UsageProblem, IOException, InterruptedException {
            if (!Files.isRegularFile(file)) {
                throw new UsageProblem("no such file: " + file);
            }
            ImportFormat kind;
            if (format != null) {
                kind = ImportFormat.ofId(format);
                if (kind == null) {
                    throw new UsageProblem("unknown --format '" + format + "': use " + ids());
                }
            } else {
                kind = ImportFormat.recognize(head(file));
                if (kind == null) {
                    throw new UsageProblem("cannot tell what " + file.getFileName() + " is: Lectern imports "
                            + ImportFormat.known() + "; pass --format " + ids() + " to send it anyway");
                }
                err.println("import: " + file.getFileName() + " is " + kind.description);
                err.flush();
            }
            String path = kind.endpoint;
            String contentType = kind.contentType + (kind == ImportFormat.BACKUP ? "" : "; charset=UTF-8");
            long size = Files.size(file);
            ProgressBar bar = ProgressBar.onStderr("upload", size);
            HttpRequest request = request(path).header("Content-Type", contentType)
                    .header("Accept", "application/json")
                    .POST(new CountingPublisher(HttpRequest.BodyPublishers.ofFile(file),
                            sent -> bar.update(sent, human(sent) + " of " + human(size))))
                    .build();
            HttpResponse<byte[]> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } finally {
                bar.finish();
            }
            if (response.statusCode() >= 400) {
                return failed(err, "import", response.statusCode(), response.body());
            }
            JsonNode report = new ObjectMapper().readTree(response.body());
            out.printf(Locale.ROOT, "created %d, updated %d, skipped %d%n",
                    report.path("created").asInt(), report.path("updated").asInt(), report.path("skipped").asInt());
            JsonNode failures = report.path("failed");
            if (failures.isArray() && !failures.isEmpty()) {
                out.printf(Locale.ROOT, "failed %d:%n", failures.size());
                for (JsonNode failure : failures) {
                    String where = failure.hasNonNull("row") ? "row " + failure.get("row").asInt()
                            : failure.hasNonNull("line") ? "line " + failure.get("line").asInt() : "file";
                    out.println("  " + where + ": " + failure.path("message").asText());
                }
            }
            out.flush();
            return 0;
        }

        /** The start of the file, enough to recognize its format. */
        private static String head(Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                return new String(in.readNBytes(ImportFormat.HEAD_CHARS), StandardCharsets.UTF_8);
            }
        }

        private static String ids() {
            return java.util.Arrays.stream(ImportFormat.values()).map(f -> f.id)
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Downloads the library from a running Lectern as a backup (JSON), a Goodreads or StoryGraph CSV, "
                    + "BibTeX or an Obsidian vault (zip).")
    static final class Export extends ServerCommand {

        @Option(names = "--format", defaultValue = "backup",
                description = "backup, goodreads, storygraph, bibtex or obsidian (default ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the export.")
        Path outFile;

        @Override
        int run(PrintWriter out, PrintWriter err) throws UsageProblem, IOException, InterruptedException {
            String path = switch (format.toLowerCase(Locale.ROOT)) {
                case "backup" -> "/api/export";
                case "goodreads" -> "/api/export/goodreads";
                case "storygraph" -> "/api/export/storygraph";
                case "bibtex" -> "/api/export/bibtex";
                case "obsidian" -> "/api/export/obsidian";
                default -> throw new UsageProblem("unknown --format '" + format
                        + "': use backup, goodreads, storygraph, bibtex or obsidian");
            };
            HttpResponse<InputStream> response = client.send(request(path).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() >= 400) {
                try (InputStream body = response.body()) {
                    return failed(err, "export", response.statusCode(), body.readAllBytes());
                }
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            Path parent = outFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path partial = outFile.resolveSibling(outFile.getFileName() + ".part");
            long received = 0;
            ProgressBar bar = total > 0 ? ProgressBar.onStderr("download", total) : null;
            try (InputStream body = response.body(); OutputStream file = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    file.write(buffer, 0, n);
                    received += n;
                    if (bar != null) {
                        bar.update(received, human(received));
                    }
                }
            } catch (IOException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            if (bar == null) { // the size was not announced: one line at the end, with the count
                bar = ProgressBar.onStderr("download", received);
                bar.update(received, human(received));
            }
            bar.finish();
            Files.move(partial, outFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            out.println("wrote " + outFile + " (" + human(received) + ")");
            out.flush();
            return 0;
        }
    }

    /** 512 B, 12.3 KiB, 4.5 MiB. */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    /** Wraps a body publisher and reports the bytes handed to the connection so far, chunk by chunk. */
    static final class CountingPublisher implements HttpRequest.BodyPublisher {
        private final HttpRequest.BodyPublisher inner;
        private final java.util.function.LongConsumer progress;

        CountingPublisher(HttpRequest.BodyPublisher inner, java.util.function.LongConsumer progress) {
            this.inner = inner;
            this.progress = progress;
        }

        @Override
        public long contentLength() {
            return inner.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            inner.subscribe(new Flow.Subscriber<ByteBuffer>() {
                private long sent;

                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    sent = 0;
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    sent += item.remaining();
                    progress.accept(sent);
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    subscriber.onError(throwable);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                }
            });
        }
    }
}
