package lectern.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Enums from query strings. JAX-RS answers a failed query-parameter conversion with a bare 404, so
 * resources take a String and convert it here to get a 400 that names the parameter.
 */
public final class EnumParam {

    private EnumParam() {
    }

    public static <E extends Enum<E>> E parse(String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().equalsIgnoreCase(value.strip()) || constant.name().equalsIgnoreCase(value.strip())) {
                return constant;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        throw ProblemException.badField(field, "'" + value + "' is not one of: " + allowed);
    }
}
