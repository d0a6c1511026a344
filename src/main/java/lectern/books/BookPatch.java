package lectern.books;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A PATCH body for a book, read with {@link lectern.api.Patch}: only the fields present change; a field sent as
 * null is cleared (title and status cannot be).
 */
public record BookPatch(
        @NotNull Long version,
        @Size(min = 1, max = 500) String title,
        @Size(max = 50) List<@NotBlank @Size(max = 300) String> authors,
        String isbn13,
        @Min(1) @Max(Book.MAX_PAGES) Integer pages,
        Integer year,
        @Size(max = 300) String publisher,
        @Size(max = 50) List<@NotBlank @Size(max = 50) String> tags,
        BookStatus status) {
}
