package lectern.stats;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The one clock the app asks for "today" (the server's zone). {@code lectern.today} pins the date,
 * so that tests and demos can reason about a known day; it is never set in production.
 */
public class ServerClock {

    private static final Logger LOG = Logger.getLogger(ServerClock.class);

    @Produces
    @Singleton
    Clock clock(@ConfigProperty(name = "lectern.today") Optional<LocalDate> pinnedToday) {
        ZoneId zone = ZoneId.systemDefault();
        if (pinnedToday.isPresent()) {
            LOG.warnf("lectern.today pins today's date to %s", pinnedToday.get());
            return Clock.fixed(pinnedToday.get().atTime(LocalTime.NOON).atZone(zone).toInstant(), zone);
        }
        return Clock.system(zone);
    }
}
