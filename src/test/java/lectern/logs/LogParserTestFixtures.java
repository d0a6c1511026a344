package lectern.logs;

/** The tracker issue's "[ML Grind]" day, for tests outside this package (the journeys against the packaged app). */
public final class LogParserTestFixtures {

    public static final String ML_GRIND = LogParserTest.ML_GRIND_EXAMPLE;

    private LogParserTestFixtures() {
    }
}
