package lectern.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import lectern.accounts.CurrentUser;
import lectern.api.BodySizeLimit;
import lectern.api.Dates;
import lectern.api.Labels;
import lectern.api.Patch;
import lectern.api.Problem.FieldError;
import lectern.api.Problem;
import lectern.api.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

@Path("/api/logs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Daily logs")
public class LogResource {

    public static final String MARKDOWN = "text/markdown";
    /** The longest range one GET may ask for: a year, leap day included. */
    public static final int MAX_RANGE_DAYS = 366;
    /** More items than anyone writes in a day; it keeps one request from filling the table. */
    public static final int MAX_ITEMS_PER_SECTION = 500;

    /** The JSON form of a log. Items are strings or objects with a {@code text}; other fields are ignored. */
    public record LogBody(LocalDate date, Long version, List<JsonNode> finished, List<JsonNode> workingOn,
                          List<JsonNode> plan, List<JsonNode> other) {
        List<JsonNode> items(Section section) {
            return switch (section) {
                case FINISHED -> finished;
                case WORKING_ON -> workingOn;
                case PLAN -> plan;
                case OTHER -> other;
            };
        }
    }

    /** {@code label}: one word, stored in lower case; "" takes the user's label away. */
    public record LabelBody(@NotNull(message = "is required: one word, e.g. idea (\"\" removes your label)")
                            String label) {
    }

    /** The same words as note labels take (lectern.notes), so one label set serves both. */

    @Inject
    CurrentUser currentUser;

    @Inject
    Patch.Reader patches;

    @Inject
    LogStore store;

    /** The model's headline writer (lectern.llm), when a model is installed. */
    @Inject
    jakarta.enterprise.inject.Instance<DigestHeadline> headlines;

    @Inject
    Clock clock;

    /** A digest covers a week unless asked otherwise. */
    static final int DIGEST_DAYS = 7;

    @PUT
    @Path("/{date}")
    @Consumes({MediaType.TEXT_PLAIN, MARKDOWN})
    @Operation(summary = "Save the day's log from text: the \"[ML Grind] Finished: > a ...\" form or markdown")
    public LogView putText(@PathParam("date") String date, String text) {
        LocalDate day = Dates.parse("date", date);
        if (text == null || text.isBlank()) {
            throw emptyBody();
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > BodySizeLimit.MAX_JSON_BYTES) {
            throw new ProblemException(new Problem("Payload too large", 413, "A log is limited to "
                    + BodySizeLimit.MAX_JSON_BYTES + " bytes; this one has " + bytes, null, null));
        }
        ParsedLog log = LogParser.parse(text);
        if (log.isEmpty()) {
            throw ProblemException.badField("body", "has no log items; write them after '>' or as list items, "
                    + "e.g. \"Finished: > read chapter 3\"");
        }
        List<FieldError> errors = new ArrayList<>();
        for (Section section : Section.values()) {
            checkItems(section, log.items(section), errors);
        }
        ProblemException.refuseIfAny(errors);
        return store.replace(currentUser.id(), day, log, null);
    }

    @PUT
    @Path("/{date}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Save the day's log from JSON {finished, workingOn, plan, other}: lists of strings or {text}")
    public LogView putJson(@PathParam("date") String date, LogBody body) {
        LocalDate day = Dates.parse("date", date);
        if (body == null) {
            throw emptyBody();
        }
        if (body.date() != null && !body.date().equals(day)) {
            throw ProblemException.badField("date", "is " + body.date() + " but the path says " + day
                    + "; leave it out or make them agree");
        }
        List<FieldError> errors = new ArrayList<>();
        List<List<String>> texts = new ArrayList<>();
        for (Section section : Section.values()) {
            texts.add(itemTexts(section, body.items(section), errors));
        }
        ProblemException.refuseIfAny(errors);
        ParsedLog log = new ParsedLog(texts.get(0), texts.get(1), texts.get(2), texts.get(3));
        if (log.isEmpty()) {
            throw ProblemException.badField("body", "has no log items; send at least one in finished, workingOn, "
                    + "plan or other (DELETE the log to remove it)");
        }
        return store.replace(currentUser.id(), day, log, body.version());
    }

    @GET
    @Path("/{date}")
    @Produces({MediaType.APPLICATION_JSON, MARKDOWN, MediaType.TEXT_PLAIN})
    @Operation(summary = "The day's log as JSON, or as markdown with Accept: text/markdown")
    public Response get(@PathParam("date") String date, @Context HttpHeaders headers) {
        LocalDate day = Dates.parse("date", date);
        LogView log = store.find(currentUser.id(), day).orElseThrow(() -> ProblemException.notFound("Log of " + day));
        MediaType type = chooseType(headers);
        if (type.equals(MediaType.APPLICATION_JSON_TYPE)) {
            return Response.ok(log, type).build();
        }
        return Response.ok(LogMarkdown.render(log.date(), log.parsed()), type.withCharset("UTF-8")).build();
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, MARKDOWN, MediaType.TEXT_PLAIN})
    @Operation(summary = "The logs from `from` to `to` (both included, oldest first; by default the last 30 days)")
    public Response range(@QueryParam("from") String from, @QueryParam("to") String to, @Context HttpHeaders headers) {
        LocalDate last = Dates.parseOptional("to", to);
        LocalDate first = Dates.parseOptional("from", from);
        if (last == null) {
            LocalDate today = LocalDate.now(clock);
            last = first != null && first.isAfter(today) ? first : today;
        }
        if (first == null) {
            first = last.minusDays(29);
        }
        if (first.isAfter(last)) {
            throw ProblemException.badField("from", "is " + first + ", after to (" + last + "); swap them");
        }
        long days = ChronoUnit.DAYS.between(first, last) + 1;
        if (days > MAX_RANGE_DAYS) {
            throw ProblemException.badField(to != null ? "to" : "from", "the range " + first + " to " + last + " is "
                    + days + " days; ask for at most " + MAX_RANGE_DAYS + " days at a time");
        }
        List<LogView> logs = store.range(currentUser.id(), first, last);
        MediaType type = chooseType(headers);
        if (type.equals(MediaType.APPLICATION_JSON_TYPE)) {
            return Response.ok(logs, type).build();
        }
        String markdown = logs.stream().map(l -> LogMarkdown.render(l.date(), l.parsed()))
                .collect(Collectors.joining("\n"));
        return Response.ok(markdown, type.withCharset("UTF-8")).build();
    }

    @GET
    @Path("/digest")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A digest of the logs from `from` to `to` (default: the last 7 days): finished, worked on and "
            + "planned, grouped by label with items and days, and a headline written by the model (null without one)")
    public LogDigest digest(@QueryParam("from") String from, @QueryParam("to") String to) {
        LocalDate last = Dates.parseOptional("to", to);
        LocalDate first = Dates.parseOptional("from", from);
        if (last == null) {
            last = first != null ? first.plusDays(DIGEST_DAYS - 1) : LocalDate.now(clock);
        }
        if (first == null) {
            first = last.minusDays(DIGEST_DAYS - 1);
        }
        if (first.isAfter(last)) {
            throw ProblemException.badField("from", "is " + first + ", after to (" + last + "); swap them");
        }
        long days = ChronoUnit.DAYS.between(first, last) + 1;
        if (days > MAX_RANGE_DAYS) {
            throw ProblemException.badField("to", "the range " + first + " to " + last + " is " + days
                    + " days; ask for at most " + MAX_RANGE_DAYS + " days at a time");
        }
        long owner = currentUser.id();
        List<LogView> logs = store.range(owner, first, last);
        String headline = null;
        String input = LogDigest.headlineInput(logs);
        if (!input.isBlank() && headlines.isResolvable()) {
            try {
                headline = headlines.get().headline(owner, input).orElse(null);
            } catch (RuntimeException e) {
                // the digest is the counts; a model that fails costs only its headline
                org.jboss.logging.Logger.getLogger(LogResource.class).warnf("digest headline failed: %s", e.getMessage());
            }
        }
        return LogDigest.of(first, last, logs, headline);
    }

    @DELETE
    @Path("/{date}")
    @Operation(summary = "Delete the day's log")
    public Response delete(@PathParam("date") String date) {
        LocalDate day = Dates.parse("date", date);
        if (!store.delete(currentUser.id(), day)) {
            throw ProblemException.notFound("Log of " + day);
        }
        return Response.noContent().build();
    }

    @PATCH
    @Path("/{date}/items/{itemId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set your own label on an item: it wins over the classifier's and becomes training data")
    @RequestBody(content = @Content(schema = @Schema(implementation = LabelBody.class)))
    public LogView.Item label(@PathParam("date") String date, @PathParam("itemId") String itemId, JsonNode json)
            throws JsonProcessingException {
        LabelBody body = patches.read(json, LabelBody.class, "Send a JSON body, e.g. {\"label\": \"idea\"}").body();
        LocalDate day = Dates.parse("date", date);
        long id;
        try {
            id = Long.parseLong(itemId.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badField("itemId", "'" + itemId + "' is not an item id; use the id from GET "
                    + "/api/logs/" + day);
        }
        return store.label(currentUser.id(), day, id, Labels.userLabel(body.label()));
    }

    /** JSON unless the client prefers markdown (text/markdown, or text/plain which gets the same markdown). */
    static MediaType chooseType(HttpHeaders headers) {
        for (MediaType m : headers.getAcceptableMediaTypes()) {
            String type = m.getType();
            String sub = m.getSubtype();
            if (m.isWildcardType() || ("application".equals(type) && ("json".equals(sub) || m.isWildcardSubtype()))) {
                return MediaType.APPLICATION_JSON_TYPE;
            }
            if ("text".equals(type) && ("markdown".equals(sub) || m.isWildcardSubtype())) {
                return MediaType.valueOf(MARKDOWN);
            }
            if ("text".equals(type) && "plain".equals(sub)) {
                return MediaType.TEXT_PLAIN_TYPE;
            }
        }
        return MediaType.APPLICATION_JSON_TYPE;
    }

    private static ProblemException emptyBody() {
        return ProblemException.badField("body", "is empty: send the day's log as text/plain, text/markdown or "
                + "application/json");
    }

    /** The canonical texts of one JSON section; a bad item is an error naming it, e.g. {@code finished[3]}. */
    private static List<String> itemTexts(Section section, List<JsonNode> items, List<FieldError> errors) {
        if (items == null) {
            return List.of();
        }
        List<String> texts = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode node = items.get(i);
            JsonNode text = node != null && node.isObject() ? node.get("text") : node;
            if (text == null || !text.isTextual()) {
                errors.add(FieldError.field(section.field + "[" + i + "]",
                        "must be a string or an object {\"text\": \"...\"}"));
                texts.add("");
                continue;
            }
            texts.add(ParsedLog.canonicalItem(text.asText()));
        }
        // Checked with the indexes as sent, before empty items are dropped.
        checkItems(section, texts, errors);
        return texts;
    }

    private static void checkItems(Section section, List<String> texts, List<FieldError> errors) {
        long count = texts.stream().filter(t -> !t.isEmpty()).count();
        if (count > MAX_ITEMS_PER_SECTION) {
            errors.add(FieldError.field(section.field, "has " + count + " items; a section may have at most "
                    + MAX_ITEMS_PER_SECTION));
            return;
        }
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            int length = t.codePointCount(0, t.length());
            if (length > LogItem.MAX_TEXT) {
                errors.add(FieldError.field(section.field + "[" + i + "]", "is " + length
                        + " characters long; an item may have at most " + LogItem.MAX_TEXT + ": split it into several"));
            }
        }
    }
}
