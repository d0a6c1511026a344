package lectern.books;

import java.util.List;

/**
 * What a file says about a book (an import, a backup): its details without status or read-throughs. A field the
 * file has no column for is the book's own value, so that taking the details leaves it as it is.
 */
public record BookDetails(String title, List<String> authors, String isbn13, Integer pages, Integer year, String publisher,
                          List<String> tags) {

    /** Only a title and authors: a Kindle clipping's book. */
    public static BookDetails titled(String title, List<String> authors) {
        return new BookDetails(title, authors, null, null, null, null, List.of());
    }
}
