package lectern.api;

import jakarta.persistence.EntityManager;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The pieces every list endpoint shares: a page (limit/offset from the query string), a
 * case-insensitive "contains" pattern for LIKE/ILIKE, and the query that reads one page of a user's rows with
 * the total ({@link Rows}). Query parameters arrive as strings because JAX-RS answers a failed conversion with a
 * bare 404; here a bad value is a 400 naming it.
 */
public final class ListQuery {

    private ListQuery() {
    }

    public record Page(int limit, int offset) {
    }

    public static Page page(String limit, String offset, int defaultLimit, int maxLimit) {
        int size = limit == null || limit.isBlank() ? defaultLimit : wholeNumber("limit", limit);
        if (size < 1 || size > maxLimit) {
            throw ProblemException.badField("limit", "must be between 1 and " + maxLimit);
        }
        int skip = offset == null || offset.isBlank() ? 0 : wholeNumber("offset", offset);
        if (skip < 0) {
            throw ProblemException.badField("offset", "must be 0 or more");
        }
        return new Page(size, skip);
    }

    public static int wholeNumber(String field, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badField(field, "'" + value + "' is not a whole number");
        }
    }

    /** {@code %text%} with LIKE's wildcards escaped (use with {@code ESCAPE '\'}, PostgreSQL's default). */
    public static String containsPattern(String text) {
        return "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** A user's live rows of {@code table} (as {@code alias}), narrowed by {@link Rows#where}. */
    public static Rows rows(EntityManager entityManager, String table, String alias, long owner) {
        return new Rows(entityManager, table, alias, owner);
    }

    /**
     * A list endpoint's query over a table of owned, soft-deleted rows: conditions join as the query string asks,
     * then one page of ids and the total are read under the same conditions (the total goes in X-Total-Count).
     */
    public static final class Rows {
        private final EntityManager entityManager;
        private final String table;
        private final String alias;
        private final StringBuilder where;
        private final Map<String, Object> parameters = new LinkedHashMap<>();

        private Rows(EntityManager entityManager, String table, String alias, long owner) {
            this.entityManager = entityManager;
            this.table = table;
            this.alias = alias;
            this.where = new StringBuilder(alias + ".owner_id = :owner AND " + alias + ".deleted_at IS NULL");
            parameters.put("owner", owner);
        }

        /** Adds a condition with its named parameters, given as name, value, name, value, ... */
        public Rows where(String condition, Object... namesAndValues) {
            where.append(" AND (").append(condition).append(')');
            for (int i = 0; i < namesAndValues.length; i += 2) {
                parameters.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
            return this;
        }

        /** Only rows with this tag, case-insensitively; every row when {@code tag} is blank. */
        public Rows tagged(String tag) {
            if (tag == null || tag.isBlank()) {
                return this;
            }
            return where("EXISTS (SELECT 1 FROM unnest(" + alias + ".tags) t WHERE lower(t) = lower(:tag))", "tag", tag.strip());
        }

        /** The page's ids in {@code orderBy} order, and how many rows there are in all. */
        public Found page(Page page, String orderBy) {
            var idQuery = entityManager.createNativeQuery("SELECT " + alias + ".id FROM " + table + " " + alias + " WHERE "
                    + where + " ORDER BY " + orderBy + " LIMIT :limit OFFSET :offset", Long.class);
            var countQuery = entityManager.createNativeQuery("SELECT count(*) FROM " + table + " " + alias + " WHERE " + where,
                    Long.class);
            parameters.forEach((name, value) -> {
                idQuery.setParameter(name, value);
                countQuery.setParameter(name, value);
            });
            @SuppressWarnings("unchecked")
            List<Long> ids = idQuery.setParameter("limit", page.limit()).setParameter("offset", page.offset()).getResultList();
            return new Found(ids, ((Number) countQuery.getSingleResult()).longValue());
        }
    }

    /** One page of ids, in order, and the total under the same conditions. */
    public record Found(List<Long> ids, long total) {

        /** The loaded rows in the page's order ({@code loaded} in any order). */
        public <T> List<T> inOrder(List<T> loaded, Function<T, Long> id) {
            Map<Long, T> byId = loaded.stream().collect(Collectors.toMap(id, Function.identity()));
            return ids.stream().map(byId::get).toList();
        }

        /** 200 with the page as the body and the total in X-Total-Count. */
        public Response response(Object body) {
            return Response.ok(body).header("X-Total-Count", total).build();
        }
    }
}
