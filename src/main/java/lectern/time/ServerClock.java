package lectern.time;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The one clock the app asks for "now" and "today" (the server's zone): injected as a {@link Clock} wherever a
 * date is decided or a row is stamped; ClockUseTest fails on a {@code LocalDate.now()} anywhere else.
 * {@code lectern.today} moves the clock to noon of that date at start, so that tests and demos can reason about a
 * known day; it is never set in production. The moved clock runs on rather than standing still: two stamps taken
 * one after the other still differ, and order as they were taken.
 */
public class ServerClock {

    private static final Logger LOG = Logger.getLogger(ServerClock.class);

    /** The clock of the running app, for JPA lifecycle callbacks, which CDI does not inject into. */
    private static volatile Clock current = Clock.system(ZoneId.systemDefault());

    @Produces
    @Singleton
    Clock clock(@ConfigProperty(name = "lectern.today") Optional<LocalDate> pinnedToday) {
        ZoneId zone = ZoneId.systemDefault();
        Clock clock = Clock.system(zone);
        if (pinnedToday.isPresent()) {
            LOG.warnf("lectern.today moves today's date to %s", pinnedToday.get());
            Instant noon = pinnedToday.get().atTime(LocalTime.NOON).atZone(zone).toInstant();
            clock = Clock.offset(clock, Duration.between(clock.instant(), noon));
        }
        return clock;
    }

    /** Makes {@link #current} the app's clock before the first request, whatever asks for a clock first. */
    void onStart(@Observes StartupEvent event, Clock clock) {
        current = clock;
    }

    /**
     * The clock the app runs on, for the entities' {@code @PrePersist}/{@code @PreUpdate} stamps only: everything
     * else has the {@link Clock} injected. Before the app starts (plain unit tests): the system clock.
     */
    public static Clock current() {
        return current;
    }
}
