package lectern.stats;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import lectern.accounts.CurrentUser;
import lectern.api.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/goals")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Goals and stats")
public class GoalsResource {

    static final int FIRST_YEAR = 1900;
    static final int LAST_YEAR = 2200;

    public record GoalRequest(@NotNull @Min(1) @Max(1000) Integer books) {
    }

    public record GoalView(int year, int books) {
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    EntityManager entityManager;

    @PUT
    @Path("/{year}")
    @Transactional
    @Operation(summary = "Set how many books you mean to read in a year (1 to 1000)")
    public GoalView put(@PathParam("year") String year, @Valid @NotNull GoalRequest body) {
        int y = parseYear(year);
        entityManager.createNativeQuery("""
                        INSERT INTO goal (owner_id, year, books) VALUES (:owner, :year, :books)
                        ON CONFLICT (owner_id, year) DO UPDATE SET books = EXCLUDED.books, updated_at = now()""")
                .setParameter("owner", currentUser.id())
                .setParameter("year", y)
                .setParameter("books", body.books())
                .executeUpdate();
        return new GoalView(y, body.books());
    }

    @GET
    @Path("/{year}")
    @Operation(summary = "The goal for a year; 404 when none is set")
    public GoalView get(@PathParam("year") String year) {
        int y = parseYear(year);
        Integer books = books(entityManager, currentUser.id(), y);
        if (books == null) {
            throw ProblemException.notFound("Goal for " + y);
        }
        return new GoalView(y, books);
    }

    static Integer books(EntityManager entityManager, long ownerId, int year) {
        List<?> rows = entityManager.createNativeQuery("SELECT books FROM goal WHERE owner_id = :owner AND year = :year")
                .setParameter("owner", ownerId)
                .setParameter("year", year)
                .getResultList();
        return rows.isEmpty() ? null : ((Number) rows.get(0)).intValue();
    }

    static int parseYear(String value) {
        int year;
        try {
            year = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badField("year", "'" + value + "' is not a year; give e.g. 2026");
        }
        if (year < FIRST_YEAR || year > LAST_YEAR) {
            throw ProblemException.badField("year", "must be between " + FIRST_YEAR + " and " + LAST_YEAR);
        }
        return year;
    }
}
