package lectern.rooms;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One room owns each table (STYLE.md): the classifier's room (lectern.llm) reads and labels log items and notes only
 * through {@link lectern.api.LabelledItems} and the rooms' services, never with SQL of its own on their tables.
 */
class TableOwnersTest {

    /** SQL that names a table after a keyword that reads or writes it. */
    private static final Pattern SQL_ON_OTHER_ROOMS = Pattern.compile(
            "(?i)\\b(from|join|update|into)\\s+(log_item|daily_log|note|book|reading|paper)\\b");

    @Test
    void theClassifiersRoomHoldsNoSqlOnLogNoteOrBookTables() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/lectern/llm"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    boolean comment = line.strip().startsWith("*") || line.strip().startsWith("//");
                    Matcher m = SQL_ON_OTHER_ROOMS.matcher(line);
                    if (!comment && line.contains("\"") && m.find()) {
                        found.add(file.getFileName() + ":" + (i + 1) + ": " + line.strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "use lectern.api.LabelledItems or the owning room's service");
    }
}
