/**
 * The main API journeys as {@code @QuarkusIntegrationTest}s: failsafe runs them in {@code ./mvnw verify} against the
 * packaged artifact (the jar; the native binary with {@code -Dnative}), started once for all of them with the same
 * {@link lectern.support.PostgresResource}, whose datasource settings Quarkus passes to the launched artifact as
 * {@code -D} options. They go through every kind of JSON the app writes and reads (nested records, lists of records,
 * enums, problem bodies with field errors), which is what a native image gets wrong when a type is not registered.
 */
package lectern.it;
